import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { seedConnections } from '../testing/fixtures.js';
import { LocalKeyring, type Sealed, Vault } from '../vault/index.js';
import type { Store } from './db.js';
import { testStoreKinds } from './testing.js';

describe.each(testStoreKinds)('cached answers on $name', (kind) => {
  let store: Store;
  let dir: string;
  afterEach(async () => {
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function seal(connectionId: string, bytes: Buffer): Promise<Sealed> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-cache-'));
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), store.dataKeys);
    return vault.seal(connectionId, 'cache', bytes);
  }

  async function connection(): Promise<string> {
    return (await seedConnections(store)).connections[0] as string;
  }

  it('reads a 50 KB sealed answer back byte for byte, with its row', async () => {
    store = await kind.open();
    const connectionId = await connection();
    // Every byte value, line breaks and NULs included, in a body the size of P5's answers.
    const plain = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(50_000)]);
    const body = await seal(connectionId, plain);
    const row = { key: `${connectionId}|employees|`, connectionId, resource: 'employees', body };
    await store.cache.write({ ...row, createdAt: 1_700_000_000_123, expiresAt: 1_700_000_360_123 });
    for (let i = 0; i < 3; i++) {
      // Three times: a named statement is prepared by the first read on a connection, reused by the next.
      const read = await store.cache.read(row.key, 1_700_000_000_500);
      expect(read).toEqual({ ...row, createdAt: 1_700_000_000_123, expiresAt: 1_700_000_360_123 });
      expect(Buffer.isBuffer(read?.body)).toBe(true);
      expect(read?.body.equals(body)).toBe(true);
    }
    expect(await store.cache.keys()).toEqual([row.key]);
    expect(await store.cache.read(row.key, 1_700_000_360_123)).toBeUndefined();
    expect(await store.cache.read(`${connectionId}|other|`, 0)).toBeUndefined();
  });

  it.runIf(kind.name === 'postgres')(
    'reads the answer with one named statement, other reads keep their types',
    async () => {
      store = await kind.open();
      const connectionId = await connection();
      const body = await seal(connectionId, randomBytes(1_000));
      await store.cache.write({ key: 'k', connectionId, resource: 'r', body, createdAt: 1, expiresAt: 9e12 });
      const pool = store.pgPool as pg.Pool;
      const asked: unknown[] = [];
      const query = pool.query.bind(pool);
      // Observes what the pool is asked (the query still runs on the real database).
      pool.query = ((config: unknown, values?: unknown) => {
        asked.push(config);
        return query(config as pg.QueryConfig, values as unknown[]);
      }) as typeof pool.query;
      expect((await store.cache.read('k', 2))?.body.equals(body)).toBe(true);
      expect(asked).toEqual([expect.objectContaining({ name: 'affix_cache_read', values: ['k', 2] })]);
      // The rest of the store still reads through Kysely as before: bytea as a Buffer, epoch ms as numbers.
      await store.connectionState.put(connectionId, 'x', Buffer.from([0, 10, 255]) as Sealed);
      expect(await store.connectionState.get(connectionId, 'x')).toEqual(Buffer.from([0, 10, 255]));
      expect(typeof (await store.connections.find(connectionId))?.createdAt).toBe('number');
      expect(await store.cache.countOfConnection(connectionId)).toBe(1);
    },
  );

  it.runIf(kind.name === 'postgres')(
    "commits its own write without waiting for the WAL flush, a caller's transaction as the caller's",
    async () => {
      store = await kind.open();
      const connectionId = await connection();
      const body = await seal(connectionId, randomBytes(100));
      const row = { connectionId, resource: 'r', body, createdAt: 1, expiresAt: 9e12 };
      // Observes the statements the pool's connections are given (they still run on the real database).
      const pool = store.pgPool as pg.Pool;
      const statements: string[] = [];
      const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
      pool.connect = (async () => {
        const client = await connect();
        const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
        client.query = ((text: string, values?: unknown[]) => {
          statements.push(text);
          return query(text, values);
        }) as typeof client.query;
        return client;
      }) as typeof pool.connect;
      const local = (list: string[]) => list.filter((t) => /synchronous_commit/.test(t));
      await store.cache.write({ key: 'a', ...row });
      expect(local(statements)).toEqual(['set local synchronous_commit = off']);
      statements.length = 0;
      await store.transaction((tx) => tx.cache.write({ key: 'b', ...row }));
      expect(statements.some((t) => /insert into "cache_entries"/.test(t))).toBe(true);
      expect(local(statements)).toEqual([]);
      // SET LOCAL ends with its transaction: the pooled connections are back to the server's setting.
      const shown = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(store.db);
      expect(shown.rows[0]?.synchronous_commit).toBe('on');
      expect(await store.cache.countOfConnection(connectionId)).toBe(2);
    },
  );
});
