/** Our JWTs (RFC 9068 shape) and what the resource server refuses: alg none, HS256 with the public key, bad kid, tampering. */
import { createHmac } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { REDIRECT, type TestClient, getCode, registerClient, startNode, tokenRequest } from '../support.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('access tokens', () => {
  let node: TestNode;
  let client: TestClient;
  let token: string;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
    const code = await getCode(node.app, { clientId: client.id });
    token = (
      await tokenRequest(node.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: client.id,
        client_secret: client.secret,
      })
    ).json().access_token;
  });
  afterAll(() => node.close());

  const read = (authorization: string | undefined, url = '/2023-03-01/xhr/employees') =>
    node.app.inject({ url, headers: authorization ? { authorization } : {} });

  function expectInvalid(res: { statusCode: number; headers: Record<string, unknown> }) {
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  }

  it('header ES256 + kid + at+jwt; claims iss, sub, aud, client_id, jti, iat, exp', () => {
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: expect.any(String),
    });
    const c = decodeJwt(token);
    expect(c).toMatchObject({
      iss: node.config.PUBLIC_URL,
      sub: expect.stringMatching(/^con_/),
      aud: expect.arrayContaining([node.config.PUBLIC_URL, client.id]),
      client_id: client.id,
      jti: expect.stringMatching(/^tok_/),
      iat: expect.any(Number),
      exp: expect.any(Number),
      provider: 'sandbox',
      mode: 'xhr',
    });
  });

  it('the Bearer scheme is case-insensitive', async () => {
    expect((await read(`bEaReR ${token}`)).statusCode).toBe(200);
  });

  it('a token in the query string is ignored → 401', async () => {
    expectInvalid(await read(undefined, `/2023-03-01/xhr/employees?access_token=${token}`));
  });

  it('alg none → 401 invalid_token', async () => {
    const [, payload] = token.split('.');
    expectInvalid(await read(`Bearer ${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`));
  });

  it('HS256 signed with the public key → 401 invalid_token', async () => {
    const jwks = (await node.app.inject({ url: '/.well-known/jwks.json' })).json();
    const header = b64({ alg: 'HS256', typ: 'at+jwt', kid: decodeProtectedHeader(token).kid });
    const payload = token.split('.')[1];
    const sig = createHmac('sha256', JSON.stringify(jwks.keys[0]))
      .update(`${header}.${payload}`)
      .digest('base64url');
    expectInvalid(await read(`Bearer ${header}.${payload}.${sig}`));
  });

  it('an unknown kid → 401 invalid_token', async () => {
    const [, payload, sig] = token.split('.');
    const header = b64({ ...decodeProtectedHeader(token), kid: 'unknown-kid' });
    expectInvalid(await read(`Bearer ${header}.${payload}.${sig}`));
  });

  it('a tampered payload → 401 invalid_token', async () => {
    const [header, , sig] = token.split('.');
    const payload = b64({ ...decodeJwt(token), scopes: ['/2023-03-01/xhr/company'] });
    expectInvalid(await read(`Bearer ${header}.${payload}.${sig}`));
  });

  it('missing token → 401 with the Bearer challenge', async () => {
    expectInvalid(await read(undefined));
  });

  it('a scope not granted → 403', async () => {
    const res = await read(`Bearer ${token}`, '/2023-03-01/xhr/company');
    expect(res.statusCode).toBe(403);
  });
});
