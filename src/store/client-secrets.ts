/**
 * Client secrets, sealed by the vault (owner = client id, purpose `client_secret`). They are encrypted, not
 * hashed, because webhooks are signed with them; several can be current at once (rotation without downtime).
 */
import { newId } from '../ids.js';
import type { Vault } from '../vault/index.js';
import { sealedFromStorage } from '../vault/index.js';
import type { Store } from './db.js';

export interface ClientSecret {
  id: string;
  secret: string;
  createdAt: number;
}

export async function addClientSecret(
  store: Store,
  vault: Vault,
  clientId: string,
  secret: string,
  now = Date.now(),
): Promise<string> {
  const id = newId('secret');
  await store.db
    .insertInto('client_secrets')
    .values({
      id,
      client_id: clientId,
      sealed: await vault.seal(clientId, 'client_secret', secret),
      created_at: now,
      revoked_at: null,
    })
    .execute();
  return id;
}

/** Every current (unrevoked) secret of a client, decrypted, oldest first. */
export async function currentClientSecrets(
  store: Store,
  vault: Vault,
  clientId: string,
): Promise<ClientSecret[]> {
  const rows = await store.db
    .selectFrom('client_secrets')
    .select(['id', 'sealed', 'created_at'])
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const out: ClientSecret[] = [];
  for (const row of rows) {
    const secret = await vault.open(clientId, 'client_secret', sealedFromStorage(row.sealed));
    out.push({ id: row.id, secret: secret.toString('utf8'), createdAt: Number(row.created_at) });
  }
  return out;
}

export async function revokeClientSecrets(
  store: Store,
  clientId: string,
  ids: string[],
  now = Date.now(),
): Promise<void> {
  if (ids.length === 0) return;
  await store.db
    .updateTable('client_secrets')
    .set({ revoked_at: now })
    .where('client_id', '=', clientId)
    .where('id', 'in', ids)
    .where('revoked_at', 'is', null)
    .execute();
}
