/** RFC 7009: the owner revokes its token; unknown tokens → 200; another client's token is left alone. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import {
  REDIRECT,
  type TestClient,
  basic,
  getCode,
  registerClient,
  startNode,
  tokenRequest,
} from '../support.js';

describe('revocation (RFC 7009)', () => {
  let node: TestNode;
  let a: TestClient;
  let b: TestClient;
  beforeAll(async () => {
    node = await startNode();
    a = await registerClient(node, { name: 'A' });
    b = await registerClient(node, { name: 'B' });
  });
  afterAll(() => node.close());

  async function tokenFor(c: TestClient): Promise<string> {
    const code = await getCode(node.app, { clientId: c.id });
    const res = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: c.id,
      client_secret: c.secret,
    });
    return res.json().access_token as string;
  }
  const revoke = (c: TestClient, token: string) =>
    node.app.inject({
      method: 'POST',
      url: '/oauth2/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(c.id, c.secret) },
      payload: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
  const read = (token: string) =>
    node.app.inject({ url: '/2023-03-01/xhr/identity', headers: { authorization: `Bearer ${token}` } });

  it("the owner's revocation → 200, and the token stops working at once", async () => {
    const token = await tokenFor(a);
    expect((await read(token)).statusCode).toBe(200);
    const res = await revoke(a, token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await read(token)).statusCode).toBe(401);
  });

  it('an unknown token → 200', async () => {
    expect((await revoke(a, 'not-a-token')).statusCode).toBe(200);
  });

  it("another client's token → 200 and nothing is revoked", async () => {
    const token = await tokenFor(a);
    expect((await revoke(b, token)).statusCode).toBe(200);
    expect((await read(token)).statusCode).toBe(200);
  });

  it('unauthenticated → 401 invalid_client, nothing revoked', async () => {
    const token = await tokenFor(a);
    const res = await node.app.inject({
      method: 'POST',
      url: '/oauth2/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(a.id, 'wrong') },
      payload: `token=${token}`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('invalid_client');
    expect((await read(token)).statusCode).toBe(200);
  });

  it('missing token → 400 invalid_request', async () => {
    const res = await node.app.inject({
      method: 'POST',
      url: '/oauth2/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(a.id, a.secret) },
      payload: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_request');
  });
});
