/**
 * Disconnect = crypto-shredding. Removes everything Affix holds for a connection and makes any copy
 * left elsewhere (backups, WAL pages, other nodes' caches) unreadable:
 *
 * 1. tokens revoked (every node sees it within the 1 s status cache);
 * 2. sealed secrets (credentials, cookies), adapter state, webhook snapshots, cached responses (store and this
 *    node's memory) and screenshot files deleted;
 * 3. the connection's data key shredded — every ciphertext sealed for it, wherever it lives, is now noise;
 * 4. on SQLite, the WAL checkpointed and truncated, so no old page image with the ciphertext stays on disk;
 * 5. the connection marked disconnected (the row keeps ids and non-secret settings for the audit trail).
 *
 * Idempotent: a second call finds nothing and returns zeros. Order matters: revoke first so no new request can
 * start a fetch; mark the connection disconnected before deleting anything, because from that commit on the store
 * refuses every write for it (cache rows, state, secrets, a new data key; see src/store/connection-guard.ts), and
 * a write that got in before it has committed by then and is deleted below; abort this node's running fetches so
 * they stop calling the provider; shred last.
 */
import type { Services } from '../services.js';
import { deleteScreenshots } from './screenshots.js';

export interface WipeReport {
  secrets: number;
  state: number;
  cache: number;
  dataKeyShredded: boolean;
}

export async function wipeConnection(services: Services, connectionId: string): Promise<WipeReport> {
  const { store } = services;
  const now = Date.now();
  await store.tokens.revokeOfConnection(connectionId, now);
  await store.connections.markDisconnected(connectionId, now);
  services.connectionCache.forget(connectionId);
  services.jobs.abortConnection(connectionId);

  const secrets = await store.connectionSecrets.deleteOfConnection(connectionId);
  const state = await store.connectionState.deleteOfConnection(connectionId);
  await store.webhookSnapshots.deleteOfConnection(connectionId);
  const cache = await store.cache.countOfConnection(connectionId);
  await services.cache.invalidateConnection(connectionId);
  await deleteScreenshots(services, connectionId);
  const dataKeyShredded = await services.vault.shred(connectionId);
  await store.checkpoint();
  return { secrets, state, cache, dataKeyShredded };
}
