/**
 * Cross-client isolation: client A's token never reads client B's connection, and client A cannot exchange,
 * introspect or revoke client B's artefacts.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import {
  affixTokenRequest,
  REDIRECT,
  type TestClient,
  basic,
  getCode,
  registerClient,
  startNode,
  storeKinds,
  tokenRequest,
} from '../support.js';

describe.each(storeKinds)('cross-client isolation (%s)', (kind) => {
  let node: TestNode;
  let a: TestClient;
  let b: TestClient;
  let tokenA: string;
  let tokenB: string;
  beforeAll(async () => {
    node = await startNode({}, kind);
    a = await registerClient(node, { name: 'A' });
    b = await registerClient(node, { name: 'B' });
    const issue = async (c: TestClient, username: string) => {
      const code = await getCode(node.app, { clientId: c.id, username });
      return (
        await tokenRequest(node.app, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          client_id: c.id,
          client_secret: c.secret,
        })
      ).json().access_token as string;
    };
    tokenA = await issue(a, 'alice@a.example');
    tokenB = await issue(b, 'bob@b.example');
  });
  afterAll(() => node.close());

  const identity = async (token: string) =>
    (
      await node.app.inject({
        url: '/2023-03-01/xhr/employees',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();

  it("each token reads its own connection; A's data differs from B's", async () => {
    expect(decodeJwt(tokenA).sub).not.toBe(decodeJwt(tokenB).sub);
    const ea = await identity(tokenA);
    const eb = await identity(tokenB);
    expect(ea).not.toEqual(eb);
  });

  it("A cannot exchange B's code", async () => {
    const codeB = await getCode(node.app, { clientId: b.id });
    const res = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: codeB,
      redirect_uri: REDIRECT,
      client_id: a.id,
      client_secret: a.secret,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
    const affix = await affixTokenRequest(node.app, a, codeB);
    expect(affix.statusCode).toBe(404);
    // B's code is untouched by A's attempts.
    const own = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: codeB,
      redirect_uri: REDIRECT,
      client_id: b.id,
      client_secret: b.secret,
    });
    expect(own.statusCode).toBe(200);
  });

  it("A cannot introspect B's token", async () => {
    const res = await node.app.inject({
      method: 'POST',
      url: '/oauth2/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(a.id, a.secret) },
      payload: `token=${tokenB}`,
    });
    expect(res.body).toBe('{"active":false}');
  });

  it("A cannot revoke B's token", async () => {
    await node.app.inject({
      method: 'POST',
      url: '/oauth2/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(a.id, a.secret) },
      payload: `token=${tokenB}`,
    });
    const res = await node.app.inject({
      url: '/2023-03-01/xhr/identity',
      headers: { authorization: `Bearer ${tokenB}` },
    });
    expect(res.statusCode).toBe(200);
  });

  it("A's management listing shows only A's tokens", async () => {
    const res = await node.app.inject({
      url: '/2023-03-01/management/tokens',
      headers: { authorization: basic(a.id, a.secret) },
    });
    const jtis = (res.json() as { token: string }[]).map((t) => t.token);
    expect(jtis).toContain(decodeJwt(tokenA).jti);
    expect(jtis).not.toContain(decodeJwt(tokenB).jti);
  });

  it("B's secret does not authenticate as A", async () => {
    const res = await node.app.inject({
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(a.id, b.secret) },
    });
    expect(res.statusCode).toBe(401);
  });
});
