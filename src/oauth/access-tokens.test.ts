/** The per-node token caches: bounded LRUs that keep the recently used tokens and never drop everything at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConnections } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { AccessTokens, TOKEN_CACHE_MAX } from './access-tokens.js';

describe('AccessTokens caches', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ store: 'sqlite' });
  });
  afterAll(() => node.close());

  async function issue(tokens: AccessTokens, count: number): Promise<string[]> {
    const { clientId, connections } = await seedConnections(node.services.store, { count });
    const issued: string[] = [];
    for (const connectionId of connections) {
      const { token } = await tokens.issue({
        connectionId,
        clientId,
        provider: 'sandbox',
        mode: 'xhr',
        scopes: ['/2023-03-01/xhr/employees'],
      });
      issued.push(token);
    }
    return issued;
  }

  it('holds at most its bound and evicts the least recently used token, not all of them', async () => {
    const tokens = new AccessTokens(node.services.store, node.services.keys, node.config, 3);
    const [a, b, c, d] = await issue(tokens, 4);
    if (!a || !b || !c || !d) throw new Error('no tokens');
    for (const t of [a, b, c]) await tokens.verify(t);
    await tokens.verify(a); // a is now the most recently used
    await tokens.verify(d);
    expect(tokens.cached).toEqual({ verified: 3, status: 3 });
    expect(tokens.verifiedNow(b)).toBeUndefined();
    for (const t of [a, c, d]) expect(tokens.verifiedNow(t)).toBeDefined();
  });

  it('a cycle over as many tokens as the bound keeps hitting', async () => {
    const tokens = new AccessTokens(node.services.store, node.services.keys, node.config, 5);
    const issued = await issue(tokens, 5);
    for (let round = 0; round < 2; round++) for (const t of issued) await tokens.verify(t);
    expect(tokens.cached).toEqual({ verified: 5, status: 5 });
    for (const t of issued) expect(tokens.verifiedNow(t)).toBeDefined();
  });

  it('the default bound is sized for a large deployment', () => {
    expect(TOKEN_CACHE_MAX).toBeGreaterThanOrEqual(50_000);
  });
});
