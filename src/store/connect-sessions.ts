/** The connect page's flows in progress, keyed by the SHA-256 of the session id the form carries. */
import type { Kysely, Selectable } from 'kysely';
import type { ConnectSessionsTable, Database } from './schema.js';

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

function toRow(row: Selectable<ConnectSessionsTable>): ConnectSessionRow {
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

export class ConnectSessionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** False when a row with this id hash exists already (the same form posted twice at once). */
  async insert(s: ConnectSessionRow): Promise<boolean> {
    const res = await this.db
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
      .onConflict((oc) => oc.column('id_hash').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('connect_sessions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async find(idHash: string): Promise<ConnectSessionRow | undefined> {
    const row = await this.db
      .selectFrom('connect_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    return row ? toRow(row) : undefined;
  }

  async update(
    idHash: string,
    patch: Partial<Pick<ConnectSessionRow, 'step' | 'provider' | 'connectionId'>>,
  ): Promise<void> {
    await this.db
      .updateTable('connect_sessions')
      .set({
        ...(patch.step !== undefined ? { step: patch.step } : {}),
        ...(patch.provider !== undefined ? { provider: patch.provider } : {}),
        ...(patch.connectionId !== undefined ? { connection_id: patch.connectionId } : {}),
      })
      .where('id_hash', '=', idHash)
      .execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('connect_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Expired sessions that hold no pending connection, in one statement; returns how many went. */
  async deleteExpiredWithoutConnection(now: number): Promise<number> {
    const res = await this.db
      .deleteFrom('connect_sessions')
      .where('expires_at', '<', now)
      .where('connection_id', 'is', null)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Expired sessions, oldest first (their pending connections are wiped by the caller). */
  async expired(now: number, limit: number): Promise<ConnectSessionRow[]> {
    const rows = await this.db
      .selectFrom('connect_sessions')
      .selectAll()
      .where('expires_at', '<', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    return rows.map(toRow);
  }
}
