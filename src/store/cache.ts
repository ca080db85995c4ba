/**
 * The `cache_entries` table. Bodies are vault ciphertext only (`Sealed`, owner = connection id, purpose `cache`):
 * the type makes writing plaintext a compile error, and reads re-check the envelope structure.
 */
import { type Sealed, sealedFromStorage } from '../vault/index.js';
import type { Store } from './db.js';

export interface CacheRow {
  key: string;
  connectionId: string;
  resource: string;
  body: Sealed;
  createdAt: number;
  expiresAt: number;
}

export async function readCacheEntry(
  store: Store,
  key: string,
  now = Date.now(),
): Promise<CacheRow | undefined> {
  const row = await store.db
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

export async function writeCacheEntry(store: Store, e: CacheRow): Promise<void> {
  const values = {
    key: e.key,
    connection_id: e.connectionId,
    resource: e.resource,
    body: e.body,
    created_at: e.createdAt,
    expires_at: e.expiresAt,
  };
  await store.db
    .insertInto('cache_entries')
    .values(values)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ body: e.body, created_at: e.createdAt, expires_at: e.expiresAt }),
    )
    .execute();
}

export async function deleteCacheEntry(store: Store, key: string): Promise<void> {
  await store.db.deleteFrom('cache_entries').where('key', '=', key).execute();
}

export async function deleteCacheOfConnection(store: Store, connectionId: string): Promise<void> {
  await store.db.deleteFrom('cache_entries').where('connection_id', '=', connectionId).execute();
}

/**
 * Deletes expired rows, and rows older than `maxAgeMs` whatever their expiry says (the retention promise holds
 * even for rows written under a longer TTL than today's).
 */
export async function deleteExpiredCache(store: Store, now = Date.now(), maxAgeMs?: number): Promise<number> {
  const res = await store.db
    .deleteFrom('cache_entries')
    .where((eb) =>
      maxAgeMs === undefined
        ? eb('expires_at', '<=', now)
        : eb.or([eb('expires_at', '<=', now), eb('created_at', '<=', now - maxAgeMs)]),
    )
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
