/**
 * Envelope encryption for everything secret Affix stores: one random 256-bit data key per owner (a connection
 * `con_…`, a client `cli_…`, a signing key), wrapped by a key-encryption key (KEK) from a `Keyring`. Values are
 * sealed with AES-256-GCM (node:crypto), a fresh 12-byte IV each time, and associated data binding the owner and
 * the purpose, so a ciphertext copied to another row or column does not open. Format: envelope-format.ts.
 *
 * Shredding an owner deletes its wrapped data key: every ciphertext of that owner becomes unreadable, wherever
 * copies of it live (backups, caches, snapshots).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DataKeyCache, type CachedDataKey, type DataKeyCacheOptions } from './data-key-cache.js';
import { aad, encodeHeader, fingerprint, IV_BYTES, parseEnvelope, TAG_BYTES } from './envelope-format.js';
import { VaultError } from './errors.js';
import {
  assertOwnerId,
  assertPurpose,
  type DataKeyStore,
  type Keyring,
  type Purpose,
  type Sealed,
  type WrapContext,
  type WrappedDataKey,
} from './types.js';

const DATA_KEY_BYTES = 32;

export interface VaultOptions {
  /** Unwrapped data key cache: default 50,000 entries (LRU), 60 s. `{ maxEntries: 0 }` disables it. */
  cache?: DataKeyCacheOptions;
  now?: () => Date;
}

export interface RewrapProgress {
  /** Data keys that were not on the primary KEK when the run started. */
  total: number;
  rewrapped: number;
  /** Rows that changed under us (shredded or rewrapped elsewhere) and were left alone. */
  skipped: number;
  failed: number;
  /** total − rewrapped − skipped − failed: what this run has still to visit. */
  remaining: number;
}

export interface RewrapResult {
  rewrapped: number;
  /** Data keys still not on the primary KEK after the run (failed rows, or rows created on an old KEK meanwhile). */
  remaining: number;
  skipped: number;
  failed: number;
  /** The first 100 failures, ids and codes only. */
  failures: Array<{ ownerId: string; kekId: string; code: string }>;
}

export interface VaultStatus {
  keyring: string;
  primaryKeyId: string;
  dataKeysByKek: Record<string, number>;
  warnings: string[];
}

/** The context bound to a wrapped data key (KMS EncryptionContext; local keyring AAD). Ids only. */
export function wrapContext(ownerId: string, dataKeyId: string): WrapContext {
  return { affix_owner_id: ownerId, affix_data_key_id: dataKeyId };
}

export class Vault {
  private readonly cache: DataKeyCache;
  private readonly now: () => Date;
  private readonly loading = new Map<string, Promise<CachedDataKey | undefined>>();
  private readonly creating = new Map<string, Promise<CachedDataKey>>();
  /**
   * Bumped by every shred. A load that started before a shred must not put the shredded key back into the cache,
   * so loaders only cache when the epoch they started with is still current.
   */
  private epoch = 0;

  constructor(
    readonly keyring: Keyring,
    private readonly dataKeys: DataKeyStore,
    options: VaultOptions = {},
  ) {
    this.cache = new DataKeyCache(options.cache);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Encrypts `plaintext` for `ownerId` and `purpose`, creating the owner's data key on first use.
   * @example const col: Sealed = await vault.seal('con_123', 'credentials', JSON.stringify({ username, password }));
   */
  async seal(ownerId: string, purpose: Purpose, plaintext: Buffer | Uint8Array | string): Promise<Sealed> {
    assertOwnerId(ownerId);
    assertPurpose(purpose);
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const key = (await this.loadKey(ownerId, false)) ?? (await this.createKey(ownerId));
    const header = encodeHeader(key.dataKeyId, ownerId, purpose);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(header, ownerId, purpose));
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([header, iv, body, cipher.getAuthTag()]) as Sealed;
  }

  async sealJson(ownerId: string, purpose: Purpose, value: unknown): Promise<Sealed> {
    return this.seal(ownerId, purpose, JSON.stringify(value));
  }

  /**
   * Decrypts a value sealed for exactly this owner and purpose. Throws `VaultError` (`malformed`,
   * `unsupported_version`, `wrong_context`, `shredded`, `unknown_key`, `tampered`, `unknown_kek`, `retired_key`,
   * `kms_unavailable` …); never returns unauthenticated bytes.
   */
  async open(ownerId: string, purpose: Purpose, sealed: Uint8Array): Promise<Buffer> {
    assertOwnerId(ownerId);
    assertPurpose(purpose);
    const env = parseEnvelope(sealed);
    if (!env.fingerprint.equals(fingerprint(ownerId, purpose))) {
      throw new VaultError(
        'wrong_context',
        `value was not sealed for ${ownerId}/${purpose} (copied or altered)`,
      );
    }
    let key = await this.loadKey(ownerId, false);
    // Another process may have shredded and re-created this owner's key: look past the cache once.
    if (key && key.dataKeyId !== env.dataKeyId) key = await this.loadKey(ownerId, true);
    if (!key) throw new VaultError('shredded', `no data key for ${ownerId}: shredded, or never sealed for`);
    if (key.dataKeyId !== env.dataKeyId) {
      throw new VaultError(
        'unknown_key',
        `value names data key ${env.dataKeyId}, ${ownerId} has ${key.dataKeyId} (sealed before a shred, or altered)`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, env.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(env.header, ownerId, purpose));
    decipher.setAuthTag(env.tag);
    try {
      const plain = decipher.update(env.ciphertext);
      // GCM's final() only checks the tag (it returns no bytes): no second copy of a large value.
      const rest = decipher.final();
      return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
    } catch (err) {
      throw new VaultError('tampered', `authentication failed for ${ownerId}/${purpose}`, { cause: err });
    }
  }

  async openString(ownerId: string, purpose: Purpose, sealed: Uint8Array): Promise<string> {
    return (await this.open(ownerId, purpose, sealed)).toString('utf8');
  }

  async openJson<T = unknown>(ownerId: string, purpose: Purpose, sealed: Uint8Array): Promise<T> {
    return JSON.parse(await this.openString(ownerId, purpose, sealed)) as T;
  }

  /**
   * `seal` for one of many values an owner keeps for a purpose (a cache key's answer, a named file): `label` is
   * sealed in front of the bytes, so a value copied to another row or file of the same owner still opens, but
   * `openLabelled` refuses it as not the one asked for. Labels hold no NUL.
   */
  async sealLabelled(ownerId: string, purpose: Purpose, label: string, bytes: Uint8Array): Promise<Sealed> {
    if (label.includes('\0')) throw new Error('a vault label must not contain NUL');
    return this.seal(ownerId, purpose, Buffer.concat([Buffer.from(`${label}\0`), bytes]));
  }

  /** The bytes `sealLabelled` sealed under `label`; undefined when the value is authentic but labelled otherwise. */
  async openLabelled(
    ownerId: string,
    purpose: Purpose,
    label: string,
    sealed: Uint8Array,
  ): Promise<Buffer | undefined> {
    const plain = await this.open(ownerId, purpose, sealed);
    const prefix = Buffer.from(`${label}\0`);
    if (plain.length < prefix.length || !plain.subarray(0, prefix.length).equals(prefix)) return undefined;
    return plain.subarray(prefix.length);
  }

  /**
   * Crypto-shreds an owner: deletes its wrapped data key and drops it from this process's cache. Every value
   * sealed for the owner is unreadable afterwards; a later `seal` creates a new, unrelated data key. Idempotent.
   * Other processes forget their cached copy within the cache TTL, or at once if told via `forget()`.
   * @returns whether a data key existed.
   */
  async shred(ownerId: string): Promise<boolean> {
    assertOwnerId(ownerId);
    this.forget(ownerId);
    const existed = await this.dataKeys.delete(ownerId);
    this.forget(ownerId);
    return existed;
  }

  /** Drops the owner's unwrapped key from this process only (e.g. on a shred announced by another node). */
  forget(ownerId: string): void {
    this.epoch++;
    this.cache.delete(ownerId);
    this.loading.delete(ownerId);
    this.creating.delete(ownerId);
  }

  /** Drops every unwrapped key from this process (e.g. when this node cannot tell whose were shredded). */
  forgetAll(): void {
    this.epoch++;
    this.cache.clear();
    this.loading.clear();
    this.creating.clear();
  }

  /**
   * Moves every data key that is not wrapped by the keyring's primary KEK onto it (after a rotation, before
   * retiring the old KEK). Ciphertexts are untouched. Safe to run while the app serves traffic and to re-run.
   * A KMS outage aborts the run (rethrown); other per-row failures are counted and the run goes on.
   */
  async rewrap(
    options: { batchSize?: number; onProgress?: (progress: RewrapProgress) => void } = {},
  ): Promise<RewrapResult> {
    const batchSize = Math.max(1, options.batchSize ?? 100);
    const primary = this.keyring.primaryKeyId();
    const total = notOn(primary, await this.dataKeys.countByKek());
    const result: RewrapResult = { rewrapped: 0, remaining: 0, skipped: 0, failed: 0, failures: [] };
    let cursor: string | undefined;
    for (;;) {
      const batch = await this.dataKeys.listNotWrappedWith(primary, batchSize, cursor);
      if (batch.length === 0) break;
      for (const record of batch) await this.rewrapOne(record, result);
      cursor = batch[batch.length - 1]?.ownerId;
      const visited = result.rewrapped + result.skipped + result.failed;
      options.onProgress?.({
        total,
        rewrapped: result.rewrapped,
        skipped: result.skipped,
        failed: result.failed,
        remaining: Math.max(0, total - visited),
      });
    }
    result.remaining = notOn(primary, await this.dataKeys.countByKek());
    return result;
  }

  /**
   * Retires a KEK: refused with `key_in_use` while it is the primary or still wraps any data key (run `rewrap`
   * first). A retired KEK never unwraps again; a row that still names it (a restored backup) fails loudly with
   * `retired_key` on open.
   */
  async retireKek(kekId: string): Promise<void> {
    if (!this.keyring.retire) {
      throw new VaultError(
        'invalid_argument',
        `${this.keyring.id} cannot retire keys (disable the CMK in KMS)`,
      );
    }
    if (kekId === this.keyring.primaryKeyId()) {
      throw new VaultError('key_in_use', `${kekId} is the primary key; rotate first`);
    }
    const inUse = (await this.dataKeys.countByKek())[kekId] ?? 0;
    if (inUse > 0) {
      throw new VaultError('key_in_use', `${kekId} still wraps ${inUse} data key(s); run rewrap first`);
    }
    await this.keyring.retire(kekId);
  }

  async status(): Promise<VaultStatus> {
    return {
      keyring: this.keyring.id,
      primaryKeyId: this.keyring.primaryKeyId(),
      dataKeysByKek: await this.dataKeys.countByKek(),
      warnings: this.keyring.warnings(),
    };
  }

  private async rewrapOne(record: WrappedDataKey, result: RewrapResult): Promise<void> {
    const context = wrapContext(record.ownerId, record.dataKeyId);
    try {
      const key = await this.keyring.unwrap(record.kekId, record.wrapped, context);
      const next = await this.keyring.wrap(key, context);
      const moved = await this.dataKeys.updateWrapping(record.ownerId, record.dataKeyId, record.kekId, {
        kekId: next.keyId,
        wrapped: next.wrapped,
        rotatedAt: this.now(),
      });
      if (moved) result.rewrapped++;
      else result.skipped++;
    } catch (err) {
      if (!(err instanceof VaultError) || err.code === 'kms_unavailable') throw err;
      result.failed++;
      if (result.failures.length < 100) {
        result.failures.push({ ownerId: record.ownerId, kekId: record.kekId, code: err.code });
      }
    }
  }

  /** The owner's current data key, from the cache or the store; undefined when the owner has none. */
  private loadKey(ownerId: string, bypassCache: boolean): Promise<CachedDataKey | undefined> {
    if (!bypassCache) {
      const hit = this.cache.get(ownerId);
      if (hit) return Promise.resolve(hit);
      const pending = this.loading.get(ownerId);
      if (pending) return pending;
    }
    const epoch = this.epoch;
    const load = (async () => {
      const record = await this.dataKeys.get(ownerId);
      if (!record) return undefined;
      return this.remember(ownerId, epoch, await this.unwrapRecord(record));
    })();
    this.singleFlight(this.loading, ownerId, load);
    return load;
  }

  private createKey(ownerId: string): Promise<CachedDataKey> {
    const pending = this.creating.get(ownerId);
    if (pending) return pending;
    const epoch = this.epoch;
    const create = (async () => {
      const dataKeyId = `dk_${randomBytes(16).toString('base64url')}`;
      const context = wrapContext(ownerId, dataKeyId);
      const fresh = this.keyring.generateDataKey
        ? await this.keyring.generateDataKey(context)
        : await this.wrapFresh(context);
      const stored = await this.dataKeys.insert({
        ownerId,
        dataKeyId,
        kekId: fresh.keyId,
        wrapped: fresh.wrapped,
        createdAt: this.now(),
        rotatedAt: null,
      });
      // Lost a race with another process: use the winner's key so both write readable values.
      const key =
        stored.dataKeyId === dataKeyId
          ? { dataKeyId, kekId: fresh.keyId, key: fresh.plaintext }
          : await this.unwrapRecord(stored);
      return this.remember(ownerId, epoch, key);
    })();
    this.singleFlight(this.creating, ownerId, create);
    return create;
  }

  private async wrapFresh(
    context: WrapContext,
  ): Promise<{ keyId: string; plaintext: Buffer; wrapped: Buffer }> {
    const plaintext = randomBytes(DATA_KEY_BYTES);
    const { keyId, wrapped } = await this.keyring.wrap(plaintext, context);
    return { keyId, plaintext, wrapped };
  }

  private async unwrapRecord(record: WrappedDataKey): Promise<CachedDataKey> {
    const key = await this.keyring.unwrap(
      record.kekId,
      record.wrapped,
      wrapContext(record.ownerId, record.dataKeyId),
    );
    if (key.length !== DATA_KEY_BYTES) {
      throw new VaultError('tampered', `data key of ${record.ownerId} unwrapped to ${key.length} bytes`);
    }
    return { dataKeyId: record.dataKeyId, kekId: record.kekId, key };
  }

  private remember(ownerId: string, epoch: number, key: CachedDataKey): CachedDataKey {
    if (epoch === this.epoch) this.cache.set(ownerId, key);
    return key;
  }

  private singleFlight<T>(map: Map<string, Promise<T>>, ownerId: string, promise: Promise<T>): void {
    map.set(ownerId, promise);
    const done = () => {
      if (map.get(ownerId) === promise) map.delete(ownerId);
    };
    promise.then(done, done);
  }
}

function notOn(primary: string, counts: Record<string, number>): number {
  let n = 0;
  for (const [kek, count] of Object.entries(counts)) if (kek !== primary) n += count;
  return n;
}
