/**
 * A small LRU of unwrapped data keys, so a hot path (every API read opens cached bytes) does not pay a row read and
 * an unwrap (or a KMS round trip) per call, while a key does not stay usable for long after its owner is shredded
 * elsewhere.
 *
 * An entry lives `ttlMs` (60 s) from its load, not extended by use: another process's shred reaches this one within
 * that time at worst. For owners whose shreds this process hears of at once by other means (`vouched`: connections,
 * whose every shred follows a disconnect that the node's change feed applies within about a second), an entry stays
 * valid up to `vouchedTtlMs` (10 min) from its load, but only while `vouched` says so at the time of use; after that
 * it is loaded again (the row read and unwrapped: the keyring's word again, so a KEK retired or a KMS key disabled
 * stops this node within that time too).
 *
 * Entries are not zeroed on eviction: an in-flight seal may still hold the Buffer across an `await`, and
 * zeroing it would silently encrypt under an all-zero key. The garbage collector reclaims it instead.
 */
export interface CachedDataKey {
  dataKeyId: string;
  kekId: string;
  key: Buffer;
}

interface Entry extends CachedDataKey {
  loadedAt: number;
}

export interface DataKeyCacheOptions {
  /**
   * Most entries kept (default 50,000, about 0.8 KB of RSS each, docs/operations.md "Per-node caches"): one per owner
   * (connection) read within the TTL; a store read of an owner pushed out pays a key unwrap, or a KMS call.
   * 0 disables the cache.
   */
  maxEntries?: number;
  /** Lifetime of an entry after it was loaded, in ms (default 60 s); not extended by use. */
  ttlMs?: number;
  /**
   * Whether a shred of `ownerId` anywhere would already have reached this process (and dropped its entry through
   * `delete`): then its entry stays valid up to `vouchedTtlMs` from load. Asked at each use past `ttlMs`. Default:
   * never (every entry lives `ttlMs`).
   */
  vouched?: (ownerId: string) => boolean;
  /** Most an entry lives from its load while `vouched` (default 10 min); never less than `ttlMs`. */
  vouchedTtlMs?: number;
  now?: () => number;
}

/** Default most entries of a DataKeyCache. */
export const DATA_KEY_CACHE_MAX = 50_000;
/** Default lifetime of an entry from its load. */
export const DATA_KEY_TTL_MS = 60_000;
/** Default most lifetime from load of an entry whose owner's shreds reach this process at once (`vouched`). */
export const DATA_KEY_VOUCHED_TTL_MS = 600_000;

export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly vouchedTtlMs: number;
  private readonly vouched: ((ownerId: string) => boolean) | undefined;
  private readonly now: () => number;

  constructor(options: DataKeyCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? DATA_KEY_CACHE_MAX;
    this.ttlMs = options.ttlMs ?? DATA_KEY_TTL_MS;
    this.vouched = options.vouched;
    this.vouchedTtlMs = Math.max(this.ttlMs, options.vouchedTtlMs ?? DATA_KEY_VOUCHED_TTL_MS);
    this.now = options.now ?? (() => Date.now());
  }

  get size(): number {
    return this.entries.size;
  }

  get(ownerId: string): CachedDataKey | undefined {
    const entry = this.entries.get(ownerId);
    if (!entry) return undefined;
    const age = this.now() - entry.loadedAt;
    if (age >= this.ttlMs && !(age < this.vouchedTtlMs && this.vouched?.(ownerId) === true)) {
      this.entries.delete(ownerId);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.entries.delete(ownerId);
    this.entries.set(ownerId, entry);
    return entry;
  }

  set(ownerId: string, value: CachedDataKey): void {
    if (this.maxEntries <= 0 || this.ttlMs <= 0) return;
    this.entries.delete(ownerId);
    this.entries.set(ownerId, { ...value, loadedAt: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(ownerId: string): void {
    this.entries.delete(ownerId);
  }

  clear(): void {
    this.entries.clear();
  }
}
