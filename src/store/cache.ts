/**
 * The `cache_entries` table. Bodies are vault ciphertext only (`Sealed`, owner = connection id, purpose `cache`):
 * the type makes writing plaintext a compile error, and reads re-check the envelope structure.
 */
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { type Sealed, sealedFromStorage } from '../vault/index.js';
import { whileConnected } from './connection-guard.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export interface CacheRow {
  key: string;
  connectionId: string;
  resource: string;
  body: Sealed;
  createdAt: number;
  expiresAt: number;
}

/** The statement name of `CacheRepository.read` on PostgreSQL (prepared once per pooled connection). */
const READ_STATEMENT = 'affix_cache_read';

interface PgReadRow {
  connection_id: string;
  resource: string;
  /** The sealed body in base64 (PostgreSQL's `encode`, a line break every 76 characters). */
  body: string;
  created_at: number;
  expires_at: number;
}

export class CacheRepository {
  /** PostgreSQL: the answer's read, compiled once (its parameters: the key, then the time). */
  private readonly pgRead: CompiledQuery | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    /**
     * PostgreSQL outside a transaction: the pool `read` runs its named statement on. A row read is the store read of
     * every answer memory does not hold (P5: most reads at 10,000 connections), and its body is 50 KB: node-postgres
     * reads results as text, where `bytea` is hex (twice the bytes, decoded in JS), and Kysely's query is parsed and
     * planned anew each time. See docs/benchmarks.md, "P5 on PostgreSQL".
     */
    private readonly pool?: pg.Pool,
  ) {
    this.pgRead = pool
      ? db
          .selectFrom('cache_entries')
          .select([
            'connection_id',
            'resource',
            // base64 is 1.35× the bytes (line breaks included; Buffer.from skips them), hex 2×, and decodes faster.
            sql<string>`encode(${sql.ref('body')}, 'base64')`.as('body'),
            'created_at',
            'expires_at',
          ])
          .where('key', '=', '')
          .where('expires_at', '>', 0)
          .compile()
      : undefined;
  }

  /** The entry under `key` unless it has expired. */
  async read(key: string, now = Date.now()): Promise<CacheRow | undefined> {
    if (this.pool && this.pgRead) {
      const res = await this.pool.query<PgReadRow>({
        name: READ_STATEMENT,
        text: this.pgRead.sql,
        values: [key, now],
      });
      const found = res.rows[0];
      if (!found) return undefined;
      return {
        key,
        connectionId: found.connection_id,
        resource: found.resource,
        body: sealedFromStorage(Buffer.from(found.body, 'base64')),
        createdAt: Number(found.created_at),
        expiresAt: Number(found.expires_at),
      };
    }
    const row = await this.db
      .selectFrom('cache_entries')
      .selectAll()
      .where('key', '=', key)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      key: row.key,
      connectionId: row.connection_id,
      resource: row.resource,
      body: sealedFromStorage(row.body),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  /**
   * Refused (`ConnectionGoneError`, nothing written) once the connection is disconnected. On PostgreSQL, in a
   * transaction of its own, the commit does not wait for the WAL flush (`synchronous_commit = off` for this
   * transaction only): a crash may lose the last fraction of a second of cached answers, which are then fetched
   * again, and nothing else (docs/operations.md, "Cached answers on PostgreSQL"). In a caller's transaction the
   * caller's commit rules.
   */
  async write(e: CacheRow): Promise<void> {
    const own = this.dialect === 'postgres' && !this.db.isTransaction;
    await whileConnected(this.db, this.dialect, e.connectionId, async (trx) => {
      if (own) await sql`set local synchronous_commit = off`.execute(trx);
      await trx
        .insertInto('cache_entries')
        .values({
          key: e.key,
          connection_id: e.connectionId,
          resource: e.resource,
          body: e.body,
          created_at: e.createdAt,
          expires_at: e.expiresAt,
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({ body: e.body, created_at: e.createdAt, expires_at: e.expiresAt }),
        )
        .execute();
    });
  }

  /** The keys of up to `limit` entries, expired or not (bench/cache-row-read.ts reads a warmed database's rows). */
  async keys(limit = 100_000): Promise<string[]> {
    const rows = await this.db.selectFrom('cache_entries').select('key').limit(limit).execute();
    return rows.map((r) => r.key);
  }

  async delete(key: string): Promise<void> {
    await this.db.deleteFrom('cache_entries').where('key', '=', key).execute();
  }

  async deleteOfConnection(connectionId: string): Promise<void> {
    await this.db.deleteFrom('cache_entries').where('connection_id', '=', connectionId).execute();
  }

  /** How many entries a connection has, expired or not. */
  async countOfConnection(connectionId: string): Promise<number> {
    const row = await this.db
      .selectFrom('cache_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Deletes expired rows, and rows older than `maxAgeMs` whatever their expiry says (the retention promise holds
   * even for rows written under a longer TTL than today's).
   */
  async deleteExpired(now = Date.now(), maxAgeMs?: number): Promise<number> {
    const res = await this.db
      .deleteFrom('cache_entries')
      .where((eb) =>
        maxAgeMs === undefined
          ? eb('expires_at', '<=', now)
          : eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', now - maxAgeMs)]),
      )
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
