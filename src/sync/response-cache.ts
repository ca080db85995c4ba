/**
 * Cached API results per connection + resource + parameters. Bytes are kept as the JSON the API sends, plus each
 * compressed encoding made once on first request and reused, so a warm read is a map lookup and a socket write.
 * Persisted to the store (shared by every node) as vault ciphertext (owner = connection id, purpose `cache`, the
 * cache key sealed inside so a row moved to another key is refused); the in-memory layer keeps plaintext bytes,
 * so a warm read never decrypts. A row that fails to open (tampered, moved, shredded) is deleted and reads as a
 * miss, so the caller fetches again: garbage is never served.
 */
import { type Hash, createHash } from 'node:crypto';
import { once } from 'node:events';
import type { TransformOptions } from 'node:stream';
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
 * employees q9 takes 794 ms, q5 233 ms (+7% bytes), q4 144 ms (+25% bytes). Above 8 MB, quality 3: streamed while
 * the list is serialized (`encodeJson`) it keeps pace with serialization, so the cold request does not wait for it
 * (12.5 MB of employees: q3 55–95 ms and 1.13 MB, q4 110–200 ms and 0.91 MB), and its encoder needs about half
 * the memory of q4's.
 */
function brotliQuality(bytes: number): number {
  if (bytes > BIG_BODY_BYTES) return 3;
  return bytes > 1_048_576 ? 5 : 9;
}

/** Bodies above this are never held whole, only compressed (see `encodeJson` and `CachedResponse`). */
const BIG_BODY_BYTES = 8 * 1_048_576;

const compressors: Record<Encoding, (b: Buffer) => Promise<Buffer>> = {
  br: (b) => promisify(zlib.brotliCompress)(b, { params: brotliParams(b.length) }),
  gzip: (b) => promisify(zlib.gzip)(b, { level: 6 }),
  deflate: (b) => promisify(zlib.deflate)(b, { level: 6 }),
};

function etagOf(sha256: Hash): string {
  return `"${sha256.digest('base64url').slice(0, 27)}"`;
}

function brotliParams(bytes: number): Record<number, number> {
  return {
    [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality(bytes),
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes,
  };
}

/** Elements in the first slice of a big list; later slices are sized from the bytes per element seen so far. */
const FIRST_SLICE = 32;
/**
 * UTF-16 units a slice's JSON string aims at: well under V8's large-object size (128 KiB), so each string dies young
 * in the nursery instead of piling up in large-object space until a full GC.
 */
const SLICE_CHARS = 32 * 1024;
/** Bytes written between yields to the event loop (where the compressor's completions run). */
const YIELD_BYTES = 256 * 1024;
/**
 * Bytes handed to the compressor at once. Every write is a trip to the thread pool and back through the stream
 * machinery on the main thread: slice-sized writes (hundreds for a big list) cost more main-thread time than they
 * save, and, while a list streams in from a provider, delay the handling of its next page.
 */
const FLUSH_BYTES = 1024 * 1024;
/** A staging arena holds a flush and the slice that passes it (a slice aims at SLICE_CHARS, at most 3 bytes each). */
const STAGING_BYTES = FLUSH_BYTES + 3 * SLICE_CHARS + 1024;

/**
 * UTF-8 bytes appended into one buffer, so the body is never assembled a second time. Capacity is reserved
 * generously from an estimate: pages of it never written are never touched, so they cost address space, not memory.
 */
class ByteArena {
  private buf: Buffer;
  private used = 0;
  private flushed = 0;
  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(1024, capacity));
  }

  /**
   * Appends the JSON text of an array slice as a continuation of the list written so far: its `[` becomes `,`
   * after the first slice, and its `]` is left off (taken back by the next append, or written by `close`).
   */
  appendSlice(json: string, first: boolean): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes; only count exactly when the bound does not fit.
    if (this.used + json.length * 3 > this.buf.length) {
      const need = this.used + Buffer.byteLength(json);
      if (need > this.buf.length) {
        const next = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
        this.buf.copy(next, 0, 0, this.used);
        this.buf = next;
      }
    }
    const start = this.used;
    // Written whole, then patched: slicing the string instead would copy it once more.
    const end = start + this.buf.write(json, start);
    if (!first) this.buf[start] = 0x2c; // ','
    this.used = end - 1;
  }

  /** Writes the closing `]`. */
  close(): void {
    this.used += this.buf.write(']', this.used);
  }

  /** Bytes appended since the last `flush`. */
  get unflushed(): number {
    return this.used - this.flushed;
  }

  /** A view of the bytes appended since the last call, valid even if the arena grows later. */
  flush(): Buffer {
    const view = this.buf.subarray(this.flushed, this.used);
    this.flushed = this.used;
    return view;
  }

  /** Empty again, for reuse once every view of it has been consumed. */
  reset(): this {
    this.used = 0;
    this.flushed = 0;
    return this;
  }

  /** The bytes written (the unwritten rest of the reservation stays untouched). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

/** A JSON body with its ETag and brotli form, the two made while the body is written. */
export interface EncodedJson {
  /** Undefined when the body was bigger than asked to keep. */
  body: Buffer | undefined;
  etag: string;
  br: Buffer;
}

/**
 * A JSON array written as its elements arrive, hashed for its ETag and brotli-compressed on the way (zlib works on
 * the thread pool). A list fetched page by page is thus encoded while later pages are still on their way, and `end`
 * has only the tail left to do. No string of the whole body is ever made: elements are serialized a slice at a time.
 * The slices go into one buffer (the body), or, once the body is estimated (from the first slice and the expected
 * length) or found to pass `keepBodyUpTo` bytes, into small reused buffers: the body then never exists whole, only its
 * brotli form.
 */
export class JsonListEncoder {
  private readonly sha = createHash('sha256');
  /** Every byte of the body, while it is kept. */
  private arena: ByteArena | undefined;
  /**
   * Otherwise, the bytes not yet handed to the compressor, in a small arena swapped for a free one on each flush
   * (reused once the compressor has consumed it: a fresh buffer each time would be external garbage that V8 lets
   * pile up to tens of MB before collecting it).
   */
  private staging: ByteArena | undefined;
  private readonly freeStaging: ByteArena[] = [];
  private compressor: zlib.BrotliCompress | undefined;
  private readonly compressed: Buffer[] = [];
  private finished: Promise<void> = Promise.resolve();
  /** Elements and bytes written so far. */
  private count = 0;
  private written = 0;
  private expected: number | undefined;
  private spoiled = false;

  constructor(private readonly keepBodyUpTo = Number.POSITIVE_INFINITY) {}

  /** The list's length, when known before its end (a provider's total): sizes the buffer and picks the quality. */
  expect(total: number): void {
    if (this.count === 0 && Number.isSafeInteger(total) && total >= 0) this.expected = total;
  }

  /**
   * Appends elements now, without waiting for the compressor (it queues what it has not taken yet). A value JSON
   * cannot hold (a BigInt, a cycle) throws and spoils the encoder: nothing of it may be cached.
   */
  add(items: readonly unknown[]): void {
    for (let i = 0; i < items.length; ) i += this.writeSlice(items, i).taken;
  }

  /** `add` for a list held whole: yields to the event loop as it goes, and waits when the compressor is behind. */
  async push(items: readonly unknown[]): Promise<void> {
    let sinceYield = 0;
    for (let i = 0; i < items.length; ) {
      const { taken, bytes, more } = this.writeSlice(items, i);
      i += taken;
      sinceYield += bytes;
      if (!more && this.compressor) {
        // The compressor is a few slices behind: wait, rather than queue the whole body in front of it.
        sinceYield = 0;
        await once(this.compressor, 'drain');
      } else if (sinceYield >= YIELD_BYTES) {
        sinceYield = 0;
        // Let the compressor's completions run, so it keeps working while the next slices are built.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  /** Closes the array; the body (if kept), its ETag and its brotli form. */
  async end(): Promise<EncodedJson> {
    if (this.spoiled) throw new Error('this list failed to encode');
    const compressor = this.compressor;
    const open = this.arena ?? this.staging;
    if (!compressor || !open) return encodeWhole([]);
    open.close();
    const tail = open.flush();
    this.sha.update(tail);
    compressor.end(tail);
    await this.finished;
    return { body: this.arena?.bytes(), etag: etagOf(this.sha), br: Buffer.concat(this.compressed) };
  }

  /** Gives up: the compressor is released and nothing more can be added. */
  abort(): void {
    this.spoiled = true;
    this.compressor?.destroy();
  }

  private writeSlice(
    items: readonly unknown[],
    from: number,
  ): { taken: number; bytes: number; more: boolean } {
    if (this.spoiled) throw new Error('this list failed to encode');
    const first = this.count === 0;
    const size = first ? FIRST_SLICE : Math.max(1, Math.floor((SLICE_CHARS * this.count) / this.written));
    const part = items.slice(from, from + size);
    let json: string;
    try {
      json = JSON.stringify(part);
    } catch (err) {
      this.abort();
      throw err;
    }
    if (first) this.start(json, part.length, items.length - from);
    if (this.arena && this.written + json.length > this.keepBodyUpTo) {
      // Longer than estimated: stop keeping the body; what it holds so far goes to the compressor as it is.
      this.flush(this.arena);
      this.arena = undefined;
      this.staging = new ByteArena(STAGING_BYTES);
    }
    const target = (this.arena ?? this.staging) as ByteArena;
    const before = target.unflushed;
    target.appendSlice(json, first);
    const bytes = target.unflushed - before;
    this.count += part.length;
    this.written += bytes;
    const more = target.unflushed >= FLUSH_BYTES ? this.flush(target) : true;
    return { taken: part.length, bytes, more };
  }

  /** Hands what `target` holds to the hash and the compressor; false when the compressor asks to wait. */
  private flush(target: ByteArena): boolean {
    const view = target.flush();
    this.sha.update(view);
    if (target === this.arena) return this.compressor?.write(view) !== false;
    // A staging arena is reused only after the compressor has consumed the view.
    this.staging = this.freeStaging.pop()?.reset() ?? new ByteArena(STAGING_BYTES);
    return this.compressor?.write(view, () => this.freeStaging.push(target)) !== false;
  }

  /** Sizes the body from its first slice (elements of one list are much alike) and opens the compressor. */
  private start(json: string, sliceLength: number, atLeast: number): void {
    const length = Math.max(this.expected ?? 0, atLeast);
    const estimate = Math.ceil((Buffer.byteLength(json) * length) / sliceLength);
    if (estimate <= this.keepBodyUpTo) this.arena = new ByteArena(estimate * 2);
    else this.staging = new ByteArena(STAGING_BYTES);
    // zlib streams are Transforms and take their options, which BrotliOptions does not list.
    const options: zlib.BrotliOptions & TransformOptions = {
      chunkSize: 256 * 1024,
      // A few flushes may queue, so serializing the next megabyte overlaps compressing the last one.
      writableHighWaterMark: 4 * FLUSH_BYTES,
      params: brotliParams(estimate),
    };
    const stream = zlib.createBrotliCompress(options);
    stream.on('data', (chunk: Buffer) => this.compressed.push(chunk));
    this.finished = new Promise<void>((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('error', reject);
    });
    // Awaited by `end`; until then (or if the list is abandoned) a compressor failure must not count as unhandled.
    this.finished.catch(() => undefined);
    this.compressor = stream;
  }
}

async function encodeWhole(value: unknown): Promise<EncodedJson> {
  const body = Buffer.from(JSON.stringify(value));
  return { body, etag: etagOf(createHash('sha256').update(body)), br: await compressors.br(body) };
}

/**
 * `JSON.stringify(value)` as bytes, plus ETag and brotli; a big array goes through `JsonListEncoder`, so
 * compression overlaps serialization and, above `keepBodyUpTo` bytes, the body is never held whole.
 */
export async function encodeJson(
  value: unknown,
  keepBodyUpTo = Number.POSITIVE_INFINITY,
): Promise<EncodedJson> {
  if (!Array.isArray(value) || value.length <= FIRST_SLICE) return encodeWhole(value);
  const list = new JsonListEncoder(keepBodyUpTo);
  list.expect(value.length);
  await list.push(value);
  return list.end();
}

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
    await deleteCacheEntry(this.store, key);
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
