/**
 * Cached API results per connection + resource + parameters. Bytes are kept as the JSON the API sends, plus each
 * compressed encoding made once on first request and reused, so a warm read is a map lookup and a socket write.
 * Persisted to the store (shared by every node) as vault ciphertext (owner = connection id, purpose `cache`, the
 * cache key sealed inside so a row moved to another key is refused); the in-memory layer keeps plaintext bytes,
 * so a warm read never decrypts. A row that fails to open (tampered, moved, shredded) is deleted and reads as a
 * miss, so the caller fetches again: garbage is never served.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import {
  deleteCacheEntry,
  deleteCacheOfConnection,
  readCacheEntry,
  writeCacheEntry,
} from '../store/cache.js';
import type { Store } from '../store/db.js';
import { type Vault, type VaultErrorCode, isVaultError } from '../vault/index.js';

export type Encoding = 'br' | 'gzip' | 'deflate';

const brotliDecompress = promisify(zlib.brotliDecompress);

/**
 * Quality 9 for ordinary bodies; lower for big ones, which the first (cold) request waits for: on 30 MB of
 * employees q9 takes 794 ms, q5 233 ms (+7% bytes), q4 144 ms (+25% bytes).
 */
function brotliQuality(bytes: number): number {
  if (bytes > 8 * 1_048_576) return 4;
  return bytes > 1_048_576 ? 5 : 9;
}

const compressors: Record<Encoding, (b: Buffer) => Promise<Buffer>> = {
  br: (b) =>
    promisify(zlib.brotliCompress)(b, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality(b.length),
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
      },
    }),
  gzip: (b) => promisify(zlib.gzip)(b, { level: 6 }),
  deflate: (b) => promisify(zlib.deflate)(b, { level: 6 }),
};

export class CachedResponse {
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();
  constructor(
    readonly key: string,
    readonly connectionId: string,
    readonly body: Buffer,
    readonly createdAt: number,
    readonly expiresAt: number,
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  }

  /** Records bytes already compressed elsewhere (read back from the store), so they are not made again. */
  seed(encoding: Encoding, bytes: Buffer): void {
    this.encoded.set(encoding, Promise.resolve(bytes));
  }

  /** The body in `encoding`, compressed at most once per entry. */
  bytes(encoding: Encoding | 'identity'): Promise<Buffer> {
    if (encoding === 'identity') return Promise.resolve(this.body);
    let p = this.encoded.get(encoding);
    if (!p) {
      p = compressors[encoding](this.body);
      this.encoded.set(encoding, p);
      // A failed compression must not poison the entry for later requests.
      p.catch(() => this.encoded.delete(encoding));
    }
    return p;
  }
}

/** Failures that mean "this row cannot be trusted": drop it and fetch again. Others (KMS down, a retired KEK) throw. */
const DISCARDABLE: ReadonlySet<VaultErrorCode> = new Set([
  'malformed',
  'unsupported_version',
  'wrong_context',
  'tampered',
  'shredded',
  'unknown_key',
]);

export interface ResponseCacheOptions {
  maxMemoryBytes?: number;
  now?: () => number;
  /** Told (ids and error code only) when a stored row failed to open and was discarded. */
  onDiscard?: (info: { key: string; connectionId: string; code: string }) => void;
}

export class ResponseCache {
  private readonly memory = new Map<string, CachedResponse>();
  private memoryBytes = 0;
  private readonly maxMemoryBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly vault: Vault,
    private readonly options: ResponseCacheOptions = {},
  ) {
    this.maxMemoryBytes = options.maxMemoryBytes ?? 256 * 1024 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Memory first (no I/O), then the store. */
  peek(key: string): CachedResponse | undefined {
    const hit = this.memory.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.now()) {
      this.drop(key);
      return undefined;
    }
    return hit;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const hit = this.peek(key);
    if (hit) return hit;
    let row: Awaited<ReturnType<typeof readCacheEntry>>;
    try {
      row = await readCacheEntry(this.store, key, this.now());
    } catch (err) {
      // sealedFromStorage refuses bytes that are not a vault envelope (plaintext slipped in, or garbled).
      if (!isVaultError(err)) throw err;
      await this.discard(key, key.split('|')[0] ?? '', err.code);
      return undefined;
    }
    if (!row) return undefined;
    const br = await this.openBody(key, row.connectionId, row.body);
    if (!br) return undefined;
    const entry = new CachedResponse(
      key,
      row.connectionId,
      await brotliDecompress(br),
      row.createdAt,
      row.expiresAt,
    );
    entry.seed('br', br);
    this.keep(entry);
    return entry;
  }

  private async openBody(key: string, connectionId: string, sealed: Buffer): Promise<Buffer | undefined> {
    let plain: Buffer;
    try {
      plain = await this.vault.open(connectionId, 'cache', sealed);
    } catch (err) {
      if (!isVaultError(err) || !DISCARDABLE.has(err.code)) throw err;
      await this.discard(key, connectionId, err.code);
      return undefined;
    }
    const prefix = Buffer.from(`${key}\0`);
    if (plain.length < prefix.length || !plain.subarray(0, prefix.length).equals(prefix)) {
      // Authentic, but sealed for another cache key of the same connection (rows swapped): not this answer.
      await this.discard(key, connectionId, 'wrong_cache_key');
      return undefined;
    }
    return plain.subarray(prefix.length);
  }

  private async discard(key: string, connectionId: string, code: string): Promise<void> {
    this.options.onDiscard?.({ key, connectionId, code });
    await deleteCacheEntry(this.store, key);
  }

  async put(key: string, connectionId: string, resource: string, value: unknown): Promise<CachedResponse> {
    const body = Buffer.from(JSON.stringify(value));
    const now = this.now();
    const entry = new CachedResponse(key, connectionId, body, now, now + this.ttlMs);
    // The store keeps the brotli form (made once, and the one most clients ask for): a tenth of the bytes to seal,
    // write and hold in memory while doing so, compared with sealing the JSON itself.
    const br = await entry.bytes('br');
    const sealed = await this.vault.seal(connectionId, 'cache', Buffer.concat([Buffer.from(`${key}\0`), br]));
    await writeCacheEntry(this.store, {
      key,
      connectionId,
      resource,
      body: sealed,
      createdAt: now,
      expiresAt: entry.expiresAt,
    });
    this.keep(entry);
    return entry;
  }

  async invalidateConnection(connectionId: string): Promise<void> {
    for (const [key, entry] of this.memory) if (entry.connectionId === connectionId) this.drop(key);
    await deleteCacheOfConnection(this.store, connectionId);
  }

  private keep(entry: CachedResponse): void {
    if (entry.body.length > this.maxMemoryBytes) return;
    this.drop(entry.key);
    this.memory.set(entry.key, entry);
    this.memoryBytes += entry.body.length;
    for (const [key] of this.memory) {
      if (this.memoryBytes <= this.maxMemoryBytes) break;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const old = this.memory.get(key);
    if (!old) return;
    this.memory.delete(key);
    this.memoryBytes -= old.body.length;
  }
}

/** A stable cache key: parameters sorted, undefined ones left out. */
export function cacheKey(
  connectionId: string,
  resource: string,
  params: Record<string, unknown> = {},
): string {
  const parts = Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== null)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(params[k]))}`);
  return `${connectionId}|${resource}|${parts.join('&')}`;
}
