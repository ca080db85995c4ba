/**
 * The `tokens` table: one row per issued access token (the JWT itself is never stored), what every request checks
 * (revoked? connection disconnected?), and the management API's view of a client's tokens.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ConnectionsTable, Database, TokensTable } from './schema.js';

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

/** A token with its connection's provider, mode and status. */
export interface ClientTokenRow extends Omit<TokenRecord, 'codeId'> {
  provider: string;
  mode: string;
  connectionStatus: string;
}

function toClientTokenRow(
  row: Omit<Selectable<TokensTable>, 'code_id'> &
    Pick<Selectable<ConnectionsTable>, 'provider' | 'mode' | 'status'>,
): ClientTokenRow {
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

export class TokensRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(t: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
    await this.db
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
  async status(jti: string): Promise<{ revoked: boolean; disconnected: boolean } | undefined> {
    const row = await this.db
      .selectFrom('tokens')
      .innerJoin('connections', 'connections.id', 'tokens.connection_id')
      .select(['tokens.revoked_at', 'connections.status'])
      .where('tokens.jti', '=', jti)
      .executeTakeFirst();
    if (!row) return undefined;
    return { revoked: row.revoked_at !== null, disconnected: row.status === 'disconnected' };
  }

  /**
   * Tokens revoked at or after `since` (ms), at most `limit` (the change feed, src/cluster/change-feed.ts; index
   * `tokens_revoked_idx`).
   */
  async revokedSince(since: number, limit: number): Promise<Array<{ jti: string; connectionId: string }>> {
    const rows = await this.db
      .selectFrom('tokens')
      .select(['jti', 'connection_id'])
      .where('revoked_at', '>=', since)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ jti: r.jti, connectionId: r.connection_id }));
  }

  async find(jti: string): Promise<ClientTokenRow | undefined> {
    const row = await this.withConnection().where('tokens.jti', '=', jti).executeTakeFirst();
    return row ? toClientTokenRow(row) : undefined;
  }

  /** A client's tokens, newest first. */
  async ofClient(clientId: string): Promise<ClientTokenRow[]> {
    const rows = await this.withConnection()
      .where('tokens.client_id', '=', clientId)
      .orderBy('tokens.created_at', 'desc')
      .orderBy('tokens.jti')
      .execute();
    return rows.map(toClientTokenRow);
  }

  async revokeOfConnection(connectionId: string, at = Date.now()): Promise<void> {
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: at })
      .where('connection_id', '=', connectionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Revokes one token of one client; false when it is not that client's or was already revoked. */
  async revokeOfClient(clientId: string, jti: string, now = Date.now()): Promise<boolean> {
    const res = await this.db
      .updateTable('tokens')
      .set({ revoked_at: now })
      .where('jti', '=', jti)
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Revokes every token issued from an authorization code (the code was replayed); returns their jtis. */
  async revokeOfCode(codeId: string, now = Date.now()): Promise<string[]> {
    const rows = await this.db.selectFrom('tokens').select('jti').where('code_id', '=', codeId).execute();
    await this.db
      .updateTable('tokens')
      .set({ revoked_at: now })
      .where('code_id', '=', codeId)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((r) => r.jti);
  }

  private withConnection() {
    return this.db
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
}
