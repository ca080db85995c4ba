/**
 * The `connection_state` table: adapter state rows (refreshed tokens, web sessions), vault ciphertext only; see
 * `sealedConnectionState` in src/sync/connections.ts for what is sealed and how. Each row carries a version that
 * every write bumps, so a read-modify-write can commit only over the row it read (`compareAndSet`).
 */
import type { Kysely } from 'kysely';
import type { Sealed } from '../vault/index.js';
import { whileConnected } from './connection-guard.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export interface StateRow {
  sealed: Sealed;
  version: number;
}

export class ConnectionStateRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async get(connectionId: string, key: string): Promise<Sealed | undefined> {
    return (await this.read(connectionId, key))?.sealed;
  }

  async read(connectionId: string, key: string): Promise<StateRow | undefined> {
    const row = await this.db
      .selectFrom('connection_state')
      .select(['sealed', 'version'])
      .where('connection_id', '=', connectionId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? { sealed: Buffer.from(row.sealed) as Sealed, version: Number(row.version) } : undefined;
  }

  /** Upserts the row. Refused (`ConnectionGoneError`, nothing written) once the connection is disconnected. */
  async put(connectionId: string, key: string, sealed: Sealed, now = Date.now()): Promise<void> {
    await whileConnected(this.db, this.dialect, connectionId, (trx) =>
      trx
        .insertInto('connection_state')
        .values({ connection_id: connectionId, key, sealed, updated_at: now, version: 1 })
        .onConflict((oc) =>
          oc.columns(['connection_id', 'key']).doUpdateSet((eb) => ({
            sealed,
            updated_at: now,
            version: eb('connection_state.version', '+', 1),
          })),
        )
        .execute(),
    );
  }

  /**
   * Writes `sealed` only if the row is still at `expected` (`null`: only if there is no row yet). Returns false
   * when another write came first, so the caller reads again and retries. Refused like `put` once disconnected.
   */
  async compareAndSet(
    connectionId: string,
    key: string,
    expected: number | null,
    sealed: Sealed,
    now = Date.now(),
  ): Promise<boolean> {
    return whileConnected(this.db, this.dialect, connectionId, async (trx) => {
      if (expected === null) {
        const res = await trx
          .insertInto('connection_state')
          .values({ connection_id: connectionId, key, sealed, updated_at: now, version: 1 })
          .onConflict((oc) => oc.columns(['connection_id', 'key']).doNothing())
          .executeTakeFirst();
        return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
      }
      const res = await trx
        .updateTable('connection_state')
        .set({ sealed, updated_at: now, version: expected + 1 })
        .where('connection_id', '=', connectionId)
        .where('key', '=', key)
        .where('version', '=', expected)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    });
  }

  /** Returns how many rows went. */
  async deleteOfConnection(connectionId: string): Promise<number> {
    const res = await this.db
      .deleteFrom('connection_state')
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
