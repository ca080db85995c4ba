/**
 * Lockouts that attackers cannot aim: failures lock out the attacker's own (client, IP) or (account, IP), never the
 * client's correct secret from elsewhere, never other clients on the same IP, never the app's other end users. The
 * client IP is the socket's unless TRUST_PROXY names the proxies that may set X-Forwarded-For.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { type TestClient, basic, registerClient, runFlow, startNode } from '../support.js';

const tokenFrom = (node: TestNode, ip: string, client: { id: string; secret: string }, xff?: string) =>
  node.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    remoteAddress: ip,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(xff ? { 'x-forwarded-for': xff } : {}),
    },
    payload: new URLSearchParams({
      grant_type: 'authorization_code',
      code: 'x',
      client_id: client.id,
      client_secret: client.secret,
    }).toString(),
  });

const managementFrom = (node: TestNode, ip: string, client: { id: string; secret: string }) =>
  node.app.inject({
    url: '/2023-03-01/management/client',
    remoteAddress: ip,
    headers: { authorization: basic(client.id, client.secret) },
  });

describe('lockouts that attackers cannot aim', () => {
  let node: TestNode;
  let client: TestClient;
  let other: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
    other = await registerClient(node);
  });
  afterAll(() => node.close());

  it("wrong secrets from many IPs never lock the client's correct secret out from its own IP", async () => {
    for (let ip = 1; ip <= 12; ip++) {
      for (let i = 0; i < 10; i++) {
        const wrong = { id: client.id, secret: `guess-${i}` };
        const res = await (i % 2
          ? tokenFrom(node, `10.1.0.${ip}`, wrong)
          : managementFrom(node, `10.1.0.${ip}`, wrong));
        expect(res.statusCode).toBe(401);
      }
      // That attacker address is now locked out for this client, even with the right secret.
      expect((await managementFrom(node, `10.1.0.${ip}`, client)).statusCode).toBe(429);
    }
    expect((await managementFrom(node, '10.9.9.9', client)).statusCode).toBe(200);
    const token = await tokenFrom(node, '10.9.9.9', client);
    expect(token.statusCode).toBe(400);
    expect(token.json().error).toBe('invalid_grant');
  });

  it('made-up client ids from one IP do not lock out real clients on that IP', async () => {
    const ip = '10.2.0.1';
    let last = 0;
    for (let i = 0; i < 31; i++) {
      last = (await managementFrom(node, ip, { id: `cli_madeup${i}`, secret: 'x'.repeat(27) })).statusCode;
    }
    expect(last).toBe(429);
    expect((await managementFrom(node, ip, other)).statusCode).toBe(200);
    expect((await tokenFrom(node, ip, other)).json().error).toBe('invalid_grant');
  });

  it("one end user's wrong passwords never lock the app's other users out of sign-in", async () => {
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (
        await runFlow(node.app, {
          clientId: other.id,
          username: 'alice@example.com',
          password: 'wrong-password',
        })
      ).statusCode;
    }
    expect(last).toBe(429);
    const bob = await runFlow(node.app, { clientId: other.id, username: 'bob@example.com' });
    expect(bob.statusCode).toBe(303);
  });

  it('a spoofed X-Forwarded-For changes nothing without a trusted proxy', async () => {
    const victim = await registerClient(node);
    for (let i = 0; i < 10; i++) {
      await tokenFrom(node, '10.3.0.1', { id: victim.id, secret: `g${i}` }, `192.0.2.${i}`);
    }
    expect((await tokenFrom(node, '10.3.0.1', victim, '198.51.100.7')).statusCode).toBe(429);
  });
});

describe('TRUST_PROXY', () => {
  it.each([['1'], ['127.0.0.1/32, 10.0.0.0/8']])(
    'TRUST_PROXY=%s: the forwarded client IP is what is counted',
    async (setting) => {
      const node = await startNode({ TRUST_PROXY: setting });
      try {
        const client = await registerClient(node);
        for (let i = 0; i < 10; i++) {
          await tokenFrom(node, '10.0.0.5', { id: client.id, secret: `g${i}` }, '203.0.113.1');
        }
        expect((await tokenFrom(node, '10.0.0.5', client, '203.0.113.1')).statusCode).toBe(429);
        expect((await tokenFrom(node, '10.0.0.5', client, '203.0.113.2')).json().error).toBe('invalid_grant');
      } finally {
        await node.close();
      }
    },
  );
});
