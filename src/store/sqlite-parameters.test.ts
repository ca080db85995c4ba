/**
 * SQLite statements take Kysely's parameters as arguments (db.ts `spreading`): the same values bound as from the
 * array, objects other than byte arrays and very long lists still handed over as the array.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, openStore } from './db.js';

let store: Store | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function open(): Promise<Store> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-sqlite-params-'));
  store = await openStore(path.join(dir, 'db.sqlite'));
  await store.migrate();
  return store;
}

/** better-sqlite3's Statement methods, wrapped to record how many arguments each call got. */
function recordArguments(): { counts: number[]; restore: () => void } {
  const probe = new SQLite(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  probe.close();
  const counts: number[] = [];
  const originals = new Map<string, unknown>();
  for (const name of ['run', 'all', 'iterate']) {
    const original = proto[name] as (...args: unknown[]) => unknown;
    originals.set(name, original);
    proto[name] = function (this: unknown, ...args: unknown[]) {
      counts.push(args.length);
      return original.apply(this, args);
    };
  }
  const restore = () => {
    for (const [name, fn] of originals) proto[name] = fn;
  };
  return { counts, restore };
}

describe('SQLite parameters', () => {
  it('binds numbers, strings, null, bigints and bytes as the array did', async () => {
    const s = await open();
    const bytes = Buffer.from([0, 1, 2, 255]);
    const { rows } = await sql<
      Record<string, unknown>
    >`select ${1.5} as n, ${'té'} as t, ${null} as z, ${12n} as b,
      ${bytes} as y, ${new Uint8Array([7])} as u`.execute(s.db);
    expect(rows).toEqual([{ n: 1.5, t: 'té', z: null, b: 12, y: bytes, u: Buffer.from([7]) }]);
  });

  it('hands values as arguments, and objects or long lists as the array', async () => {
    const s = await open();
    const recorded = recordArguments();
    try {
      await s.requestLogs.insert([
        {
          id: 'req_AAAAAAAAAAAAAAAAAAAAAA',
          createdAt: 1,
          method: 'GET',
          path: '/x',
          status: 200,
          latencyMs: 1.25,
          clientId: 'cli_a',
          connectionId: null,
          provider: null,
        },
      ]);
      // The row's insert: its 9 parameters as 9 arguments (the names' insert and read before it, too).
      expect(recorded.counts.at(-1)).toBe(9);
      recorded.counts.length = 0;
      // A plain object is refused as before (as an argument it would be taken for named parameters).
      await expect(sql`select ${{ a: 1 } as unknown as string} as o`.execute(s.db)).rejects.toThrow(
        /can only bind/,
      );
      expect(recorded.counts).toEqual([1]);
      const many = Array.from({ length: 3_000 }, (_, i) => i);
      const { rows } = await sql<{
        n: number;
      }>`select count(*) as n from (select 1 where 1 in (${sql.join(many)}))`.execute(s.db);
      expect(rows).toEqual([{ n: 1 }]);
      expect(recorded.counts.at(-1)).toBe(1);
    } finally {
      recorded.restore();
    }
  });
});
