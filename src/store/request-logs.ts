/**
 * The `request_logs` table: batched inserts and the filtered, newest-first reads behind `/management/logs`.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export interface RequestLogEntry {
  id: string;
  createdAt: number;
  /** Monotonic per writing process: orders rows that share a millisecond. */
  seq: number;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  clientId: string | null;
  connectionId: string | null;
  provider: string | null;
}

export interface RequestLogQuery {
  clientId: string;
  /** Exact status (404) or a class (`4xx`). */
  status?: number | `${1 | 2 | 3 | 4 | 5}xx`;
  /** Path prefix, e.g. `/2023-03-01/xhr/employees`. */
  pathPrefix?: string;
  connectionId?: string;
  since?: number;
  until?: number;
  limit: number;
  /** Continue after this row (from the previous page's last row). */
  before?: { createdAt: number; seq: number; id: string };
}

export class RequestLogsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Bytes the request log occupies on disk, tables and indexes (benchmarks and operators' sizing). */
  async storageBytes(): Promise<number> {
    const tables = ['request_logs'];
    if (this.dialect === 'postgres') {
      let total = 0;
      for (const t of tables) {
        const r = await sql<{ n: string }>`select pg_total_relation_size(${t}::regclass) as n`.execute(this.db);
        total += Number(r.rows[0]?.n ?? 0);
      }
      return total;
    }
    // dbstat counts whole pages of the tables and of every index on them, like pg_total_relation_size.
    const r = await sql<{ n: number | null }>`select sum(pgsize) as n from dbstat where name in
      (select name from sqlite_master where tbl_name in (${sql.join(tables)}))`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  async insert(rows: readonly RequestLogEntry[]): Promise<void> {
    if (rows.length === 0) return;
    // Both dialects allow ~1000 rows × 9 columns in one statement; batches are capped below that by the writer.
    await this.db
      .insertInto('request_logs')
      .values(
        rows.map((r) => ({
          id: r.id,
          created_at: r.createdAt,
          seq: r.seq,
          method: r.method,
          path: r.path,
          status: r.status,
          latency_ms: r.latencyMs,
          client_id: r.clientId,
          connection_id: r.connectionId,
          provider: r.provider,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /** A client's rows, newest first, filtered. */
  async query(q: RequestLogQuery): Promise<RequestLogEntry[]> {
    let query = this.db.selectFrom('request_logs').selectAll().where('client_id', '=', q.clientId);
    if (typeof q.status === 'number') query = query.where('status', '=', q.status);
    else if (typeof q.status === 'string') {
      const base = Number(q.status[0]) * 100;
      query = query.where('status', '>=', base).where('status', '<', base + 100);
    }
    if (q.pathPrefix) {
      // Prefix match without LIKE wildcards from user input: compare the leading substring.
      query = query.where((eb) =>
        eb(eb.fn('substr', ['path', eb.val(1), eb.val(q.pathPrefix?.length ?? 0)]), '=', q.pathPrefix ?? ''),
      );
    }
    if (q.connectionId) query = query.where('connection_id', '=', q.connectionId);
    if (q.since !== undefined) query = query.where('created_at', '>=', q.since);
    if (q.until !== undefined) query = query.where('created_at', '<', q.until);
    if (q.before) {
      const b = q.before;
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', b.createdAt),
          eb.and([eb('created_at', '=', b.createdAt), eb('seq', '<', b.seq)]),
          eb.and([eb('created_at', '=', b.createdAt), eb('seq', '=', b.seq), eb('id', '<', b.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('seq', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: Number(r.created_at),
      seq: Number(r.seq),
      method: r.method,
      path: r.path,
      status: Number(r.status),
      latencyMs: Number(r.latency_ms),
      clientId: r.client_id,
      connectionId: r.connection_id,
      provider: r.provider,
    }));
  }

  async deleteBefore(cutoff: number): Promise<number> {
    const res = await this.db.deleteFrom('request_logs').where('created_at', '<', cutoff).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
