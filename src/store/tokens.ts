import type { Store } from './db.js';

export interface TokenRecord {
  jti: string;
  connectionId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  codeId: string | null;
}

export async function insertToken(store: Store, t: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
  await store.db
    .insertInto('tokens')
    .values({
      jti: t.jti,
      connection_id: t.connectionId,
      client_id: t.clientId,
      scopes: JSON.stringify(t.scopes),
      created_at: t.createdAt,
      expires_at: t.expiresAt,
      revoked_at: null,
      code_id: t.codeId,
    })
    .execute();
}

/** What every authenticated request needs to know about its token: revoked? connection disconnected? */
export async function tokenStatus(
  store: Store,
  jti: string,
): Promise<{ revoked: boolean; disconnected: boolean } | undefined> {
  const row = await store.db
    .selectFrom('tokens')
    .innerJoin('connections', 'connections.id', 'tokens.connection_id')
    .select(['tokens.revoked_at', 'connections.status'])
    .where('tokens.jti', '=', jti)
    .executeTakeFirst();
  if (!row) return undefined;
  return { revoked: row.revoked_at !== null, disconnected: row.status === 'disconnected' };
}

export async function revokeTokensOfConnection(
  store: Store,
  connectionId: string,
  at = Date.now(),
): Promise<void> {
  await store.db
    .updateTable('tokens')
    .set({ revoked_at: at })
    .where('connection_id', '=', connectionId)
    .where('revoked_at', 'is', null)
    .execute();
}
