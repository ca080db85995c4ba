/**
 * Disconnect = crypto-shredding. Removes everything Affix holds for a connection and makes any copy
 * left elsewhere (backups, WAL pages, other nodes' caches) unreadable:
 *
 * 1. tokens revoked (every node hears it at once through the cluster bus, src/cluster/bus.ts; at worst within
 *    its 1 s status cache);
 * 2. sealed secrets (credentials, cookies), adapter state, webhook snapshots, cached responses (store and this
 *    node's memory) and screenshot files deleted;
 * 3. the connection's data key shredded — every ciphertext sealed for it, wherever it lives, is now noise;
 * 4. on SQLite, the WAL checkpointed and truncated, so no old page image with the ciphertext stays on disk;
 * 5. the connection marked disconnected (the row keeps ids and non-secret settings for the audit trail), in the
 *    transaction that queues the `connection.disconnected` webhook and deletes its undelivered change events.
 *
 * Idempotent: a second call finds nothing and returns zeros. Order matters: revoke first so no new request can
 * start a fetch; mark the connection disconnected before deleting anything, because from that commit on the store
 * refuses every write for it (cache rows, state, secrets, a new data key; see src/store/connection-guard.ts), and
 * a write that got in before it has committed by then and is deleted below; abort this node's running fetches so
 * they stop calling the provider; shred last; then tell every node (which abort theirs and forget their copies).
 */
import type { Services } from '../services.js';
import { EMPLOYEES_CHANGED, enqueueLifecycleEvent } from '../webhooks/outbox.js';
import { deleteScreenshots } from './screenshots.js';
import { inTransaction } from './transaction.js';

export interface WipeReport {
  secrets: number;
  state: number;
  cache: number;
  dataKeyShredded: boolean;
}

export async function wipeConnection(services: Services, connectionId: string): Promise<WipeReport> {
  try {
    return await wipe(services, connectionId);
  } finally {
    // Every node (this one first) drops its copies: token statuses, the connection row, response bytes, running
    // fetches, the unwrapped data key. Announced even when a step above failed: the tokens are revoked by then.
    await services.bus.publish({ kind: 'disconnect', connectionId });
  }
}

async function wipe(services: Services, connectionId: string): Promise<WipeReport> {
  const { store } = services;
  const now = Date.now();
  await store.tokens.revokeOfConnection(connectionId, now);
  // The first disconnect also tells the client's webhook (same transaction) and drops the connection's pending
  // change events, whose bodies hold its employees; lifecycle events carry no personal data and stay.
  const connection = await store.connections.find(connectionId);
  await inTransaction(services, async (tx) => {
    if (!(await tx.store.connections.markDisconnected(connectionId, now)) || !connection) return;
    await tx.store.webhookEvents.deleteChangesOfConnection(connectionId, EMPLOYEES_CHANGED);
    await enqueueLifecycleEvent(tx, 'connection.disconnected', connection);
  });
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
