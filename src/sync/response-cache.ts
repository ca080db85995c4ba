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
import type { CacheRow } from '../store/cache.js';
import type { Store } from '../store/db.js';
import { type Vault, type VaultErrorCode, isVaultError } from '../vault/index.js';
import {
  BIG_BODY_BYTES,
  type EncodedJson,
  JsonListEncoder,
  compressBrotli,
  encodeJson,
  etagOf,
} from './json-list-encoder.js';

export type Encoding = 'br' | 'gzip' | 'deflate';

const brotliDecompress = promisify(zlib.brotliDecompress);

const compressors: Record<Encoding, (b: Buffer) => Promise<Buffer>> = {
  br: compressBrotli,
  gzip: (b) => promisify(zlib.gzip)(b, { level: 6 }),
  deflate: (b) => promisify(zlib.deflate)(b, { level: 6 }),
};

export class CachedResponse {
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();
  /** The JSON itself, unless it is big (see `encodeJson`): then only compressed forms are held. */
  private readonly plain: Buffer | undefined;
  constructor(
    readonly key: string,
    readonly connectionId: string,
    /** The JSON bytes, or null when not held; `etag` and a seeded `br` are then required. */
    body: Buffer | null,
    readonly createdAt: number,
    readonly expiresAt: number,
    /** The body's ETag when already hashed while it was written (see `encodeJson`). */
    etag?: string,
  ) {
    if (body === null && etag === undefined) throw new Error('a cache entry without its body needs its ETag');
    this.plain = body ?? undefined;
    this.etag = etag ?? etagOf(createHash('sha256').update(body as Buffer));
  }

  private brBytes = 0;

  /** Bytes this entry holds in memory (its JSON, or else its brotli form). */
  get size(): number {
    return this.plain?.length ?? this.brBytes;
  }

  /** Records bytes already compressed elsewhere (read back from the store), so they are not made again. */
  seed(encoding: Encoding, bytes: Buffer): void {
    this.encoded.set(encoding, Promise.resolve(bytes));
    if (encoding === 'br') this.brBytes = bytes.length;
  }

  /** The body in `encoding`, compressed at most once per entry. */
  bytes(encoding: Encoding | 'identity'): Promise<Buffer> {
    if (encoding === 'identity') return this.plain ? Promise.resolve(this.plain) : this.unpacked();
    let p = this.encoded.get(encoding);
    if (!p) {
      p = this.plain ? compressors[encoding](this.plain) : this.unpacked().then(compressors[encoding]);
      this.encoded.set(encoding, p);
      // A failed compression must not poison the entry for later requests.
      p.catch(() => this.encoded.delete(encoding));
    }
    return p;
  }

  /** A body that is not held, from its brotli form; made per request and not kept (holding it is what we avoid). */
  private async unpacked(): Promise<Buffer> {
    const br = this.encoded.get('br');
    if (!br) throw new Error(`cache entry ${this.key} holds neither its body nor its brotli form`);
    return brotliDecompress(await br);
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
    let row: CacheRow | undefined;
    try {
      row = await this.store.cache.read(key, this.now());
    } catch (err) {
      // sealedFromStorage refuses bytes that are not a vault envelope (plaintext slipped in, or garbled).
      if (!isVaultError(err)) throw err;
      await this.discard(key, key.split('|')[0] ?? '', err.code);
      return undefined;
    }
    if (!row) return undefined;
    const br = await this.openBody(key, row.connectionId, row.body);
    if (!br) return undefined;
    const body = await brotliDecompress(br);
    // A big body is hashed for its ETag and let go, as `put` never holds one.
    const held = body.length > BIG_BODY_BYTES ? null : body;
    const etag = held ? undefined : etagOf(createHash('sha256').update(body));
    const entry = new CachedResponse(key, row.connectionId, held, row.createdAt, row.expiresAt, etag);
    entry.seed('br', br);
    this.keep(entry);
    return entry;
  }

  private async openBody(key: string, connectionId: string, sealed: Buffer): Promise<Buffer | undefined> {
    let br: Buffer | undefined;
    try {
      br = await this.vault.openLabelled(connectionId, 'cache', key, sealed);
    } catch (err) {
      if (!isVaultError(err) || !DISCARDABLE.has(err.code)) throw err;
      await this.discard(key, connectionId, err.code);
      return undefined;
    }
    // Authentic, but sealed for another cache key of the same connection (rows swapped): not this answer.
    if (!br) await this.discard(key, connectionId, 'wrong_cache_key');
    return br;
  }

  private async discard(key: string, connectionId: string, code: string): Promise<void> {
    this.options.onDiscard?.({ key, connectionId, code });
    await this.store.cache.delete(key);
  }

  async put(key: string, connectionId: string, resource: string, value: unknown): Promise<CachedResponse> {
    return this.putEncoded(key, connectionId, resource, await encodeJson(value, BIG_BODY_BYTES));
  }

  /** An encoder for a list that arrives in parts, keeping bodies as `put` does; its result goes to `putEncoded`. */
  listEncoder(): JsonListEncoder {
    return new JsonListEncoder(BIG_BODY_BYTES);
  }

  async putEncoded(
    key: string,
    connectionId: string,
    resource: string,
    { body, etag, br }: EncodedJson,
  ): Promise<CachedResponse> {
    const now = this.now();
    const entry = new CachedResponse(key, connectionId, body ?? null, now, now + this.ttlMs, etag);
    // The store keeps the brotli form (made once, and the one most clients ask for): a tenth of the bytes to seal,
    // write and hold in memory while doing so, compared with sealing the JSON itself.
    entry.seed('br', br);
    const sealed = await this.vault.sealLabelled(connectionId, 'cache', key, br);
    await this.store.cache.write({
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

  /** Drops `key` from this node's memory only (the stored row is the store's to delete). */
  forget(key: string): void {
    this.drop(key);
  }

  async invalidateConnection(connectionId: string): Promise<void> {
    this.forgetConnection(connectionId);
    await this.store.cache.deleteOfConnection(connectionId);
  }

  /** Drops a connection's entries from this node's memory only (a disconnect on another node). */
  forgetConnection(connectionId: string): void {
    for (const [key, entry] of this.memory) if (entry.connectionId === connectionId) this.drop(key);
  }

  private keep(entry: CachedResponse): void {
    if (entry.size > this.maxMemoryBytes) return;
    this.drop(entry.key);
    this.memory.set(entry.key, entry);
    this.memoryBytes += entry.size;
    for (const [key] of this.memory) {
      if (this.memoryBytes <= this.maxMemoryBytes) break;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const old = this.memory.get(key);
    if (!old) return;
    this.memory.delete(key);
    this.memoryBytes -= old.size;
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
