import type { Mode, ProviderId } from '../model/index.js';
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

/** Small per-connection key/value state offered to adapters (never the database itself). */
export function connectionState(store: Store, connectionId: string) {
  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const row = await store.db
        .selectFrom('connection_state')
        .select('value')
        .where('connection_id', '=', connectionId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set(key: string, value: unknown): Promise<void> {
      const json = JSON.stringify(value);
      await store.db
        .insertInto('connection_state')
        .values({ connection_id: connectionId, key, value: json, updated_at: Date.now() })
        .onConflict((oc) =>
          oc.columns(['connection_id', 'key']).doUpdateSet({ value: json, updated_at: Date.now() }),
        )
        .execute();
    },
  };
}
