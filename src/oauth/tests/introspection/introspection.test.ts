/** RFC 7662: authenticated callers only; inactive, unknown or another client's token → exactly {"active": false}. */
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

describe('introspection (RFC 7662)', () => {
  let node: TestNode;
  let a: TestClient;
  let b: TestClient;
  let token: string;
  beforeAll(async () => {
    node = await startNode();
    a = await registerClient(node, { name: 'A' });
    b = await registerClient(node, { name: 'B' });
    const code = await getCode(node.app, { clientId: a.id });
    token = (
      await tokenRequest(node.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: a.id,
        client_secret: a.secret,
      })
    ).json().access_token;
  });
  afterAll(() => node.close());

  const introspect = (auth: string | undefined, body: string) =>
    node.app.inject({
      method: 'POST',
      url: '/oauth2/introspect',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(auth ? { authorization: auth } : {}),
      },
      payload: body,
    });

  it('the owner sees an active token with its claims', async () => {
    const res = await introspect(basic(a.id, a.secret), `token=${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({
      active: true,
      client_id: a.id,
      token_type: 'Bearer',
      scope: '/2023-03-01/xhr/employees /2023-03-01/xhr/identity',
      exp: expect.any(Number),
      sub: expect.stringMatching(/^con_/),
    });
  });

  it('client_secret_post works too', async () => {
    const res = await introspect(
      undefined,
      new URLSearchParams({ token, client_id: a.id, client_secret: a.secret }).toString(),
    );
    expect(res.json().active).toBe(true);
  });

  it('another client → exactly {active: false}', async () => {
    const res = await introspect(basic(b.id, b.secret), `token=${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"active":false}');
  });

  it('unknown token → exactly {active: false}', async () => {
    const res = await introspect(basic(a.id, a.secret), 'token=eyJhbGciOiJub25lIn0.e30.');
    expect(res.body).toBe('{"active":false}');
  });

  it('unauthenticated → 401 invalid_client', async () => {
    const res = await introspect(undefined, `token=${token}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('invalid_client');
  });

  it('a revoked token → exactly {active: false}', async () => {
    await node.app.inject({
      method: 'POST',
      url: '/oauth2/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(a.id, a.secret) },
      payload: `token=${token}`,
    });
    const res = await introspect(basic(a.id, a.secret), `token=${token}`);
    expect(res.body).toBe('{"active":false}');
  });
});
