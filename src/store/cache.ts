import type { Store } from './db.js';

export interface CacheRow {
  key: string;
  connectionId: string;
  resource: string;
  body: Buffer;
  createdAt: number;
  expiresAt: number;
}

export async function readCacheEntry(store: Store, key: string, now = Date.now()): Promise<CacheRow | undefined> {
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
    body: Buffer.from(row.body),
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

export async function deleteCacheOfConnection(store: Store, connectionId: string): Promise<void> {
  await store.db.deleteFrom('cache_entries').where('connection_id', '=', connectionId).execute();
}

export async function deleteExpiredCache(store: Store, now = Date.now()): Promise<number> {
  const res = await store.db.deleteFrom('cache_entries').where('expires_at', '<=', now).executeTakeFirst();
  return Number(res.numDeletedRows);
}
