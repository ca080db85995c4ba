import type { Mode, ProviderId } from '../model/index.js';
import type { Sealed } from '../vault/types.js';
import type { Store } from './db.js';

export interface Connection {
  id: string;
  clientId: string;
  provider: ProviderId;
  mode: Mode;
  settings: Record<string, unknown>;
  status: 'active' | 'disconnected';
  createdAt: number;
}

export async function insertConnection(store: Store, c: Omit<Connection, 'status'>): Promise<Connection> {
  await store.db
    .insertInto('connections')
    .values({
      id: c.id,
      client_id: c.clientId,
      provider: c.provider,
      mode: c.mode,
      settings: JSON.stringify(c.settings),
      status: 'active',
      tags: null,
      created_at: c.createdAt,
      disconnected_at: null,
    })
    .execute();
  return { ...c, status: 'active' };
}

export async function findConnection(store: Store, id: string): Promise<Connection | undefined> {
  const row = await store.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    clientId: row.client_id,
    provider: row.provider as ProviderId,
    mode: row.mode as Mode,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    status: row.status === 'disconnected' ? 'disconnected' : 'active',
    createdAt: Number(row.created_at),
  };
}

/** A connection's adapter state row: sealed bytes only (see `sealedConnectionState` in src/sync/connections.ts). */
export async function readConnectionState(
  store: Store,
  connectionId: string,
  key: string,
): Promise<Sealed | undefined> {
  const row = await store.db
    .selectFrom('connection_state')
    .select('sealed')
    .where('connection_id', '=', connectionId)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? (Buffer.from(row.sealed) as Sealed) : undefined;
}

export async function writeConnectionState(
  store: Store,
  connectionId: string,
  key: string,
  sealed: Sealed,
): Promise<void> {
  const now = Date.now();
  await store.db
    .insertInto('connection_state')
    .values({ connection_id: connectionId, key, sealed, updated_at: now })
    .onConflict((oc) => oc.columns(['connection_id', 'key']).doUpdateSet({ sealed, updated_at: now }))
    .execute();
}
