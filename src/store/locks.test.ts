/**
 * Cluster-wide locks: on PostgreSQL two stores (two nodes' pools) on one schema run tasks under one name strictly
 * one at a time, different names in parallel, the lock is released when the task throws, a wait longer than
 * allowed fails with LockTimeoutError, and a node holds at most MAX_HELD locks at once (so holders that query the
 * database cannot starve its pool); on SQLite the task just runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LockTimeoutError, MAX_HELD } from './locks.js';
import { createPgSchema, openTestStore, postgresUrl } from './testing.js';
import { openStore } from './db.js';

describe('AdvisoryLocks', () => {
  it('SQLite: the task runs (one process; callers keep their own single-flight)', async () => {
    const store = await openTestStore('sqlite');
    try {
      expect(await store.locks.exclusive('x', async () => 42)).toBe(42);
    } finally {
      await store.close();
    }
  });

  describe.skipIf(!postgresUrl)('PostgreSQL (two pools on one schema)', () => {
    const closing: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const close of closing.reverse()) await close();
    });
    const pair = async () => {
      const schema = await createPgSchema();
      closing.push(() => schema.drop());
      const one = await openStore(postgresUrl as string, { pgSchema: schema.name });
      const two = await openStore(postgresUrl as string, { pgSchema: schema.name });
      closing.push(
        () => one.close(),
        () => two.close(),
      );
      return [one, two] as const;
    };

    it('one name: one holder at a time across pools; other names do not wait; released after a throw', async () => {
      const [one, two] = await pair();
      let inside = 0;
      let most = 0;
      const task = async () => {
        inside++;
        most = Math.max(most, inside);
        await sleep(50);
        inside--;
      };
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? one : two).locks.exclusive('conn_1/relogin', task)),
      );
      expect(most).toBe(1);
      await expect(
        one.locks.exclusive('conn_1/relogin', async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await two.locks.exclusive('conn_1/relogin', async () => 'free again')).toBe('free again');
      let held = false;
      const holder = one.locks.exclusive('conn_2/relogin', async () => {
        held = true;
        await sleep(300);
      });
      while (!held) await sleep(5);
      expect(await two.locks.exclusive('conn_3/relogin', async () => 'other name')).toBe('other name');
      await expect(two.locks.exclusive('conn_2/relogin', async () => 'late', 50)).rejects.toBeInstanceOf(
        LockTimeoutError,
      );
      await holder;
      expect(await two.locks.exclusive('conn_2/relogin', async () => 'after')).toBe('after');
    }, 30_000);

    it('twenty names at once, each task querying the database: the pool (10) is never all held by lock holders', async () => {
      const [one] = await pair();
      await one.migrate();
      let inside = 0;
      let most = 0;
      const done = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          one.locks.exclusive(`conn_${i}/relogin`, async () => {
            inside++;
            most = Math.max(most, inside);
            // A re-login reads and writes the connection's state while it holds the lock.
            await one.connectionState.get(`conn_${i}`, 'session.web');
            await sleep(20);
            inside--;
            return i;
          }),
        ),
      );
      expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(most).toBe(MAX_HELD);
    }, 30_000);
  });
});
