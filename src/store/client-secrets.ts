/**
 * The `client_secrets` table: vault ciphertext only (owner = client id, purpose `client_secret`; sealing and
 * opening are src/oauth/clients.ts's). Secrets are encrypted, not hashed, because webhooks are signed with them;
 * several can be current at once (rotation without downtime).
 */
import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import { type Sealed, sealedFromStorage } from '../vault/index.js';
import type { Database } from './schema.js';

export interface SealedClientSecret {
  id: string;
  sealed: Sealed;
  createdAt: number;
}

export class ClientSecretsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a current secret; returns its id. */
  async add(clientId: string, sealed: Sealed, now = Date.now()): Promise<string> {
    const id = newId('secret');
    await this.db
      .insertInto('client_secrets')
      .values({ id, client_id: clientId, sealed, created_at: now, revoked_at: null })
      .execute();
    return id;
  }

  /** Every current (unrevoked) secret of a client, oldest first. */
  async current(clientId: string): Promise<SealedClientSecret[]> {
    const rows = await this.db
      .selectFrom('client_secrets')
      .select(['id', 'sealed', 'created_at'])
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      sealed: sealedFromStorage(r.sealed),
      createdAt: Number(r.created_at),
    }));
  }

  async revoke(clientId: string, ids: string[], now = Date.now()): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('client_secrets')
      .set({ revoked_at: now })
      .where('client_id', '=', clientId)
      .where('id', 'in', ids)
      .where('revoked_at', 'is', null)
      .execute();
  }
}
