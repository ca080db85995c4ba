/**
 * One database transaction with a vault that seals inside it: `inTransaction(services, async (tx) => …)` gives
 * `tx.store` (the transaction's repositories) and `tx.vault` (creates and reads data keys through the same
 * transaction, so a new data key commits or rolls back with the rows sealed under it). Used where a change and
 * the job or webhook it causes must commit together: snapshot + outbox row, connection state + lifecycle event.
 */
import type { Services } from '../services.js';
import type { StoreTransaction } from '../store/db.js';
import { Vault } from '../vault/index.js';

export interface Tx {
  store: StoreTransaction;
  vault: Vault;
}

export function inTransaction<T>(
  services: Pick<Services, 'store' | 'keyring'>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return services.store.transaction((store) => fn(txOf(services, store)));
}

/** A `Tx` over a transaction's repositories (opened elsewhere, e.g. by the snapshot write). */
export function txOf(services: Pick<Services, 'keyring'>, store: StoreTransaction): Tx {
  // No data-key cache: this vault lives for one transaction, and must never serve a key it did not read through it.
  return { store, vault: new Vault(services.keyring, store.dataKeys, { cache: { maxEntries: 0 } }) };
}
