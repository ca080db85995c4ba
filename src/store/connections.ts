/**
 * The `connections` table. A connection is `pending` from the connect page's credential step until the user
 * consents, `active` then, and `disconnected` once wiped (the row stays for the audit trail). A pending connection
 * that is abandoned never became a connection: it is wiped, then its row deleted.
 */
import type { Kysely } from 'kysely';
import type { Mode, ProviderId } from '../model/index.js';
import type { Database } from './schema.js';

export interface Connection {
  id: string;
  clientId: string;
  provider: ProviderId;
  mode: Mode;
  settings: Record<string, unknown>;
  /** A pending connection reads as `active` here; `status()` tells them apart. */
  status: 'active' | 'disconnected';
  createdAt: number;
}

export type ConnectionStatus = 'pending' | 'active' | 'disconnected';

export class ConnectionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: Omit<Connection, 'status'>): Promise<Connection> {
    await this.insertRow({ ...c, tags: [] }, 'active');
    return { ...c, status: 'active' };
  }

  /** A connection whose credentials are being verified on the connect page, not yet consented to. */
  async insertPending(c: {
    id: string;
    clientId: string;
    provider: string;
    mode: string;
    settings: Record<string, unknown>;
    tags: string[];
    createdAt: number;
  }): Promise<void> {
    await this.insertRow(c, 'pending');
  }

  async find(id: string): Promise<Connection | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
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

  async status(id: string): Promise<ConnectionStatus | undefined> {
    const row = await this.db
      .selectFrom('connections')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.status as ConnectionStatus | undefined;
  }

  /**
   * Marks a pending connection (credentials verified on the connect page) active once the user consents, only
   * while it is still the pending one of this client for this provider; false when it is not (wiped, activated
   * already, or made for another provider).
   */
  async activate(c: { id: string; clientId: string; provider: string }): Promise<boolean> {
    const res = await this.db
      .updateTable('connections')
      .set({ status: 'active' })
      .where('id', '=', c.id)
      .where('client_id', '=', c.clientId)
      .where('provider', '=', c.provider)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Deletes the row of an abandoned pending connection once it is wiped; never an active one. */
  async deleteAbandoned(id: string): Promise<void> {
    await this.db.deleteFrom('connections').where('id', '=', id).where('status', '!=', 'active').execute();
  }

  /** A client's connections, oldest first, with their status. */
  async ofClient(
    clientId: string,
  ): Promise<Array<{ id: string; provider: string; status: ConnectionStatus }>> {
    const rows = await this.db
      .selectFrom('connections')
      .select(['id', 'provider', 'status'])
      .where('client_id', '=', clientId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, provider: r.provider, status: r.status as ConnectionStatus }));
  }

  /**
   * Connections disconnected at or after `since` (ms), at most `limit` (the change feed, src/cluster/change-feed.ts;
   * index `connections_disconnected_idx`).
   */
  async disconnectedSince(since: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('connections')
      .select('id')
      .where('disconnected_at', '>=', since)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Idempotent: the first disconnect's time is kept. True when this call disconnected it. */
  async markDisconnected(id: string, now = Date.now()): Promise<boolean> {
    const res = await this.db
      .updateTable('connections')
      .set({ status: 'disconnected', disconnected_at: now })
      .where('id', '=', id)
      .where('disconnected_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  private async insertRow(
    c: Pick<Connection, 'id' | 'clientId' | 'settings' | 'createdAt'> & {
      provider: string;
      mode: string;
      tags: string[];
    },
    status: 'active' | 'pending',
  ): Promise<void> {
    await this.db
      .insertInto('connections')
      .values({
        id: c.id,
        client_id: c.clientId,
        provider: c.provider,
        mode: c.mode,
        settings: JSON.stringify(c.settings),
        status,
        tags: c.tags.length ? c.tags.join(' ') : null,
        created_at: c.createdAt,
        disconnected_at: null,
      })
      .execute();
  }
}
