/**
 * The `connection_state` table: adapter state rows (refreshed tokens, web sessions), vault ciphertext only; see
 * `sealedConnectionState` in src/sync/connections.ts for what is sealed and how.
 */
import type { Kysely } from 'kysely';
import type { Sealed } from '../vault/index.js';
import type { Database } from './schema.js';

export class ConnectionStateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(connectionId: string, key: string): Promise<Sealed | undefined> {
    const row = await this.db
      .selectFrom('connection_state')
      .select('sealed')
      .where('connection_id', '=', connectionId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? (Buffer.from(row.sealed) as Sealed) : undefined;
  }

  async put(connectionId: string, key: string, sealed: Sealed, now = Date.now()): Promise<void> {
    await this.db
      .insertInto('connection_state')
      .values({ connection_id: connectionId, key, sealed, updated_at: now })
      .onConflict((oc) => oc.columns(['connection_id', 'key']).doUpdateSet({ sealed, updated_at: now }))
      .execute();
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
