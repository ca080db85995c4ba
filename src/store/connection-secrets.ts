/**
 * The `connection_secrets` table: a connection's provider credentials (and other secrets by purpose), vault
 * ciphertext only (owner = connection id). Plaintext never reaches this file.
 */
import type { Kysely } from 'kysely';
import type { Sealed } from '../vault/index.js';
import { whileConnected } from './connection-guard.js';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export class ConnectionSecretsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async get(connectionId: string, purpose: string): Promise<Sealed | undefined> {
    const row = await this.db
      .selectFrom('connection_secrets')
      .select('sealed')
      .where('connection_id', '=', connectionId)
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    return row ? (Buffer.from(row.sealed) as Sealed) : undefined;
  }

  /** Refused (`ConnectionGoneError`, nothing written) once the connection is disconnected. */
  async put(connectionId: string, purpose: string, sealed: Sealed, now = Date.now()): Promise<void> {
    await whileConnected(this.db, this.dialect, connectionId, (trx) =>
      trx
        .insertInto('connection_secrets')
        .values({ connection_id: connectionId, purpose, sealed, updated_at: now })
        .onConflict((oc) => oc.columns(['connection_id', 'purpose']).doUpdateSet({ sealed, updated_at: now }))
        .execute(),
    );
  }

  /** Returns how many rows went. */
  async deleteOfConnection(connectionId: string): Promise<number> {
    const res = await this.db
      .deleteFrom('connection_secrets')
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
