/**
 * Brute force: failed client authentications and rejected credential submissions are rate-limited per client and
 * IP, per node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { AbuseLimiter } from '../../abuse-limiter.js';
import { type TestClient, basic, registerClient, runFlow, startNode, tokenRequest } from '../support.js';

/** A node of its own (fresh counters) with two registered clients, for one describe block. */
function nodeWithTwoClients() {
  const ctx = {} as { node: TestNode; client: TestClient; other: TestClient };
  beforeAll(async () => {
    ctx.node = await startNode();
    ctx.client = await registerClient(ctx.node);
    ctx.other = await registerClient(ctx.node);
  });
  afterAll(() => ctx.node.close());
  return ctx;
}

describe('abuse limits', () => {
  const ctx = nodeWithTwoClients();

  it('client authentication: after 10 failures the right secret is refused too (429 + Retry-After)', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await tokenRequest(ctx.node.app, {
        grant_type: 'authorization_code',
        code: 'x',
        client_id: ctx.client.id,
        client_secret: `guess-${i}`,
      });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await tokenRequest(ctx.node.app, {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: ctx.client.id,
      client_secret: ctx.client.secret,
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toBe('invalid_client');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another client from the same IP is not locked out by the first one's failures (yet).
    const fine = await tokenRequest(ctx.node.app, {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: ctx.other.id,
      client_secret: ctx.other.secret,
    });
    expect(fine.statusCode).toBe(400);
    expect(fine.json().error).toBe('invalid_grant');
  });

  it('credential form: repeated rejected logins → 429 page', async () => {
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (await runFlow(ctx.node.app, { clientId: ctx.other.id, password: 'wrong-password' })).statusCode;
    }
    expect(last).toBe(429);
  });

  it('the window slides: a key is free again once its failures age out', () => {
    const limiter = new AbuseLimiter([{ name: 'ip', max: 2, windowMs: 1000 }]);
    limiter.fail({ ip: 'a' }, 0);
    limiter.fail({ ip: 'a' }, 100);
    expect(limiter.retryAfter({ ip: 'a' }, 200)).toBe(1);
    expect(limiter.retryAfter({ ip: 'b' }, 200)).toBe(0);
    expect(limiter.retryAfter({ ip: 'a' }, 1001)).toBe(0);
  });
});

describe('abuse limits on the management API (Basic)', () => {
  const ctx = nodeWithTwoClients();

  const get = (path: string, authorization: string) =>
    ctx.node.app.inject({ url: `/2023-03-01/management/${path}`, headers: { authorization } });

  it('/client, /tokens and /logs count failures together; then even the right secret gets 429 + Retry-After', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await get(
        ['client', 'tokens', 'logs'][i % 3] as string,
        basic(ctx.client.id, `guess-${i}`),
      );
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ message: 'client authentication failed' });
    }
    for (const path of ['client', 'tokens', 'logs']) {
      const blocked = await get(path, basic(ctx.client.id, ctx.client.secret));
      expect(blocked.statusCode, path).toBe(429);
      expect(blocked.json()).toEqual({ message: 'Too many failed client authentications' });
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    expect((await get('logs', basic(ctx.other.id, ctx.other.secret))).statusCode).toBe(200);
  });

  it("counters belong to one node: a second node does not see the first one's failures", async () => {
    const second = await startNode();
    try {
      const again = await registerClient(second);
      // On the first node `again` is an unknown id: 30 failures lock out further unknown ids from this IP there.
      for (let i = 0; i < 30; i++) await get('client', basic(again.id, `guess-${i}`));
      expect((await get('client', basic(again.id, again.secret))).statusCode).toBe(429);
      const res = await second.app.inject({
        url: '/2023-03-01/management/client',
        headers: { authorization: basic(again.id, again.secret) },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });
});
