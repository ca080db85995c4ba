/**
 * A small LRU of unwrapped data keys with a short TTL, so a hot path (every API read opens cached bytes) does not
 * pay a KMS round trip per call, while a key does not linger in memory for long after its last use.
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
  expiresAt: number;
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
  now?: () => number;
}

/** Default most entries of a DataKeyCache. */
export const DATA_KEY_CACHE_MAX = 50_000;

export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: DataKeyCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? DATA_KEY_CACHE_MAX;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(ownerId: string): CachedDataKey | undefined {
    const entry = this.entries.get(ownerId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
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
    this.entries.set(ownerId, { ...value, expiresAt: this.now() + this.ttlMs });
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
