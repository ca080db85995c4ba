/**
 * 0012 moves the rows of the old `request_logs` table into the compact one: what a client read before the upgrade
 * it reads after, in the same order; rows without a client (unreadable) are not carried over.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from './db.js';
import { migrateTo } from './migrations.js';
import { openTestStore, testStoreKinds } from './testing.js';

describe.each(testStoreKinds)('request log migration on $name', (kind) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('carries the old rows over with every field, newest first, and drops the old table', async () => {
    const s = await openTestStore(kind.name, ':memory:', { migrate: false });
    store = s;
    await migrateTo(s.db, s.dialect, '0004_sealed_state');
    const old = (id: string, at: number, seq: number, client: string | null, connection: string | null) =>
      sql`insert into request_logs
            (id, created_at, seq, method, path, status, latency_ms, client_id, connection_id, provider)
          values (${id}, ${at}, ${seq}, 'POST', '/2023-03-01/xhr/employees?x=1', 201, 3.25, ${client},
            ${connection}, ${connection ? 'sandbox' : null})`.execute(s.db);
    await old('req_a', 1_700_000_000_000, 1, 'cli_1', 'con_1');
    await old('req_b', 1_700_000_000_000, 2, 'cli_1', null);
    await old('req_c', 1_700_000_000_500, 3, 'cli_2', 'con_2');
    await old('req_d', 1_700_000_000_600, 4, null, null);
    expect(await s.migrate()).toContain('0012_compact_request_log');

    const carried = {
      createdAt: 1_700_000_000_000,
      method: 'POST',
      path: '/2023-03-01/xhr/employees?x=1',
      status: 201,
      latencyMs: 3.25,
      clientId: 'cli_1',
    };
    const rows = await s.requestLogs.query({ clientId: 'cli_1', limit: 10 });
    expect(rows.map(({ rowId: _, ...r }) => r)).toEqual([
      {
        id: 'req_b',
        ...carried,
        connectionId: null,
        provider: null,
      },
      {
        id: 'req_a',
        ...carried,
        connectionId: 'con_1',
        provider: 'sandbox',
      },
    ]);
    expect((await s.requestLogs.query({ clientId: 'cli_2', limit: 10 })).map((r) => r.id)).toEqual(['req_c']);
    expect(await s.requestLogs.deleteBeyond(0)).toBe(3);
    await expect(sql`select count(*) from request_logs`.execute(s.db)).rejects.toThrow();
  });
});
