/**
 * Cached API results per connection + resource + parameters. Memory holds what is served: each entry's brotli form
 * (the one the store keeps and most clients ask for) and its ETag; another encoding (identity, gzip, deflate) is
 * made from it when first asked for and then kept and counted. Entries are evicted least recently used once the
 * bytes they hold pass the cap (CACHE_MEMORY), every byte counted (see `CachedResponse.size`). A row read from the
 * store while memory is full is kept only when it was asked for more often lately than the entry it would push out
 * (TinyLFU admission, src/sync/frequency-sketch.ts): a cyclic pattern larger than the cap then keeps hitting the
 * part of it that memory holds, instead of replacing one entry per read and never hitting (and every replaced body
 * is garbage that only a full garbage collection frees: at 10,000 connections, one every 300 ms).
 * Persisted to the store (shared by every node) as vault ciphertext (owner = connection id, purpose `cache`) of
 * the ETag and the brotli bytes, the cache key sealed inside so a row moved to another key is refused. A read from
 * the store is one row read and one unseal: no decompression and no hashing. A row that fails to open (tampered,
 * moved, shredded, written by an older version) is deleted and reads as a miss, so the caller fetches again:
 * garbage is never served. The warm path (memory) never decrypts.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { CacheRow } from '../store/cache.js';
import type { Store } from '../store/db.js';
import { type Sealed, type Vault, type VaultErrorCode, isVaultError } from '../vault/index.js';
import { FrequencySketch } from './frequency-sketch.js';
import { BIG_BODY_BYTES, type EncodedJson, JsonListEncoder, encodeJson } from './json-list-encoder.js';

export type Encoding = 'br' | 'gzip' | 'deflate';

const brotliDecompress = promisify(zlib.brotliDecompress);
const gzip = promisify(zlib.gzip);
const deflate = promisify(zlib.deflate);

/** Another encoding made from the JSON body. */
const compressors: Record<'gzip' | 'deflate', (b: Buffer) => Promise<Buffer>> = {
  gzip: (b) => gzip(b, { level: 6 }),
  deflate: (b) => deflate(b, { level: 6 }),
};

/**
 * Bytes counted per entry besides its buffers and strings: the entry object and its maps, the ArrayBuffer headers
 * of its buffers, the LRU's slots and the key's map entry (measured: 10,000 entries of a 100-byte body raise the
 * heap and external memory by about 0.45 KB each over their buffers and strings; rounded up).
 */
export const ENTRY_OVERHEAD_BYTES = 640;
/** Default of CACHE_MEMORY. */
export const DEFAULT_CACHE_MEMORY = 64 * 1_048_576;

/** Bytes a kept buffer may pin besides its own (counted in the entry's size): a decrypted row's label and ETag. */
const SLACK_BYTES = 1_024;

/**
 * `b` in a buffer of its own, unless the memory it pins besides its own bytes is at most `SLACK_BYTES` (an answer
 * read from the store is a slice of its decrypted row, behind the label and ETag: copying 50 KB to save 60 bytes
 * doubled what a store read allocates). A small Buffer is often a slice of a shared 8 KiB pool, which would keep
 * the whole of it alive for as long as the entry lives: that one is copied.
 */
function owned(b: Buffer): Buffer {
  if (b.buffer.byteLength - b.length <= SLACK_BYTES) return b;
  const copy = Buffer.allocUnsafeSlow(b.length);
  b.copy(copy);
  return copy;
}

/** What an entry asks of the cache holding it when it made another encoding. */
interface Holder {
  /** Whether `entry` may keep `bytes` more (it stays within one entry's limit); counted once kept. */
  mayGrow(entry: CachedResponse, bytes: number): boolean;
  grew(entry: CachedResponse): void;
}

export class CachedResponse {
  readonly br: Buffer;
  /** Encodings made from `br` on request and kept (counted in `size`). */
  private readonly made = new Map<Encoding | 'identity', Buffer>();
  /** Encodings being made now, so concurrent requests share one compression. */
  private readonly making = new Map<Encoding | 'identity', Promise<Buffer>>();
  private madeBytes = 0;
  /** The cache holding this entry, told when it grows; none for an entry no cache holds (too big). */
  holder: Holder | undefined;

  constructor(
    readonly key: string,
    readonly connectionId: string,
    br: Buffer,
    /** The body's ETag (hashed while the body was written, see `encodeJson`). */
    readonly etag: string,
    readonly createdAt: number,
    readonly expiresAt: number,
  ) {
    this.br = owned(br);
  }

  /**
   * Every byte this entry holds: its buffers, its strings (one byte a character for the ASCII of keys, ids and
   * ETags; two otherwise) and `ENTRY_OVERHEAD_BYTES`.
   */
  get size(): number {
    return (
      ENTRY_OVERHEAD_BYTES +
      stringBytes(this.key) +
      stringBytes(this.connectionId) +
      this.etag.length +
      this.br.buffer.byteLength +
      this.madeBytes
    );
  }

  /** The encodings held besides brotli (tests, metrics). */
  get held(): Array<Encoding | 'identity'> {
    return [...this.made.keys()];
  }

  /**
   * The body in `encoding`. Brotli is held; another encoding is made from it once (decompressed, and compressed
   * again for gzip or deflate) and kept while the entry may grow, else made for this request only.
   */
  bytes(encoding: Encoding | 'identity'): Promise<Buffer> {
    if (encoding === 'br') return Promise.resolve(this.br);
    const held = this.made.get(encoding);
    if (held) return Promise.resolve(held);
    let p = this.making.get(encoding);
    if (!p) {
      p = this.make(encoding);
      this.making.set(encoding, p);
      const done = () => this.making.delete(encoding);
      p.then(done, done);
    }
    return p;
  }

  /** The body in `encoding` when it is held (brotli, or made earlier); undefined when `bytes` would make it. */
  bytesNow(encoding: Encoding | 'identity'): Buffer | undefined {
    return encoding === 'br' ? this.br : this.made.get(encoding);
  }

  private async make(encoding: 'identity' | 'gzip' | 'deflate'): Promise<Buffer> {
    const body = await brotliDecompress(this.br);
    const bytes = encoding === 'identity' ? body : await compressors[encoding](body);
    if (this.holder?.mayGrow(this, bytes.length)) {
      const kept = owned(bytes);
      this.made.set(encoding, kept);
      this.madeBytes += kept.buffer.byteLength;
      this.holder.grew(this);
      return kept;
    }
    return bytes;
  }
}

function stringBytes(s: string): number {
  // Keys and ids are ASCII in practice (V8 stores them one byte a character); count two where they are not.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
  return /^[\x00-\x7f]*$/.test(s) ? s.length : s.length * 2;
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

/**
 * The label a row is sealed under: the cache key, behind the format of what is sealed (the ETag's length, the
 * ETag, the brotli bytes). Rows of the earlier format (brotli bytes only, labelled with the bare key) read as
 * `wrong_cache_key`: discarded once and fetched again.
 */
const sealLabel = (key: string) => `etag+br:${key}`;

/** ETag and brotli bytes as sealed into a row. */
function packRow(etag: string, br: Buffer): Buffer {
  const tag = Buffer.from(etag, 'latin1');
  return Buffer.concat([Buffer.from([tag.length]), tag, br]);
}

function unpackRow(plain: Buffer): { etag: string; br: Buffer } | undefined {
  const n = plain[0];
  if (n === undefined || plain.length < 1 + n) return undefined;
  return { etag: plain.toString('latin1', 1, 1 + n), br: plain.subarray(1 + n) };
}

export interface ResponseCacheOptions {
  /** Bytes the memory layer may hold (CACHE_MEMORY); default 64 MiB; 0 keeps nothing in memory. */
  maxMemoryBytes?: number;
  /** Largest entry kept in memory; default an eighth of `maxMemoryBytes`, so one body never pushes out most others. */
  maxEntryBytes?: number;
  now?: () => number;
  /** Told (ids and error code only) when a stored row failed to open and was discarded. */
  onDiscard?: (info: { key: string; connectionId: string; code: string }) => void;
}

export class ResponseCache implements Holder {
  private readonly memory: LRUCache<string, CachedResponse> | undefined;
  /** How often each key was looked up lately: whether a row read from the store may push an entry out. */
  private readonly sketch: FrequencySketch | undefined;
  private readonly maxEntryBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly vault: Vault,
    private readonly options: ResponseCacheOptions = {},
  ) {
    const max = options.maxMemoryBytes ?? DEFAULT_CACHE_MEMORY;
    this.maxEntryBytes = Math.min(max, options.maxEntryBytes ?? Math.floor(max / 8));
    this.now = options.now ?? Date.now;
    this.memory =
      max > 0
        ? new LRUCache<string, CachedResponse>({
            maxSize: max,
            maxEntrySize: this.maxEntryBytes,
            sizeCalculation: (entry) => entry.size,
            // An evicted entry that is still being served finishes its request, then is garbage.
            dispose: (entry) => {
              entry.holder = undefined;
            },
          })
        : undefined;
    this.sketch = this.memory ? new FrequencySketch() : undefined;
  }

  /** Bytes the memory layer holds now (every entry's `size`). */
  get memoryBytes(): number {
    return this.memory?.calculatedSize ?? 0;
  }

  /** Entries in memory now. */
  get memoryEntries(): number {
    return this.memory?.size ?? 0;
  }

  /** Whether memory holds `key` (not counted as a lookup, the entry's place in line unchanged). */
  holds(key: string): boolean {
    return this.memory?.has(key) ?? false;
  }

  /** Memory only (no I/O); marks the entry most recently used. */
  peek(key: string): CachedResponse | undefined {
    const hit = this.memory?.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.now()) {
      this.memory?.delete(key);
      return undefined;
    }
    // Counted once per answer served from the cache: here for memory, in `get` for the store (a miss in memory is
    // often looked up twice, by the fast path and again by the route).
    this.sketch?.increment(key);
    return hit;
  }

  /** Memory first, then the store: one row read and one unseal, kept in memory. */
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
    this.sketch?.increment(key);
    const opened = await this.openRow(key, row.connectionId, row.body);
    if (!opened) return undefined;
    const entry = new CachedResponse(
      key,
      row.connectionId,
      opened.br,
      opened.etag,
      row.createdAt,
      row.expiresAt,
    );
    if (this.admits(entry)) this.keep(entry);
    return entry;
  }

  private async openRow(
    key: string,
    connectionId: string,
    sealed: Sealed,
  ): Promise<{ etag: string; br: Buffer } | undefined> {
    let plain: Buffer | undefined;
    try {
      plain = await this.vault.openLabelled(connectionId, 'cache', sealLabel(key), sealed);
    } catch (err) {
      if (!isVaultError(err) || !DISCARDABLE.has(err.code)) throw err;
      await this.discard(key, connectionId, err.code);
      return undefined;
    }
    // Authentic, but sealed for another cache key of the same connection (rows swapped), or by an older version.
    const opened = plain && unpackRow(plain);
    if (!opened) await this.discard(key, connectionId, plain ? 'malformed' : 'wrong_cache_key');
    return opened;
  }

  private async discard(key: string, connectionId: string, code: string): Promise<void> {
    this.options.onDiscard?.({ key, connectionId, code });
    await this.store.cache.delete(key);
  }

  async put(key: string, connectionId: string, resource: string, value: unknown): Promise<CachedResponse> {
    return this.putEncoded(key, connectionId, resource, await encodeJson(value, BIG_BODY_BYTES));
  }

  /**
   * An encoder for a list that arrives in parts, keeping bodies as `put` does; its result goes to `putEncoded`.
   * `maxQuality` caps its brotli quality (a refreshed entry: `REFRESH_BROTLI_QUALITY`).
   */
  listEncoder(maxQuality?: number): JsonListEncoder {
    return new JsonListEncoder(BIG_BODY_BYTES, maxQuality);
  }

  /** Stores and keeps the brotli form and the ETag; the JSON body, if given, is let go. */
  async putEncoded(
    key: string,
    connectionId: string,
    resource: string,
    { etag, br }: EncodedJson,
  ): Promise<CachedResponse> {
    const now = this.now();
    const entry = new CachedResponse(key, connectionId, br, etag, now, now + this.ttlMs);
    const sealed = await this.vault.sealLabelled(connectionId, 'cache', sealLabel(key), packRow(etag, br));
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
    this.memory?.delete(key);
  }

  async invalidateConnection(connectionId: string): Promise<void> {
    this.forgetConnection(connectionId);
    await this.store.cache.deleteOfConnection(connectionId);
  }

  /** Drops a connection's entries from this node's memory only (a disconnect on another node). */
  forgetConnection(connectionId: string): void {
    if (!this.memory) return;
    const prefix = `${connectionId}|`;
    for (const key of [...this.memory.keys()]) if (key.startsWith(prefix)) this.memory.delete(key);
  }

  mayGrow(entry: CachedResponse, bytes: number): boolean {
    // A big body is never held whole (as when it was written), only made for the request.
    return (
      this.memory?.peek(entry.key) === entry &&
      bytes <= BIG_BODY_BYTES &&
      entry.size + bytes <= this.maxEntryBytes
    );
  }

  /** Counts an entry's new encoding: set again under its new size (most recently used, as it was just read). */
  grew(entry: CachedResponse): void {
    if (this.memory?.peek(entry.key) !== entry) return;
    this.memory.delete(entry.key);
    this.keep(entry);
  }

  /**
   * Whether a row read from the store goes into memory: always while it fits; when it would push an entry out, only
   * if it was looked up more often lately than the least recently used entry, not counting this lookup (so in a
   * cycle over more than memory holds, where every key is asked for as often as every other, what memory holds
   * stays and keeps being hit; a key that is asked for more than the others comes in after a few lookups).
   */
  private admits(entry: CachedResponse): boolean {
    if (!this.memory || !this.sketch) return false;
    if (this.memory.calculatedSize + entry.size <= this.memory.maxSize) return true;
    const victim = this.memory.rkeys().next();
    if (victim.done) return true;
    return this.sketch.estimate(entry.key) - 1 > this.sketch.estimate(victim.value);
  }

  private keep(entry: CachedResponse): void {
    if (!this.memory || entry.size > this.maxEntryBytes) return;
    entry.holder = this;
    this.memory.set(entry.key, entry);
  }
}

/** A stable cache key: parameters sorted, undefined ones left out. */
export function cacheKey(connectionId: string, resource: string, params?: Record<string, unknown>): string {
  // A warm read of a path without a query (the fast path's): nothing to sort or encode.
  if (params === undefined) return `${connectionId}|${resource}|`;
  const parts = Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== null)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(params[k]))}`);
  return `${connectionId}|${resource}|${parts.join('&')}`;
}
