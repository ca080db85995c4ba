/** PKCE S256: the challenge binds the code; plain and malformed challenges are refused; no downgrade. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import {
  REDIRECT,
  type TestClient,
  authorizeUrl,
  getCode,
  pkcePair,
  registerClient,
  startNode,
  tokenRequest,
} from '../support.js';

describe('PKCE', () => {
  let node: TestNode;
  let client: TestClient;
  let publicClient: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
    publicClient = await registerClient(node, { isPublic: true, name: 'Mobile app' });
  });
  afterAll(() => node.close());

  const exchange = (code: string, extra: Record<string, string> = {}, c = client) =>
    tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: c.id,
      ...(c.secret ? { client_secret: c.secret } : {}),
      ...extra,
    });

  it('the right verifier → 200', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await getCode(node.app, { clientId: client.id, codeChallenge: challenge });
    const res = await exchange(code, { code_verifier: verifier });
    expect(res.statusCode).toBe(200);
    expect(res.json().token_type).toBe('Bearer');
  });

  it('a missing verifier → invalid_grant', async () => {
    const { challenge } = pkcePair();
    const code = await getCode(node.app, { clientId: client.id, codeChallenge: challenge });
    const res = await exchange(code);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
  });

  it('a wrong verifier → invalid_grant, and the code is not spent by the failure', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await getCode(node.app, { clientId: client.id, codeChallenge: challenge });
    const bad = await exchange(code, { code_verifier: pkcePair().verifier });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('invalid_grant');
    expect((await exchange(code, { code_verifier: verifier })).statusCode).toBe(200);
  });

  it('a verifier for a code issued without a challenge → invalid_grant (downgrade)', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const res = await exchange(code, { code_verifier: pkcePair().verifier });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
  });

  it.each([
    ['plain method', { code_challenge: pkcePair().challenge, code_challenge_method: 'plain' }],
    ['too short', { code_challenge: 'abc', code_challenge_method: 'S256' }],
    ['illegal characters', { code_challenge: `${'a'.repeat(42)}!`, code_challenge_method: 'S256' }],
    ['too long', { code_challenge: 'a'.repeat(129), code_challenge_method: 'S256' }],
    ['no method (would default to plain)', { code_challenge: pkcePair().challenge }],
  ])('%s → redirect with invalid_request', async (_name, extra) => {
    const res = await node.app.inject({ url: authorizeUrl({ clientId: client.id, state: 's1', extra }) });
    expect(res.statusCode).toBe(303);
    const loc = new URL(res.headers.location as string);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('state')).toBe('s1');
  });

  it('a public client without a challenge → invalid_request', async () => {
    const res = await node.app.inject({ url: authorizeUrl({ clientId: publicClient.id }) });
    expect(res.statusCode).toBe(303);
    expect(new URL(res.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('a public client with PKCE exchanges with client_id only', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await getCode(node.app, { clientId: publicClient.id, codeChallenge: challenge });
    const res = await exchange(code, { code_verifier: verifier }, publicClient);
    expect(res.statusCode).toBe(200);
  });
});
