/**
 * The request log (`request_log` + `request_log_names`): batched inserts, the filtered, newest-first reads behind
 * `/management/logs`, and the age and size caps the retention job enforces. Rows are compact: ids, provider and
 * method are small integers into the names table (cached here), the request id is its 16 random bytes.
 */
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import { ID_PREFIXES, isRequestIdForm } from '../ids.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export interface RequestLogEntry {
  id: string;
  createdAt: number;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  clientId: string | null;
  connectionId: string | null;
  provider: string | null;
}

/** A stored row: `rowId` is its place in insertion order (what a cursor continues after). */
export interface RequestLogRow extends RequestLogEntry {
  clientId: string;
  rowId: number;
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
  before?: { createdAt: number; rowId: number };
}

const REQUEST_PREFIX = ID_PREFIXES.request;
/** The base64url characters whose 6 bits end in 4 zeros: the last of 22 that encode exactly 16 bytes. */
const CANONICAL_LAST = 'AQgw';

/** `req_` + 22 base64url characters → 16 bytes; anything else → its UTF-8, padded so it is never 16 bytes. */
export function encodeRequestId(id: string): Buffer {
  // Only ids that round-trip (canonical base64url) take the short form: 22 characters hold 132 bits, and the last
  // one's 4 low bits must be zero (A, Q, g or w), or decoding would drop them.
  if (isRequestIdForm(id) && CANONICAL_LAST.includes(id.charAt(id.length - 1))) {
    return Buffer.from(id.slice(REQUEST_PREFIX.length), 'base64url');
  }
  const text = Buffer.from(id, 'utf8');
  return text.length === 16 ? Buffer.concat([text, Buffer.from([0])]) : text;
}

/** Each base64url character's 6 bits by its code (-1: not base64url). */
const BASE64URL = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  BASE64URL[c.charCodeAt(0)] = i;

/**
 * `encodeRequestId(id)` written into `slab` at `at` (16 bytes) and returned as a view of them, for the ids that take
 * the 16-byte form; others get `encodeRequestId`'s own buffer. A batch of rows decodes into one slab: the usual
 * `Buffer.from(…, 'base64url')` (a call into C++ and a pool slice per row) cost more than the rest of a row's
 * parameters (docs/benchmarks.md, "P4, sixth pass").
 */
export function requestIdInto(id: string, slab: Buffer, at: number): Buffer {
  const n = REQUEST_PREFIX.length;
  if (id.length !== n + 22 || !id.startsWith(REQUEST_PREFIX)) return encodeRequestId(id);
  let o = at;
  // 5 groups of 4 characters (3 bytes each), then 2 characters for the last byte (their last 4 bits zero).
  for (let i = n; i < n + 20; i += 4) {
    const a = BASE64URL[id.charCodeAt(i)] ?? -1;
    const b = BASE64URL[id.charCodeAt(i + 1)] ?? -1;
    const c = BASE64URL[id.charCodeAt(i + 2)] ?? -1;
    const d = BASE64URL[id.charCodeAt(i + 3)] ?? -1;
    if ((a | b | c | d) < 0) return encodeRequestId(id);
    slab[o++] = (a << 2) | (b >> 4);
    slab[o++] = ((b & 15) << 4) | (c >> 2);
    slab[o++] = ((c & 3) << 6) | d;
  }
  const a = BASE64URL[id.charCodeAt(n + 20)] ?? -1;
  const b = BASE64URL[id.charCodeAt(n + 21)] ?? -1;
  if ((a | b) < 0 || (b & 15) !== 0) return encodeRequestId(id);
  slab[o] = (a << 2) | (b >> 4);
  return slab.subarray(at, at + 16);
}

export function decodeRequestId(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length === 16) return REQUEST_PREFIX + b.toString('base64url');
  const text = b.toString('utf8');
  return text.length === 17 && text.endsWith('\0') ? text.slice(0, -1) : text;
}

/** The columns of a request_log insert, in the order of its parameters. */
const INSERT_COLUMNS = [
  'created_at',
  'request_id',
  'client',
  'connection',
  'provider',
  'method',
  'status',
  'latency',
  'path',
] as const;
/** Batches have at most the writer's chunk of rows (100), so at most that many inserts are compiled. */
const MAX_COMPILED_INSERTS = 1_000;

/**
 * The names of `rows` (client, method, connection, provider) not in `known`, each once. A row with the same names as
 * the row before (the same strings: one client's requests) is not looked up again.
 */
function namesOf(rows: readonly RequestLogEntry[], known: Map<string, number>): string[] {
  const missing = new Set<string>();
  const check = (name: string | null) => {
    if (name && !known.has(name)) missing.add(name);
  };
  let last: RequestLogEntry | undefined;
  for (const r of rows) {
    if (
      last?.clientId === r.clientId &&
      last.method === r.method &&
      last.connectionId === r.connectionId &&
      last.provider === r.provider
    )
      continue;
    check(r.clientId);
    check(r.method);
    check(r.connectionId);
    check(r.provider);
    last = r;
  }
  return [...missing];
}

/** Names cached per process; cleared when it would pass this many (ids are stable, so clearing only costs reads). */
const MAX_CACHED_NAMES = 100_000;

export class RequestLogsRepository {
  private readonly names = new Map<string, number>();
  /** The compiled insert of N rows, by N (`insertOf`). */
  private readonly inserts = new Map<number, CompiledQuery>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** The ids of `wanted`, creating those that are new. */
  private async intern(wanted: Iterable<string>): Promise<Map<string, number>> {
    const missing = [...new Set(wanted)].filter((n) => !this.names.has(n));
    if (missing.length > 0) {
      if (this.names.size + missing.length > MAX_CACHED_NAMES) this.names.clear();
      await this.db
        .insertInto('request_log_names')
        .values(missing.map((name) => ({ name })))
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const rows = await this.db
        .selectFrom('request_log_names')
        .select(['id', 'name'])
        .where('name', 'in', missing)
        .execute();
      for (const r of rows) this.names.set(r.name, Number(r.id));
    }
    return this.names;
  }

  /** The id of `name` if any row ever used it; never creates one (reads must not write). */
  private async lookup(name: string): Promise<number | undefined> {
    const cached = this.names.get(name);
    if (cached !== undefined) return cached;
    const row = await this.db
      .selectFrom('request_log_names')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (row) this.names.set(name, Number(row.id));
    return row ? Number(row.id) : undefined;
  }

  /** Writes rows in the given order; rows without a client are skipped (no one can read them back). */
  async insert(rows: readonly RequestLogEntry[]): Promise<void> {
    const kept = rows.filter((r): r is RequestLogEntry & { clientId: string } => r.clientId !== null);
    if (kept.length === 0) return;
    const missing = namesOf(kept, this.names);
    let ids = this.names;
    if (missing.length > 0) {
      ids = await this.intern(missing);
      // The name cache may have been cleared while interning (MAX_CACHED_NAMES): fetch what it lost.
      const lost = namesOf(kept, ids);
      if (lost.length > 0) ids = await this.intern(lost);
    }
    const ref = (name: string | null) => (name === null ? null : (ids.get(name) ?? null));
    // Both dialects allow ~1000 rows × 9 columns in one statement; batches are capped below that by the writer.
    const parameters: unknown[] = new Array(kept.length * INSERT_COLUMNS.length);
    const slab = Buffer.allocUnsafe(16 * kept.length);
    let p = 0;
    for (let i = 0; i < kept.length; i++) {
      const r = kept[i] as (typeof kept)[number];
      // In INSERT_COLUMNS' order.
      parameters[p++] = r.createdAt;
      parameters[p++] = requestIdInto(r.id, slab, 16 * i);
      parameters[p++] = ref(r.clientId);
      parameters[p++] = ref(r.connectionId);
      parameters[p++] = ref(r.provider);
      parameters[p++] = ref(r.method);
      parameters[p++] = r.status;
      parameters[p++] = Math.round(r.latencyMs * 100);
      parameters[p++] = r.path;
    }
    await this.db.executeQuery({ ...this.insertOf(kept.length), parameters });
  }

  /**
   * The insert of `count` rows, compiled once per count (Kysely builds and compiles a multi-row insert per row and
   * value, which cost more than the rest of a warm request: docs/benchmarks.md, "P4, fourth pass"); each batch
   * runs it with its own parameters. The SQL text is then the same string each time, which the SQLite statement
   * cache (db.ts) finds without hashing a new one.
   */
  private insertOf(count: number): CompiledQuery {
    let compiled = this.inserts.get(count);
    if (!compiled) {
      // A placeholder row: every column a parameter (no NULL literal), in INSERT_COLUMNS' order.
      const row = {
        created_at: 0,
        request_id: Buffer.alloc(16),
        client: 0,
        connection: 0,
        provider: 0,
        method: 0,
        status: 0,
        latency: 0,
        path: '',
      } satisfies Record<(typeof INSERT_COLUMNS)[number], unknown>;
      if (Object.keys(row).join() !== INSERT_COLUMNS.join())
        throw new Error('request_log insert: column order');
      compiled = this.db
        .insertInto('request_log')
        .values(Array.from({ length: count }, () => row))
        .compile();
      if (compiled.parameters.length !== count * INSERT_COLUMNS.length)
        throw new Error('request_log insert: one parameter per column and row expected');
      if (this.inserts.size >= MAX_COMPILED_INSERTS) this.inserts.clear();
      this.inserts.set(count, compiled);
    }
    return compiled;
  }

  /** A client's rows, newest first, filtered. */
  async query(q: RequestLogQuery): Promise<RequestLogRow[]> {
    const client = await this.lookup(q.clientId);
    if (client === undefined) return [];
    let query = this.db
      .selectFrom('request_log as l')
      .innerJoin('request_log_names as m', 'm.id', 'l.method')
      .leftJoin('request_log_names as c', 'c.id', 'l.connection')
      .leftJoin('request_log_names as p', 'p.id', 'l.provider')
      .select([
        'l.id',
        'l.created_at',
        'l.request_id',
        'l.status',
        'l.latency',
        'l.path',
        'm.name as method',
        'c.name as connection_id',
        'p.name as provider',
      ])
      .where('l.client', '=', client);
    if (typeof q.status === 'number') query = query.where('l.status', '=', q.status);
    else if (typeof q.status === 'string') {
      const base = Number(q.status[0]) * 100;
      query = query.where('l.status', '>=', base).where('l.status', '<', base + 100);
    }
    if (q.pathPrefix) {
      // Prefix match without LIKE wildcards from user input: compare the leading substring.
      query = query.where((eb) =>
        eb(
          eb.fn('substr', ['l.path', eb.val(1), eb.val(q.pathPrefix?.length ?? 0)]),
          '=',
          q.pathPrefix ?? '',
        ),
      );
    }
    if (q.connectionId) {
      const connection = await this.lookup(q.connectionId);
      if (connection === undefined) return [];
      query = query.where('l.connection', '=', connection);
    }
    if (q.since !== undefined) query = query.where('l.created_at', '>=', q.since);
    if (q.until !== undefined) query = query.where('l.created_at', '<', q.until);
    if (q.before) {
      const b = q.before;
      query = query.where((eb) =>
        eb.or([
          eb('l.created_at', '<', b.createdAt),
          eb.and([eb('l.created_at', '=', b.createdAt), eb('l.id', '<', b.rowId)]),
        ]),
      );
    }
    const rows = await query.orderBy('l.created_at', 'desc').orderBy('l.id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({
      rowId: Number(r.id),
      id: decodeRequestId(r.request_id),
      createdAt: Number(r.created_at),
      method: r.method,
      path: r.path,
      status: Number(r.status),
      latencyMs: Number(r.latency) / 100,
      clientId: q.clientId,
      connectionId: r.connection_id,
      provider: r.provider,
    }));
  }

  /**
   * Deletes rows created before `cutoff`. Ids follow time (each node writes in order, nodes at most a batch
   * apart), so this walks the key from the oldest row instead of keeping an index on time.
   */
  async deleteBefore(cutoff: number): Promise<number> {
    const firstKept = await this.db
      .selectFrom('request_log')
      .select('id')
      .where('created_at', '>=', cutoff)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    let q = this.db.deleteFrom('request_log').where('created_at', '<', cutoff);
    if (firstKept) q = q.where('id', '<', Number(firstKept.id));
    return Number((await q.executeTakeFirst()).numDeletedRows);
  }

  /** Deletes the oldest rows beyond the newest `maxRows` (by insertion order); never keeps more than that. */
  async deleteBeyond(maxRows: number): Promise<number> {
    const newest = await this.db
      .selectFrom('request_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    if (newest?.id === null || newest?.id === undefined) return 0;
    const res = await this.db
      .deleteFrom('request_log')
      .where('id', '<=', Number(newest.id) - maxRows)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Bytes the request log occupies on disk, tables and indexes (benchmarks and operators' sizing). */
  async storageBytes(): Promise<number> {
    const tables = ['request_log', 'request_log_names'];
    if (this.dialect === 'postgres') {
      let total = 0;
      for (const t of tables) {
        const r = await sql<{ n: string }>`select pg_total_relation_size(${t}::regclass) as n`.execute(
          this.db,
        );
        total += Number(r.rows[0]?.n ?? 0);
      }
      return total;
    }
    // dbstat counts whole pages of the tables and of every index on them, like pg_total_relation_size.
    const r = await sql<{ n: number | null }>`select sum(pgsize) as n from dbstat where name in
      (select name from sqlite_master where tbl_name in (${sql.join(tables)}))`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }
}
