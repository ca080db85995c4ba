/**
 * JSON bodies as the response cache keeps them: the bytes, their ETag and their brotli form, made in one pass. A
 * list is serialized a slice at a time as its parts arrive (`JsonListEncoder`, fed by a fetch job's `ListSink`),
 * so compression overlaps the provider's later pages and a big body is never held whole.
 */
import { type Hash, createHash } from 'node:crypto';
import { once } from 'node:events';
import type { TransformOptions } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Quality 9 for small bodies; lower for bigger ones, which the first (cold) request waits for and which warming
 * many connections pays for each: on 586 KB of employees (200) q9 takes 44.5 ms of CPU and q6 7.7 ms for 3.4 %
 * more bytes (49.7 KB instead of 48.1 KB); on 30 MB of employees q9 takes 794 ms, q5 233 ms (+7% bytes), q4 144 ms
 * (+25% bytes). Above 8 MB, quality 3: streamed while
 * the list is serialized (`encodeJson`) it keeps pace with serialization, so the cold request does not wait for it
 * (12.5 MB of employees: q3 55–95 ms and 1.13 MB, q4 110–200 ms and 0.91 MB), and its encoder needs about half
 * the memory of q4's.
 */
function brotliQuality(bytes: number): number {
  if (bytes > BIG_BODY_BYTES) return 3;
  if (bytes > 1_048_576) return 5;
  return bytes > 131_072 ? 6 : 9;
}

/** Bodies above this are never held whole, only compressed (see `encodeJson` and `CachedResponse`). */
export const BIG_BODY_BYTES = 8 * 1_048_576;

/** Brotli at the quality `brotliQuality` picks for the body's size. */
export const compressBrotli = (b: Buffer): Promise<Buffer> =>
  promisify(zlib.brotliCompress)(b, { params: brotliParams(b.length) });

export function etagOf(sha256: Hash): string {
  return `"${sha256.digest('base64url').slice(0, 27)}"`;
}

function brotliParams(bytes: number, maxQuality = 11): Record<number, number> {
  return {
    [zlib.constants.BROTLI_PARAM_QUALITY]: Math.min(maxQuality, brotliQuality(bytes)),
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

  /** Appends one element's JSON text, after `[` (the first) or `,`; the `]` is left off as by `appendSlice`. */
  appendElement(json: string, first: boolean): void {
    if (this.used + 1 + json.length * 3 > this.buf.length) this.grow(this.used + 1 + Buffer.byteLength(json));
    this.buf[this.used] = first ? 0x5b : 0x2c; // '[' or ','
    this.used += 1 + this.buf.write(json, this.used + 1);
  }

  private grow(need: number): void {
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  /**
   * Appends the JSON text of an array slice as a continuation of the list written so far: its `[` becomes `,`
   * after the first slice, and its `]` is left off (taken back by the next append, or written by `close`).
   */
  appendSlice(json: string, first: boolean): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes; only count exactly when the bound does not fit.
    if (this.used + json.length * 3 > this.buf.length) this.grow(this.used + Buffer.byteLength(json));
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

  constructor(
    private readonly keepBodyUpTo = Number.POSITIVE_INFINITY,
    /** At most this brotli quality (`REFRESH_BROTLI_QUALITY` for a refreshed entry); else by size. */
    private readonly maxQuality = 11,
  ) {}

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

  /**
   * `add` for elements already serialized, each `JSON.stringify(element)` (what a caller that also hashes each
   * record made anyway): appended as they are, so the list is serialized once.
   */
  addJson(texts: readonly string[]): void {
    if (this.spoiled) throw new Error('this list failed to encode');
    for (let i = 0; i < texts.length; i++) {
      const json = texts[i] as string;
      const first = this.count === 0;
      if (first) this.start(json, 1, texts.length);
      if (this.arena && this.written + json.length + 1 > this.keepBodyUpTo) this.stopKeeping(this.arena);
      const target = (this.arena ?? this.staging) as ByteArena;
      const before = target.unflushed;
      target.appendElement(json, first);
      this.count++;
      this.written += target.unflushed - before;
      if (target.unflushed >= FLUSH_BYTES) this.flush(target);
    }
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
    if (this.arena && this.written + json.length > this.keepBodyUpTo) this.stopKeeping(this.arena);
    const target = (this.arena ?? this.staging) as ByteArena;
    const before = target.unflushed;
    target.appendSlice(json, first);
    const bytes = target.unflushed - before;
    this.count += part.length;
    this.written += bytes;
    const more = target.unflushed >= FLUSH_BYTES ? this.flush(target) : true;
    return { taken: part.length, bytes, more };
  }

  /** Longer than estimated: stop keeping the body; what it holds so far goes to the compressor as it is. */
  private stopKeeping(arena: ByteArena): void {
    this.flush(arena);
    this.arena = undefined;
    this.staging = new ByteArena(STAGING_BYTES);
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
      params: brotliParams(estimate, this.maxQuality),
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
  return { body, etag: etagOf(createHash('sha256').update(body)), br: await compressBrotli(body) };
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
