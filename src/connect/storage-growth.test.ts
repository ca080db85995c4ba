/**
 * Unauthenticated requests must not grow storage: opening the connect page stores nothing (the flow travels in the
 * page's form until the provider accepts a sign-in), and every parameter has a length limit.
 */
import { describe, expect, it } from 'vitest';
import {
  REDIRECT,
  authorizeUrl,
  hiddenFields,
  post,
  nodeWithClient,
  storeKinds,
} from '../oauth/tests/support.js';

describe.each(storeKinds)('connect storage growth (%s)', (kind) => {
  const suite = nodeWithClient(kind);

  const sessions = () => suite.node.services.store.connectSessions.count();

  it('many GET /connect with long state and tags store no session row', async () => {
    const state = 's'.repeat(2000);
    const tags = Array.from({ length: 25 }, (_, i) => `tag${i}`).join(' ');
    const urls = [
      authorizeUrl({ clientId: suite.client.id, state, extra: { tags } }),
      authorizeUrl({ clientId: suite.client.id, state, provider: 'sandbox', extra: { tags } }),
    ];
    for (let i = 0; i < 300; i += 10) {
      const pages = await Promise.all(
        Array.from({ length: 10 }, (_, j) => suite.node.app.inject({ url: urls[(i + j) % 2] as string })),
      );
      for (const p of pages) expect(p.statusCode).toBe(200);
    }
    expect(await sessions()).toBe(0);
    expect(await suite.node.services.store.connections.ofClient(suite.client.id)).toEqual([]);
  });

  const errorOf = (res: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(res.statusCode).toBe(303);
    const loc = new URL(res.headers.location as string);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    return loc.searchParams;
  };

  it.each([
    ['state', { state: 'x'.repeat(2049) }],
    ['scope', { scope: `/2023-03-01/xhr/employees ${' '.repeat(1100)}` }],
    ['tags', { tags: 'hr '.repeat(100) }],
    ['provider', { provider: 'p'.repeat(65) }],
    ['mode', { mode: 'x'.repeat(17) }],
    ['display', { display: 'x'.repeat(17) }],
    ['sandbox', { sandbox: 'true'.repeat(5) }],
    ['q', { q: 'q'.repeat(201) }],
    ['code_challenge', { code_challenge: 'a'.repeat(129), code_challenge_method: 'S256' }],
  ])('an over-long %s is refused with invalid_request, and stores nothing', async (name, extra) => {
    const q = errorOf(
      await suite.node.app.inject({ url: authorizeUrl({ clientId: suite.client.id, extra }) }),
    );
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toContain(name);
    // An over-long state is not echoed back: the client gets an error, not the oversized value.
    expect(q.get('state')).toBeNull();
    expect(await sessions()).toBe(0);
  });

  it('repeated tags count together against the limit', async () => {
    const url = `${authorizeUrl({ clientId: suite.client.id, state: 'S' })}${'&tags=payroll'.repeat(40)}`;
    const q = errorOf(await suite.node.app.inject({ url }));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('state')).toBe('S');
  });

  it.each([
    ['client_id', (u: URLSearchParams) => u.set('client_id', `cli_${'x'.repeat(100)}`)],
    ['redirect_uri', (u: URLSearchParams) => u.set('redirect_uri', `${REDIRECT}?${'x'.repeat(2048)}`)],
  ])('an over-long %s gets the 400 error page and never a redirect', async (_name, change) => {
    const u = new URLSearchParams(authorizeUrl({ clientId: suite.client.id }).split('?')[1]);
    change(u);
    const res = await suite.node.app.inject({ url: `/connect?${u}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('data-error-code="invalid_request"');
  });

  it('a session row exists only from an accepted sign-in to consent; a refused sign-in keeps nothing', async () => {
    const page = await suite.node.app.inject({
      url: authorizeUrl({ clientId: suite.client.id, provider: 'sandbox' }),
    });
    const ids = hiddenFields(page.body);
    expect(ids.request).toBeTruthy();

    const refused = await post(suite.node.app, '/connect/credentials', {
      ...ids,
      action: 'submit',
      username: 'demo@example.com',
      password: 'wrong-password',
    });
    expect(refused.statusCode).toBe(401);
    expect(await sessions()).toBe(0);
    expect(await suite.node.services.store.connections.ofClient(suite.client.id)).toEqual([]);

    const mfa = await post(suite.node.app, '/connect/credentials', {
      ...ids,
      action: 'submit',
      username: 'demo+mfa@example.com',
      password: 'pw',
    });
    expect(mfa.body).toContain('name="otp"');
    expect(await sessions()).toBe(1);
    const otp = await post(suite.node.app, '/connect/otp', { ...ids, action: 'submit', otp: '123456' });
    expect(otp.body).toContain('name="decision"');
    const done = await post(suite.node.app, '/connect/consent', { ...ids, decision: 'allow' });
    expect(done.statusCode).toBe(303);
    expect(await sessions()).toBe(0);
    const left = await suite.node.services.store.connections.ofClient(suite.client.id);
    expect(left.map((c) => [c.provider, c.status])).toEqual([['sandbox', 'active']]);
  });
});
