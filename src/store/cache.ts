/**
 * The `cache_entries` table. Bodies are vault ciphertext only (`Sealed`, owner = connection id, purpose `cache`):
 * the type makes writing plaintext a compile error, and reads re-check the envelope structure.
 */
import type { Kysely } from 'kysely';
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

export class CacheRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** The entry under `key` unless it has expired. */
  async read(key: string, now = Date.now()): Promise<CacheRow | undefined> {
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

  /** Refused (`ConnectionGoneError`, nothing written) once the connection is disconnected. */
  async write(e: CacheRow): Promise<void> {
    await whileConnected(this.db, this.dialect, e.connectionId, (trx) =>
      trx
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
        .execute(),
    );
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
