/** Bearer authentication: every way a token can be wrong gets 401 invalid_token; a missing scope gets 403. */
import { type JWK, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allScopes } from '../model/index.js';
import { openSigningJwk } from '../vault/signing-key-seal.js';
import { type TestNode, startTestNode } from '../testing/node.js';

const URL_EMPLOYEES = '/2023-03-01/xhr/employees';

describe('bearer auth', () => {
  let node: TestNode;
  let token: string;
  let ourKey: { kid: string; jwk: JWK };

  beforeAll(async () => {
    node = await startTestNode();
    token = await node.token({ employees: 5 });
    const [row] = await node.services.store.signingKeys.all();
    if (!row) throw new Error('no signing key');
    ourKey = {
      kid: row.kid,
      jwk: await openSigningJwk(
        node.services.vault,
        node.services.store.signingKeys,
        row.kid,
        row.privateJwk,
      ),
    };
  });
  afterAll(async () => node?.close());

  const call = (headers: Record<string, string>, url = URL_EMPLOYEES) =>
    node.app.inject({ method: 'GET', url, headers });

  const parts = () => token.split('.') as [string, string, string];
  const claims = () => JSON.parse(Buffer.from(parts()[1], 'base64url').toString()) as Record<string, unknown>;

  async function expectInvalid(t: string, url = URL_EMPLOYEES) {
    const res = await call({ authorization: `Bearer ${t}` }, url);
    expect(res.statusCode, res.body).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.json()).toMatchObject({ error: 'authentication_error', code: 'reauthentication_required' });
  }

  /** Signs `payload` with our real signing key, so only the claim under test is wrong. */
  async function signWithOurKey(payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
    const key = await importJWK(ourKey.jwk, 'ES256');
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: ourKey.kid, typ: 'at+jwt', ...header })
      .sign(key);
  }

  it('accepts a valid token, scheme case-insensitive', async () => {
    expect((await call({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    expect((await call({ authorization: `bearer ${token}` })).statusCode).toBe(200);
  });

  it('missing token → 401 with WWW-Authenticate', async () => {
    const res = await call({});
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('a token in the query string is never accepted', async () => {
    const res = await call({}, `${URL_EMPLOYEES}?access_token=${token}`);
    expect(res.statusCode).toBe(401);
  });

  it('alg none → 401', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: ourKey.kid })).toString(
      'base64url',
    );
    await expectInvalid(`${header}.${parts()[1]}.`);
  });

  it('HS256 signed with the public key → 401', async () => {
    const { d: _d, ...pub } = ourKey.jwk;
    const secret = new TextEncoder().encode(JSON.stringify(pub));
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: ourKey.kid, typ: 'at+jwt' })
      .sign(secret);
    await expectInvalid(forged);
  });

  it('unknown kid → 401', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (await exportJWK(publicKey)).x!;
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(privateKey);
    await expectInvalid(forged);
  });

  it('tampered payload → 401', async () => {
    const evil = Buffer.from(JSON.stringify({ ...claims(), sub: 'con_someone_else' })).toString('base64url');
    await expectInvalid(`${parts()[0]}.${evil}.${parts()[2]}`);
  });

  it('wrong typ, issuer, audience, expiry or unknown jti → 401 even when signed by our key', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalid(await signWithOurKey(claims(), { typ: 'JWT' }));
    await expectInvalid(await signWithOurKey({ ...claims(), iss: 'https://evil.example' }));
    await expectInvalid(await signWithOurKey({ ...claims(), aud: ['https://other.example'] }));
    await expectInvalid(await signWithOurKey({ ...claims(), exp: now - 10 }));
    await expectInvalid(await signWithOurKey({ ...claims(), jti: 'tok_never_issued' }));
  });

  it('garbage → 401', async () => {
    await expectInvalid('not-a-jwt');
    await expectInvalid('a.b.c');
  });

  it('a scope not granted → 403', async () => {
    const c = claims();
    const { token: narrow } = await node.services.tokens.issue({
      connectionId: c.sub as string,
      clientId: c.client_id as string,
      provider: 'sandbox',
      mode: 'xhr',
      scopes: ['/2023-03-01/xhr/company'],
    });
    expect((await call({ authorization: `Bearer ${narrow}` }, '/2023-03-01/xhr/company')).statusCode).toBe(
      200,
    );
    const res = await call({ authorization: `Bearer ${narrow}` });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/scope/);
    // an xhr token does not open official routes
    const official = await call({ authorization: `Bearer ${token}` }, '/2023-03-01/official/employees');
    expect(official.statusCode).toBe(403);
    expect(allScopes('xhr')).toContain('/2023-03-01/xhr/employees');
  });

  it('a disconnected connection → 403 within 1 s', async () => {
    const t = await node.token({ employees: 3 });
    expect((await call({ authorization: `Bearer ${t}` })).statusCode).toBe(200);
    const sub = JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()).sub as string;
    await node.services.store.connections.markDisconnected(sub);
    await new Promise((r) => setTimeout(r, 1_050));
    const res = await call({ authorization: `Bearer ${t}` });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ message: 'this token was disconnected' });
  });

  it('the JWKS serves public keys only', async () => {
    const res = await node.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    const { keys } = res.json() as { keys: JWK[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(k.d).toBeUndefined();
      expect(typeof k.kid).toBe('string');
    }
    const header = JSON.parse(Buffer.from(parts()[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', kid: keys[0]!.kid, typ: 'at+jwt' });
    expect(Object.keys(claims()).sort()).toEqual(
      ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'mode', 'provider', 'scopes', 'sub'].sort(),
    );
  });
});
