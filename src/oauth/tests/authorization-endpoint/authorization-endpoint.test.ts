/** The authorization endpoint (/connect): parameter rules, page security headers, CSRF, the sandbox's error values. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import {
  REDIRECT,
  type TestClient,
  affixTokenRequest,
  authorizeUrl,
  hiddenFields,
  post,
  registerClient,
  runFlow,
  startNode,
} from '../support.js';

describe('authorization endpoint', () => {
  let node: TestNode;
  let client: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node, { redirectUris: [REDIRECT, 'http://127.0.0.1:4000/cb'] });
  });
  afterAll(() => node.close());

  const errorOf = (res: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(res.statusCode).toBe(303);
    const loc = new URL(res.headers.location as string);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect(loc.searchParams.has('code')).toBe(false);
    return loc.searchParams;
  };

  it.each([
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['unknown scope', { scope: '/2023-03-01/xhr/everything' }, 'invalid_scope'],
    ['scope of the other mode', { scope: '/2023-03-01/official/employees' }, 'invalid_scope'],
    ['empty scope', { scope: '' }, 'invalid_scope'],
    ['bad mode', { mode: 'retail' }, 'invalid_request'],
    ['unknown provider', { provider: 'nope' }, 'invalid_request'],
  ])('%s → %s', async (_n, extra, error) => {
    const q = errorOf(
      await node.app.inject({ url: authorizeUrl({ clientId: client.id, state: 'S', extra }) }),
    );
    expect(q.get('error')).toBe(error);
    expect(q.get('error_description')).toBeTruthy();
    expect(q.get('state')).toBe('S');
  });

  it('a duplicated parameter → invalid_request', async () => {
    const url = `${authorizeUrl({ clientId: client.id, state: 'S' })}&scope=${encodeURIComponent('/2023-03-01/xhr/groups')}`;
    expect(errorOf(await node.app.inject({ url })).get('error')).toBe('invalid_request');
  });

  it('unknown parameters are ignored; scope order is irrelevant; `scopes` (Affix) works like `scope`', async () => {
    const a = await runFlow(node.app, {
      clientId: client.id,
      scope: '/2023-03-01/xhr/identity /2023-03-01/xhr/employees',
      extra: { foo: 'bar', add_admin: 'true' },
    });
    expect(a.statusCode).toBe(303);
    const q = new URLSearchParams();
    q.set('client_id', client.id);
    q.set('redirect_uri', REDIRECT);
    q.set('mode', 'xhr');
    q.set('scopes', '/2023-03-01/xhr/employees /2023-03-01/xhr/identity');
    q.set('provider', 'sandbox');
    const page = await node.app.inject({ url: `/connect?${q}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sign in to');
  });

  it('the picker lists providers filtered by mode and tags; the sandbox flag keeps only the sandbox', async () => {
    const all = await node.app.inject({ url: authorizeUrl({ clientId: client.id }) });
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('value="sandbox"');
    const sandboxOnly = await node.app.inject({
      url: authorizeUrl({ clientId: client.id, extra: { sandbox: 'true' } }),
    });
    expect(sandboxOnly.body).toContain('value="sandbox"');
    expect(sandboxOnly.body).not.toContain('value="bamboohr"');
    const search = await node.app.inject({
      url: authorizeUrl({ clientId: client.id, extra: { q: 'zzzz-nothing' } }),
    });
    expect(search.body).toContain('No provider matches');
  });

  it('pages: CSP frame-ancestors none, no-referrer, no-store, never compressed', async () => {
    const res = await node.app.inject({
      url: authorizeUrl({ clientId: client.id, provider: 'sandbox' }),
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it("iframe mode: frame-ancestors lists the client's registered origins only", async () => {
    const res = await node.app.inject({
      url: authorizeUrl({ clientId: client.id, extra: { display: 'iframe', response_mode: 'web_message' } }),
    });
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain('frame-ancestors https://app.example.com http://127.0.0.1:4000');
    expect(res.headers['x-frame-options']).toBeUndefined();
  });

  it('credential forms are CSRF-protected: a wrong token or a cross-site origin is refused', async () => {
    const page = await node.app.inject({ url: authorizeUrl({ clientId: client.id, provider: 'sandbox' }) });
    const ids = hiddenFields(page.body);
    const forged = await post(node.app, '/connect/credentials', {
      session: ids.session,
      csrf: 'forged',
      username: 'a',
      password: 'b',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers.location).toBeUndefined();
    const crossSite = await node.app.inject({
      method: 'POST',
      url: '/connect/credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      payload: new URLSearchParams({ ...ids, username: 'a', password: 'b' }).toString(),
    });
    expect(crossSite.statusCode).toBe(403);
    const fetchMetadata = await node.app.inject({
      method: 'POST',
      url: '/connect/credentials',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'null',
        'sec-fetch-site': 'cross-site',
      },
      payload: new URLSearchParams({ ...ids, username: 'a', password: 'b' }).toString(),
    });
    expect(fetchMetadata.statusCode).toBe(403);
  });

  it('official payruns (outside the contract) are granted when asked for, and left out of Affix-shaped answers', async () => {
    const scope = '/2023-03-01/official/employees /2023-03-01/official/payruns';
    const res = await runFlow(node.app, {
      clientId: client.id,
      scope,
      extra: { mode: 'official' },
      fields: { api_key: 'sandbox-key' },
    });
    expect(res.statusCode).toBe(303);
    const code = new URL(res.headers.location as string).searchParams.get('code') as string;
    const exchanged = await affixTokenRequest(node.app, client, code);
    expect(exchanged.statusCode).toBe(201);
    expect(exchanged.json().scopes).toEqual(['/2023-03-01/official/employees']);
    const payruns = await node.app.inject({
      url: '/2023-03-01/official/payruns?start_date=2025-01-01&end_date=2025-03-31',
      headers: { authorization: `Bearer ${exchanged.json().access_token}` },
    });
    expect(payruns.statusCode).toBe(200);
  });

  it('after the credentials POST the final redirect is a 303', async () => {
    const res = await runFlow(node.app, { clientId: client.id });
    expect(res.statusCode).toBe(303);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('cancel → access_denied', async () => {
    const page = await node.app.inject({
      url: authorizeUrl({ clientId: client.id, provider: 'sandbox', state: 'c' }),
    });
    const res = await post(node.app, '/connect/credentials', {
      ...hiddenFields(page.body),
      action: 'cancel',
    });
    const q = errorOf(res);
    expect(q.get('error')).toBe('access_denied');
    expect(q.get('state')).toBe('c');
  });

  it('MFA: the OTP step appears, a wrong code is refused, 123456 connects', async () => {
    const page = await node.app.inject({ url: authorizeUrl({ clientId: client.id, provider: 'sandbox' }) });
    const ids = hiddenFields(page.body);
    const creds = await post(node.app, '/connect/credentials', {
      ...ids,
      username: 'demo+mfa@example.com',
      password: 'pw',
    });
    expect(creds.body).toContain('name="otp"');
    const wrong = await post(node.app, '/connect/otp', { ...ids, otp: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('incorrect_mfa_or_otp');
    const ok = await post(node.app, '/connect/otp', { ...ids, otp: '123456' });
    expect(ok.body).toContain('name="decision"');
    const done = await post(node.app, '/connect/consent', { ...ids, decision: 'allow' });
    expect(done.statusCode).toBe(303);
  });

  it.each([
    ['demo@example.com', 'wrong-password', 'incorrect_username_or_password'],
    ['demo+captcha@example.com', 'pw', 'captcha_challenge'],
    ['demo+noaccounts@example.com', 'pw', 'no_valid_accounts'],
    ['demo+noperm@example.com', 'pw', 'insufficient_permission'],
    ['demo+setup@example.com', 'pw', 'additional_account_setup_required'],
  ])('sandbox %s / %s → the form shows %s, no redirect', async (username, password, code) => {
    const res = await runFlow(node.app, { clientId: client.id, username, password });
    expect(res.statusCode).toBe(401);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain(code);
    expect(res.body).toContain('role="alert"');
  });

  it('the password is never echoed back into the page', async () => {
    const res = await runFlow(node.app, {
      clientId: client.id,
      username: 'demo+noperm@example.com',
      password: 'S3cret-echo-check',
    });
    expect(res.body).not.toContain('S3cret-echo-check');
    expect(res.body).toContain('demo+noperm@example.com');
  });

  it('popup mode: the last page posts the code to the redirect URI origin instead of redirecting', async () => {
    const res = await runFlow(node.app, {
      clientId: client.id,
      state: 'pop',
      extra: { response_mode: 'web_message', display: 'popup' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-target-origin="https://app.example.com"');
    expect(res.body).toContain('auth-message');
    expect(res.body).toContain('authorizationCode');
  });
});
