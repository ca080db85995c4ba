/** Brute force: failed client authentications and rejected credential submissions are rate-limited per client and IP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { AbuseLimiter } from '../../abuse-limiter.js';
import { type TestClient, registerClient, runFlow, startNode, tokenRequest } from '../support.js';

describe('abuse limits', () => {
  let node: TestNode;
  let client: TestClient;
  let other: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
    other = await registerClient(node);
  });
  afterAll(() => node.close());

  it('client authentication: after 10 failures the right secret is refused too (429 + Retry-After)', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await tokenRequest(node.app, {
        grant_type: 'authorization_code',
        code: 'x',
        client_id: client.id,
        client_secret: `guess-${i}`,
      });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toBe('invalid_client');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another client from the same IP is not locked out by the first one's failures (yet).
    const fine = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: other.id,
      client_secret: other.secret,
    });
    expect(fine.statusCode).toBe(400);
    expect(fine.json().error).toBe('invalid_grant');
  });

  it('credential form: repeated rejected logins → 429 page', async () => {
    let last = 0;
    for (let i = 0; i < 11; i++) {
      last = (await runFlow(node.app, { clientId: other.id, password: 'wrong-password' })).statusCode;
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
