/**
 * The `signing_keys` table: ES256 keys, the private part sealed by the vault (src/vault/signing-key-seal.ts) and
 * only ever handled as that text here.
 */
import type { Kysely } from 'kysely';
import type { SigningKeyRows } from '../vault/index.js';
import type { Database } from './schema.js';

export interface SigningKeyRow {
  kid: string;
  alg: string;
  /** The public JWK as JSON. */
  publicJwk: string;
  /** `vault:v1:<base64>`, or plain JSON in a row written before sealing existed. */
  privateJwk: string;
  createdAt: number;
  /** Tokens are signed with this key only from this time on (publish first, sign later). */
  activeFrom: number;
  retiredAt: number | null;
}

export class SigningKeysRepository implements SigningKeyRows {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every key, retired ones included, in no particular order. */
  async all(): Promise<SigningKeyRow[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().execute();
    return rows.map((r) => ({
      kid: r.kid,
      alg: r.alg,
      publicJwk: r.public_jwk,
      privateJwk: r.private_jwk,
      createdAt: Number(r.created_at),
      activeFrom: Number(r.active_from),
      retiredAt: r.retired_at === null ? null : Number(r.retired_at),
    }));
  }

  async insert(k: Omit<SigningKeyRow, 'retiredAt'>): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: k.kid,
        alg: k.alg,
        public_jwk: k.publicJwk,
        private_jwk: k.privateJwk,
        created_at: k.createdAt,
        active_from: k.activeFrom,
        retired_at: null,
      })
      .execute();
  }

  async retire(kids: string[], now = Date.now()): Promise<void> {
    if (kids.length === 0) return;
    await this.db.updateTable('signing_keys').set({ retired_at: now }).where('kid', 'in', kids).execute();
  }

  async replacePrivateJwk(kid: string, current: string, next: string): Promise<void> {
    await this.db
      .updateTable('signing_keys')
      .set({ private_jwk: next })
      .where('kid', '=', kid)
      .where('private_jwk', '=', current)
      .execute();
  }
}
