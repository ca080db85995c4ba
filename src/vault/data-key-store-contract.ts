/**
 * The behaviour every `DataKeyStore` must have, as runnable cases (node:assert, no test-runner import, so this
 * file is safe in the build). The database-backed store runs them against SQLite and PostgreSQL:
 *
 * @example
 * import { dataKeyStoreContract } from '../vault/data-key-store-contract.js';
 * describe('SqlDataKeyStore', () => {
 *   it.each(dataKeyStoreContract())('$name', async ({ run }) => run(await freshStore()));
 * });
 */
import assert from 'node:assert/strict';
import type { DataKeyStore, WrappedDataKey } from './types.js';

export interface DataKeyStoreCase {
  name: string;
  /** Gets a fresh, empty store. */
  run(store: DataKeyStore): Promise<void>;
}

function row(ownerId: string, kekId = 'kek_v1', dataKeyId = `dk_${ownerId}`): WrappedDataKey {
  return {
    ownerId,
    dataKeyId,
    kekId,
    // Bytes a text column would mangle: NUL, high bit, invalid UTF-8.
    wrapped: Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x01, ...Buffer.from(ownerId)]),
    createdAt: new Date('2024-01-15T10:00:00.123Z'),
    rotatedAt: null,
  };
}

export function dataKeyStoreContract(): DataKeyStoreCase[] {
  return [
    {
      name: 'get returns undefined for an unknown owner and the exact row after insert',
      async run(store) {
        assert.equal(await store.get('con_missing'), undefined);
        const r = row('con_a');
        const stored = await store.insert(r);
        assert.equal(stored.dataKeyId, r.dataKeyId);
        const got = await store.get('con_a');
        assert.ok(got);
        assert.equal(got.ownerId, 'con_a');
        assert.equal(got.dataKeyId, r.dataKeyId);
        assert.equal(got.kekId, 'kek_v1');
        assert.ok(Buffer.isBuffer(got.wrapped), 'wrapped comes back as a Buffer');
        assert.deepEqual([...got.wrapped], [...r.wrapped]);
        assert.equal(got.createdAt.toISOString(), r.createdAt.toISOString());
        assert.equal(got.rotatedAt, null);
      },
    },
    {
      name: 'insert keeps the first row for an owner and returns it to the loser of the race',
      async run(store) {
        await store.insert(row('con_a', 'kek_v1', 'dk_first'));
        const second = await store.insert(row('con_a', 'kek_v2', 'dk_second'));
        assert.equal(second.dataKeyId, 'dk_first');
        assert.equal((await store.get('con_a'))?.dataKeyId, 'dk_first');
      },
    },
    {
      name: 'updateWrapping is a compare-and-swap on data key id and current kek id',
      async run(store) {
        await store.insert(row('con_a', 'kek_v1', 'dk_a'));
        const next = {
          kekId: 'kek_v2',
          wrapped: Buffer.from([9, 9, 0, 9]),
          rotatedAt: new Date('2024-02-01T00:00:00Z'),
        };
        assert.equal(
          await store.updateWrapping('con_a', 'dk_other', 'kek_v1', next),
          false,
          'other data key',
        );
        assert.equal(await store.updateWrapping('con_a', 'dk_a', 'kek_v9', next), false, 'other kek');
        assert.equal(await store.updateWrapping('con_none', 'dk_a', 'kek_v1', next), false, 'no row');
        assert.equal(await store.updateWrapping('con_a', 'dk_a', 'kek_v1', next), true);
        const got = await store.get('con_a');
        assert.equal(got?.kekId, 'kek_v2');
        assert.deepEqual([...(got?.wrapped ?? [])], [9, 9, 0, 9]);
        assert.equal(got?.rotatedAt?.toISOString(), '2024-02-01T00:00:00.000Z');
        assert.equal(await store.updateWrapping('con_a', 'dk_a', 'kek_v1', next), false, 'already moved');
      },
    },
    {
      name: 'updateWrapping never resurrects a deleted (shredded) row',
      async run(store) {
        await store.insert(row('con_a', 'kek_v1', 'dk_a'));
        assert.equal(await store.delete('con_a'), true);
        const next = { kekId: 'kek_v2', wrapped: Buffer.from([1]), rotatedAt: new Date() };
        assert.equal(await store.updateWrapping('con_a', 'dk_a', 'kek_v1', next), false);
        assert.equal(await store.get('con_a'), undefined);
      },
    },
    {
      name: 'delete reports whether a row existed and is idempotent',
      async run(store) {
        await store.insert(row('con_a'));
        assert.equal(await store.delete('con_a'), true);
        assert.equal(await store.delete('con_a'), false);
        assert.equal(await store.get('con_a'), undefined);
      },
    },
    {
      name: 'listNotWrappedWith pages by owner id with a limit and a cursor',
      async run(store) {
        for (const id of ['con_d', 'con_b', 'con_a', 'con_c', 'con_e']) {
          await store.insert(row(id, id === 'con_c' ? 'kek_v2' : 'kek_v1'));
        }
        const first = await store.listNotWrappedWith('kek_v2', 2);
        assert.deepEqual(
          first.map((r) => r.ownerId),
          ['con_a', 'con_b'],
        );
        const second = await store.listNotWrappedWith('kek_v2', 2, 'con_b');
        assert.deepEqual(
          second.map((r) => r.ownerId),
          ['con_d', 'con_e'],
        );
        assert.deepEqual(await store.listNotWrappedWith('kek_v2', 2, 'con_e'), []);
        assert.ok(Buffer.isBuffer(first[0]?.wrapped));
      },
    },
    {
      name: 'countByKek groups rows by kek id',
      async run(store) {
        assert.deepEqual(await store.countByKek(), {});
        await store.insert(row('con_a', 'kek_v1'));
        await store.insert(row('con_b', 'kek_v1'));
        await store.insert(row('cli_c', 'kek_v2'));
        assert.deepEqual(await store.countByKek(), { kek_v1: 2, kek_v2: 1 });
      },
    },
  ];
}
