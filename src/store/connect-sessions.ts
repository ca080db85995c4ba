/** The connect page's flows in progress, keyed by the SHA-256 of the session id the form carries. */
import type { Store } from './db.js';

export interface ConnectSessionRow {
  idHash: string;
  clientId: string;
  request: string;
  step: string;
  provider: string | null;
  connectionId: string | null;
  csrfHash: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertConnectSession(store: Store, s: ConnectSessionRow): Promise<void> {
  await store.db
    .insertInto('connect_sessions')
    .values({
      id_hash: s.idHash,
      client_id: s.clientId,
      request: s.request,
      step: s.step,
      provider: s.provider,
      connection_id: s.connectionId,
      csrf_hash: s.csrfHash,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    })
    .execute();
}

export async function findConnectSession(
  store: Store,
  idHash: string,
): Promise<ConnectSessionRow | undefined> {
  const row = await store.db
    .selectFrom('connect_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    idHash: row.id_hash,
    clientId: row.client_id,
    request: row.request,
    step: row.step,
    provider: row.provider,
    connectionId: row.connection_id,
    csrfHash: row.csrf_hash,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
  };
}

export async function updateConnectSession(
  store: Store,
  idHash: string,
  patch: Partial<Pick<ConnectSessionRow, 'step' | 'provider' | 'connectionId'>>,
): Promise<void> {
  await store.db
    .updateTable('connect_sessions')
    .set({
      ...(patch.step !== undefined ? { step: patch.step } : {}),
      ...(patch.provider !== undefined ? { provider: patch.provider } : {}),
      ...(patch.connectionId !== undefined ? { connection_id: patch.connectionId } : {}),
    })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteConnectSession(store: Store, idHash: string): Promise<void> {
  await store.db.deleteFrom('connect_sessions').where('id_hash', '=', idHash).execute();
}

/** Expired sessions, oldest first (their pending connections are wiped by the caller). */
export async function expiredConnectSessions(
  store: Store,
  now: number,
  limit: number,
): Promise<ConnectSessionRow[]> {
  const rows = await store.db
    .selectFrom('connect_sessions')
    .select('id_hash')
    .where('expires_at', '<', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  const out: ConnectSessionRow[] = [];
  for (const r of rows) {
    const s = await findConnectSession(store, r.id_hash);
    if (s) out.push(s);
  }
  return out;
}
