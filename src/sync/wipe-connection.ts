/**
 * Disconnect = crypto-shredding. Removes everything Affix holds for a connection and makes any copy
 * left elsewhere (backups, WAL pages, other nodes' caches) unreadable:
 *
 * 1. tokens revoked (every node sees it within the 1 s status cache);
 * 2. sealed secrets (credentials, cookies), adapter state, cached responses (store and this node's memory) and
 *    screenshot files deleted;
 * 3. the connection's data key shredded — every ciphertext sealed for it, wherever it lives, is now noise;
 * 4. on SQLite, the WAL checkpointed and truncated, so no old page image with the ciphertext stays on disk;
 * 5. the connection marked disconnected (the row keeps ids and non-secret settings for the audit trail).
 *
 * Idempotent: a second call finds nothing and returns zeros. Order matters: revoke first so no request can fetch
 * and re-cache data while the rest goes; shred last so a concurrent fetch that sealed a cache row in between
 * still loses its key.
 */
import { sql } from 'kysely';
import type { Services } from '../services.js';
import { revokeTokensOfConnection } from '../store/tokens.js';
import { forgetConnection } from './connections.js';
import { deleteScreenshots } from './screenshots.js';

export interface WipeReport {
  secrets: number;
  state: number;
  cache: number;
  dataKeyShredded: boolean;
}

export async function wipeConnection(services: Services, connectionId: string): Promise<WipeReport> {
  const { db } = services.store;
  const now = Date.now();
  await revokeTokensOfConnection(services.store, connectionId, now);
  await db
    .updateTable('connections')
    .set({ status: 'disconnected', disconnected_at: now })
    .where('id', '=', connectionId)
    .where('disconnected_at', 'is', null)
    .execute();
  forgetConnection(connectionId);

  const secrets = await db
    .deleteFrom('connection_secrets')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  const state = await db
    .deleteFrom('connection_state')
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  const cacheRows = await db
    .selectFrom('cache_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  await services.cache.invalidateConnection(connectionId);
  await deleteScreenshots(services, connectionId);
  const dataKeyShredded = await services.vault.shred(connectionId);
  if (services.store.dialect === 'sqlite') {
    // secure_delete zeroes freed space in the pages it writes, but the WAL keeps older page images until it is
    // checkpointed; TRUNCATE folds them into the main file and cuts the WAL to zero bytes.
    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
  }
  return {
    secrets: Number(secrets.numDeletedRows),
    state: Number(state.numDeletedRows),
    cache: Number(cacheRows?.n ?? 0),
    dataKeyShredded,
  };
}
