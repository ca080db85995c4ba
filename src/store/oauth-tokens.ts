/** Token queries the OAuth server and the management API need, beside the spine's tokens.ts. */
import type { Store } from './db.js';

export interface ClientTokenRow {
  jti: string;
  connectionId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  provider: string;
  mode: string;
  connectionStatus: string;
}

function toRow(row: {
  jti: string;
  connection_id: string;
  client_id: string;
  scopes: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  provider: string;
  mode: string;
  status: string;
}): ClientTokenRow {
  return {
    jti: row.jti,
    connectionId: row.connection_id,
    clientId: row.client_id,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    provider: row.provider,
    mode: row.mode,
    connectionStatus: row.status,
  };
}

function tokensWithConnection(store: Store) {
  return store.db
    .selectFrom('tokens')
    .innerJoin('connections', 'connections.id', 'tokens.connection_id')
    .select([
      'tokens.jti',
      'tokens.connection_id',
      'tokens.client_id',
      'tokens.scopes',
      'tokens.created_at',
      'tokens.expires_at',
      'tokens.revoked_at',
      'connections.provider',
      'connections.mode',
      'connections.status',
    ]);
}

export async function findTokenRow(store: Store, jti: string): Promise<ClientTokenRow | undefined> {
  const row = await tokensWithConnection(store).where('tokens.jti', '=', jti).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

export async function tokensOfClient(store: Store, clientId: string): Promise<ClientTokenRow[]> {
  const rows = await tokensWithConnection(store)
    .where('tokens.client_id', '=', clientId)
    .orderBy('tokens.created_at', 'desc')
    .orderBy('tokens.jti')
    .execute();
  return rows.map(toRow);
}

/** Revokes one token of one client; false when it is not that client's or was already revoked. */
export async function revokeClientToken(
  store: Store,
  clientId: string,
  jti: string,
  now = Date.now(),
): Promise<boolean> {
  const res = await store.db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('jti', '=', jti)
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Revokes every token issued from an authorization code (the code was replayed); returns their jtis. */
export async function revokeTokensOfCode(store: Store, codeId: string, now = Date.now()): Promise<string[]> {
  const rows = await store.db.selectFrom('tokens').select('jti').where('code_id', '=', codeId).execute();
  await store.db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('code_id', '=', codeId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.jti);
}

/** Marks a pending connection (credentials verified on the connect page) active once the user consents. */
export async function activateConnection(store: Store, connectionId: string): Promise<void> {
  await store.db
    .updateTable('connections')
    .set({ status: 'active' })
    .where('id', '=', connectionId)
    .where('status', '=', 'pending')
    .execute();
}
