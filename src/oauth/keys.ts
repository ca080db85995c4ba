/**
 * ES256 signing keys. Created on first start and kept in the store; the private part is never served. Rotation
 * publishes a new key first (JWKS) and signs with it only after `active_from`, keeping old public keys while tokens
 * signed by them may still be presented.
 */
import {
  type CryptoKey,
  type JWK,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
} from 'jose';
import type { Store } from '../store/db.js';
import { openSigningJwk, sealSigningJwk } from '../vault/signing-key-seal.js';
import type { Vault } from '../vault/vault.js';

/** How stale the in-memory key list may get before it is re-read (rotation by another process). */
const RELOAD_EVERY_MS = 60_000;

export interface SigningKey {
  kid: string;
  publicJwk: JWK;
  activeFrom: number;
  retiredAt: number | null;
}

interface LoadedKey extends SigningKey {
  publicKey: CryptoKey;
  privateJwk: JWK;
  privateKey?: CryptoKey;
}

export class KeyStore {
  private keys = new Map<string, LoadedKey>();
  private loadedAt = 0;

  constructor(
    private readonly store: Store,
    /** Seals private JWKs at rest (src/vault/signing-key-seal.ts). */
    private readonly vault: Vault,
  ) {}

  /** Loads all keys; creates the first one when the store has none. */
  async init(): Promise<void> {
    await this.reload();
    if (this.keys.size === 0) {
      await this.create(Date.now());
      await this.reload();
    }
  }

  async reload(): Promise<void> {
    const rows = await this.store.signingKeys.all();
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      next.set(row.kid, {
        kid: row.kid,
        publicJwk,
        privateJwk: await openSigningJwk(this.vault, this.store.signingKeys, row.kid, row.privateJwk),
        publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
        activeFrom: row.activeFrom,
        retiredAt: row.retiredAt,
      });
    }
    this.keys = next;
    this.loadedAt = Date.now();
  }

  /** Adds a key that is published now and used for signing from `activeFrom` on. */
  async create(activeFrom: number): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const privateJwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    await this.store.signingKeys.insert({
      kid,
      alg: 'ES256',
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg: 'ES256', use: 'sig' }),
      privateJwk: await sealSigningJwk(this.vault, kid, privateJwk),
      createdAt: Date.now(),
      activeFrom,
    });
    return kid;
  }

  /** The newest key whose activation time has passed. */
  async signingKey(now = Date.now()): Promise<{ kid: string; key: CryptoKey }> {
    // Keys rotated by `affix keys rotate` (another process) are picked up within a minute.
    if (Date.now() - this.loadedAt > RELOAD_EVERY_MS) await this.reload();
    const usable = [...this.keys.values()]
      .filter((k) => k.activeFrom <= now && k.retiredAt === null)
      .sort((a, b) => b.activeFrom - a.activeFrom);
    const chosen = usable[0];
    if (!chosen) throw new Error('no active signing key');
    chosen.privateKey ??= (await importJWK(chosen.privateJwk, 'ES256')) as CryptoKey;
    return { kid: chosen.kid, key: chosen.privateKey };
  }

  /** Public key for a `kid`; reloads once (rate-limited) so keys added by another node are found. */
  async verificationKey(kid: string): Promise<CryptoKey | undefined> {
    let k = this.keys.get(kid);
    if (!k && Date.now() - this.loadedAt > 5_000) {
      await this.reload();
      k = this.keys.get(kid);
    }
    return k && k.retiredAt === null ? k.publicKey : undefined;
  }

  /** The JWKS document: public parts only. */
  jwks(): { keys: JWK[] } {
    if (Date.now() - this.loadedAt > RELOAD_EVERY_MS) {
      this.loadedAt = Date.now();
      this.reload().catch(() => {
        // The next call retries; serving the keys known now is the safe fallback.
        this.loadedAt = 0;
      });
    }
    return {
      keys: [...this.keys.values()]
        .filter((k) => k.retiredAt === null)
        .map((k) => {
          const { kty, crv, x, y, kid, alg, use } = k.publicJwk;
          return { kty, crv, x, y, kid, alg, use };
        }),
    };
  }
}
