/** Redirect URIs: exact match or an error page (never a redirect); registration refuses fragments and plain http. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { ClientInputError, createClient } from '../../clients.js';
import { redirectUriProblem } from '../../redirect-uris.js';
import {
  REDIRECT,
  type TestClient,
  authorizeUrl,
  codeFrom,
  registerClient,
  runFlow,
  startNode,
  tokenRequest,
} from '../support.js';

describe('redirect URI', () => {
  let node: TestNode;
  let client: TestClient;
  let two: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
    two = await registerClient(node, { redirectUris: [REDIRECT, 'http://127.0.0.1:8765/cb'] });
  });
  afterAll(() => node.close());

  function expectErrorPage(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('This link is not valid');
  }

  it.each([
    ['trailing slash', `${REDIRECT}/`],
    ['different case', REDIRECT.replace('callback', 'Callback')],
    ['added query', `${REDIRECT}?x=1`],
    ['other host', 'https://evil.example/callback'],
    ['http instead of https', REDIRECT.replace('https', 'http')],
  ])('%s → error page, no redirect', async (_n, uri) => {
    expectErrorPage(await node.app.inject({ url: authorizeUrl({ clientId: client.id, redirectUri: uri }) }));
  });

  it('unknown client_id → error page, no redirect', async () => {
    expectErrorPage(await node.app.inject({ url: authorizeUrl({ clientId: 'cli_nope' }) }));
  });

  it('missing client_id → error page, no redirect', async () => {
    expectErrorPage(await node.app.inject({ url: `/connect?redirect_uri=${encodeURIComponent(REDIRECT)}` }));
  });

  it('a repeated redirect_uri → error page, no redirect', async () => {
    const url = `${authorizeUrl({ clientId: client.id })}&redirect_uri=${encodeURIComponent(REDIRECT)}`;
    expectErrorPage(await node.app.inject({ url }));
  });

  it('exactly one registered URI: omitting redirect_uri works, and the token request may omit it too', async () => {
    const res = await runFlow(node.app, { clientId: client.id, redirectUri: null, state: 'one' });
    expect(res.statusCode).toBe(303);
    expect((res.headers.location as string).startsWith(`${REDIRECT}?`)).toBe(true);
    const token = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: codeFrom(res.headers.location as string),
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(token.statusCode).toBe(200);
  });

  it('several registered URIs: omitting redirect_uri → error page', async () => {
    expectErrorPage(await node.app.inject({ url: authorizeUrl({ clientId: two.id, redirectUri: null }) }));
  });

  it('the code is bound to its redirect URI', async () => {
    const res = await runFlow(node.app, { clientId: two.id, redirectUri: 'http://127.0.0.1:8765/cb' });
    expect(res.statusCode).toBe(303);
    const code = codeFrom(res.headers.location as string);
    const wrong = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: two.id,
      client_secret: two.secret,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toBe('invalid_grant');
    const missing = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code,
      client_id: two.id,
      client_secret: two.secret,
    });
    expect(missing.json().error).toBe('invalid_grant');
  });

  it.each([
    ['a fragment', 'https://app.example.com/cb#x', 'fragment'],
    ['http on a public host', 'http://app.example.com/cb', 'https'],
    ['a relative URI', '/callback', 'absolute'],
    ['another scheme', 'javascript:alert(1)', 'https'],
  ])('registration refuses %s', async (_n, uri, why) => {
    expect(redirectUriProblem(uri)).toContain(why);
    await expect(createClient(node.services, { name: 'x', redirectUris: [uri] })).rejects.toBeInstanceOf(
      ClientInputError,
    );
  });

  it.each([
    'http://127.0.0.1:3000/cb',
    'http://localhost/cb',
    'http://[::1]:9000/cb',
    'https://x.example/cb?a=1',
  ])('registration accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });
});
