/**
 * The `webhook_snapshots` table: per connection and polled resource, the last good fetch that change webhooks diff
 * against (vault ciphertext only; its format is src/webhooks/snapshot.ts's). A replacement commits only over the
 * version it was computed from (`replace`), in one transaction with whatever the caller writes beside it (the
 * webhook event), so a crash or a concurrent poll can neither lose nor duplicate an event.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Sealed } from '../vault/index.js';
import { whileConnected } from './connection-guard.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

/** A transaction of the store, handed to code that writes beside a snapshot (the webhook outbox). */
export type StoreTransaction = Transaction<Database>;

export interface SnapshotRow {
  sealed: Sealed;
  /** How many records it holds (in clear: operators may count, not read). */
  records: number;
  version: number;
  takenAt: number;
}

export class WebhookSnapshotsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async read(connectionId: string, resource: string): Promise<SnapshotRow | undefined> {
    const row = await this.db
      .selectFrom('webhook_snapshots')
      .select(['sealed', 'records', 'version', 'taken_at'])
      .where('connection_id', '=', connectionId)
      .where('resource', '=', resource)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      // Checked when the vault opens it: a damaged row reads as unreadable there, and the poll starts a new baseline.
      sealed: Buffer.from(row.sealed) as Sealed,
      records: Number(row.records),
      version: Number(row.version),
      takenAt: Number(row.taken_at),
    };
  }

  /**
   * Writes the new snapshot only over version `expected` (`null`: only if there is none yet), then runs `beside`
   * in the same transaction; returns false (nothing written, `beside` not run) when another write came first. If
   * `beside` throws, nothing is written and the error propagates. Refused (`ConnectionGoneError`) once the
   * connection is disconnected. Seal before calling: the vault must not run inside a transaction (it may read the
   * store itself, which on SQLite's single connection would wait for this transaction).
   */
  async replace(
    connectionId: string,
    resource: string,
    expected: number | null,
    next: { sealed: Sealed; records: number; takenAt: number },
    beside?: (trx: StoreTransaction) => Promise<void>,
  ): Promise<boolean> {
    return whileConnected(this.db, this.dialect, connectionId, async (trx) => {
      let written: number;
      if (expected === null) {
        const res = await trx
          .insertInto('webhook_snapshots')
          .values({
            connection_id: connectionId,
            resource,
            sealed: next.sealed,
            records: next.records,
            version: 1,
            taken_at: next.takenAt,
          })
          .onConflict((oc) => oc.columns(['connection_id', 'resource']).doNothing())
          .executeTakeFirst();
        written = Number(res.numInsertedOrUpdatedRows ?? 0);
      } else {
        const res = await trx
          .updateTable('webhook_snapshots')
          .set({ sealed: next.sealed, records: next.records, version: expected + 1, taken_at: next.takenAt })
          .where('connection_id', '=', connectionId)
          .where('resource', '=', resource)
          .where('version', '=', expected)
          .executeTakeFirst();
        written = Number(res.numUpdatedRows);
      }
      if (written !== 1) return false;
      await beside?.(trx);
      return true;
    });
  }

  /** Returns how many rows went. */
  async deleteOfConnection(connectionId: string): Promise<number> {
    const res = await this.db
      .deleteFrom('webhook_snapshots')
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
