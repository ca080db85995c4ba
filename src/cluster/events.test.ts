/** A disconnect drops the connection's unpacked sandbox company from this node's memo. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../providers/sandbox/generate.js';
import { keptCompany, makeHere } from '../providers/sandbox/kept-company.js';
import { memoryConnectionState } from '../testing/memory-state.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { applyClusterEvent } from './events.js';

describe('applyClusterEvent', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ store: 'sqlite' });
  });
  afterAll(() => node.close());

  it('disconnect forgets the connection in the sandbox memo, and only it', async () => {
    const memo = node.services.keptCompanies;
    const options = { seed: 'events', employees: 5, asOf: '2026-11-01', churn: 0, epoch: 0 };
    for (const key of ['con_a', 'con_b'])
      await keptCompany(memoryConnectionState(), options, 0, () => makeHere(() => generateDataset(options)), {
        memo,
        key,
      });
    expect(memo.held.companies).toBe(2);
    await applyClusterEvent(node.services, { kind: 'disconnect', connectionId: 'con_a' });
    expect(memo.held.companies).toBe(1);
  });
});
