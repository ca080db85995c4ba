/**
 * Concurrent writes keep every write: many `POST …/employee` at once on one sandbox connection each store their
 * employee. The sandbox keeps created employees in one connection-state row, so this holds only if that row is
 * updated atomically (a plain read-modify-write keeps one of them).
 */
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Employee } from '../../../model/index.js';
import { testStoreKinds } from '../../../store/testing.js';
import { startTestNode } from '../../../testing/node.js';

const CREATES = 200;

describe.each(testStoreKinds)('concurrent writes on $name', (kind) => {
  it(`${CREATES} concurrent POST /2023-03-01/xhr/employee on one sandbox connection store ${CREATES} employees`, async () => {
    const node = await startTestNode({ store: kind.name });
    try {
      await node.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(node.app.server.address() as AddressInfo).port}`;
      const auth = { authorization: `Bearer ${await node.token({ employees: 5 })}` };

      const created = await Promise.all(
        Array.from({ length: CREATES }, async (_, i) => {
          const res = await fetch(`${base}/2023-03-01/xhr/employee`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ first_name: `Concurrent${i}`, last_name: 'Writer' }),
          });
          expect(res.status, await res.clone().text()).toBe(201);
          return (await res.json()) as Employee;
        }),
      );
      expect(new Set(created.map((e) => e.id)).size).toBe(CREATES);

      let listed: Employee[] | undefined;
      for (let i = 0; i < 50 && !listed; i++) {
        const res = await fetch(`${base}/2023-03-01/xhr/employees`, { headers: auth });
        if (res.status === 200) listed = (await res.json()) as Employee[];
        else if (res.status === 202) await new Promise((r) => setTimeout(r, 200));
        else throw new Error(`employees: ${res.status} ${await res.text()}`);
      }
      const writers = (listed ?? []).filter((e) => e.last_name === 'Writer');
      expect(new Set(writers.map((e) => e.id)).size).toBe(CREATES);
      expect(new Set(writers.map((e) => e.first_name))).toEqual(new Set(created.map((e) => e.first_name)));
    } finally {
      await node.close();
    }
  });
});
