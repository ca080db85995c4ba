/** Authorization codes. The code itself never reaches the database: rows are found by its SHA-256. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AuthorizationCode {
  id: string;
  codeHash: string;
  clientId: string;
  connectionId: string;
  redirectUri: string;
  redirectUriSent: boolean;
  codeChallenge: string | null;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export class AuthorizationCodesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: Omit<AuthorizationCode, 'usedAt'>): Promise<void> {
    await this.db
      .insertInto('authorization_codes')
      .values({
        id: c.id,
        code_hash: c.codeHash,
        client_id: c.clientId,
        connection_id: c.connectionId,
        redirect_uri: c.redirectUri,
        redirect_uri_sent: c.redirectUriSent ? 1 : 0,
        code_challenge: c.codeChallenge,
        scopes: JSON.stringify(c.scopes),
        created_at: c.createdAt,
        expires_at: c.expiresAt,
        used_at: null,
      })
      .execute();
  }

  async findByHash(codeHash: string): Promise<AuthorizationCode | undefined> {
    const row = await this.db
      .selectFrom('authorization_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      codeHash: row.code_hash,
      clientId: row.client_id,
      connectionId: row.connection_id,
      redirectUri: row.redirect_uri,
      redirectUriSent: row.redirect_uri_sent === 1,
      codeChallenge: row.code_challenge,
      scopes: JSON.parse(row.scopes) as string[],
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      usedAt: row.used_at === null ? null : Number(row.used_at),
    };
  }

  /** Marks a code used; true only for the one caller that won (compare-and-set, safe across nodes). */
  async consume(id: string, now = Date.now()): Promise<boolean> {
    const res = await this.db
      .updateTable('authorization_codes')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Expired codes are useless; used ones are kept until then so a replay is still recognised and punished. */
  async deleteExpired(now = Date.now()): Promise<number> {
    const res = await this.db
      .deleteFrom('authorization_codes')
      .where('expires_at', '<', now)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
