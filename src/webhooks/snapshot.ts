/**
 * The plaintext of a webhook snapshot (sealed by the vault, purpose `snapshot`, before it reaches the store):
 *
 *     u32 BE  length of the index
 *     index   JSON {"v":2,"ids":[…],"plain":"<hashes>","canon":"<hashes>","start":[…],"length":[…]}: record ids in
 *             fetch order and, for each, the 16-byte hash of its plain JSON and of its canonical JSON
 *             (src/webhooks/diff.ts), base64url, 22 characters each, concatenated, and where its JSON lies in the
 *             body (UTF-8 byte offset and length)
 *     body    brotli of the fetched list as a JSON array, `[r0,r1,…]`: the very bytes the poll's refreshed cache
 *             entry holds (src/webhooks/poll.ts), so a poll compresses the list once for both
 *
 * The index alone answers "did anything change?" (most polls): the body is decompressed only when something did,
 * and only the changed and removed records are parsed (their "before" values). Format 1 (the body a brotli of the
 * records one per line, no ranges) is still read, so snapshots written before it need no baseline again.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { KnownRecord } from './diff.js';

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

const HASH_CHARS = 22;
const FORMAT = 2;

/** Where one element's JSON lies in the body `[t0,t1,…]`. */
export interface ByteRange {
  start: number;
  length: number;
}

export interface SnapshotRecord extends ByteRange {
  id: string;
  plain: string;
  canon: string;
}

/**
 * Brotli of `[t0,t1,…]` at `quality` (REFRESH_BROTLI_QUALITY), for a list the poll did not fetch itself (the fetch
 * path compresses its own).
 */
export function compressList(texts: readonly string[], quality: number): Promise<Buffer> {
  const json = Buffer.from(`[${texts.join(',')}]`);
  return brotliCompress(json, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
    },
  });
}

/** The snapshot of `records`, whose JSON lies at their ranges in the list `bodyBr` is the brotli of. */
export function encodeSnapshot(records: readonly SnapshotRecord[], bodyBr: Buffer): Buffer {
  const index = Buffer.from(
    JSON.stringify({
      v: FORMAT,
      ids: records.map((r) => r.id),
      plain: records.map((r) => r.plain).join(''),
      canon: records.map((r) => r.canon).join(''),
      start: records.map((r) => r.start),
      length: records.map((r) => r.length),
    }),
  );
  const head = Buffer.alloc(4);
  head.writeUInt32BE(index.length);
  return Buffer.concat([head, index, bodyBr]);
}

export interface OpenedSnapshot {
  /** Known records by id, with their position. */
  index: Map<string, KnownRecord & { at: number }>;
  /** The JSON of the records at these positions (decompresses the body once). */
  jsonAt(positions: readonly number[]): Promise<string[]>;
}

export class SnapshotFormatError extends Error {}

const isOffsets = (v: unknown, n: number): v is number[] =>
  Array.isArray(v) && v.length === n && v.every((x) => Number.isSafeInteger(x) && x >= 0);

/**
 * Output buffer size for decompressing a snapshot's body: the list's size when the ranges tell it (one buffer), else
 * 1 MiB. zlib's default (16 KiB) makes a 3 MB list about 190 trips between the thread pool and the main thread, each
 * with its callback and buffer: 1.3 ms more CPU per decompression (5.9 against 4.6 ms, 1,000 sandbox employees).
 */
function outputChunk(start: unknown, length: unknown): number {
  const last = (v: unknown) => (Array.isArray(v) && typeof v.at(-1) === 'number' ? (v.at(-1) as number) : 0);
  const size = last(start) + last(length) + 1;
  return size > 1 ? Math.min(Math.max(size, 16 * 1024), 64 * 1_048_576) : 1_048_576;
}

export function decodeSnapshot(bytes: Buffer): OpenedSnapshot {
  if (bytes.length < 4) throw new SnapshotFormatError('snapshot too short');
  const indexLength = bytes.readUInt32BE(0);
  if (4 + indexLength > bytes.length) throw new SnapshotFormatError('snapshot index cut short');
  const parsed = JSON.parse(bytes.subarray(4, 4 + indexLength).toString('utf8')) as {
    v?: unknown;
    ids?: unknown;
    plain?: unknown;
    canon?: unknown;
    start?: unknown;
    length?: unknown;
  };
  const { ids, plain, canon, start, length } = parsed;
  if (
    (parsed.v !== 1 && parsed.v !== FORMAT) ||
    !Array.isArray(ids) ||
    typeof plain !== 'string' ||
    typeof canon !== 'string' ||
    plain.length !== ids.length * HASH_CHARS ||
    canon.length !== ids.length * HASH_CHARS ||
    (parsed.v === FORMAT && !(isOffsets(start, ids.length) && isOffsets(length, ids.length)))
  ) {
    throw new SnapshotFormatError('unknown snapshot format');
  }
  const index = new Map<string, KnownRecord & { at: number }>();
  ids.forEach((id: unknown, at) => {
    if (typeof id !== 'string') throw new SnapshotFormatError('snapshot id is not a string');
    const from = at * HASH_CHARS;
    index.set(id, {
      plain: plain.slice(from, from + HASH_CHARS),
      canon: canon.slice(from, from + HASH_CHARS),
      at,
    });
  });
  const body = bytes.subarray(4 + indexLength);
  /** The body, decompressed once: a reader of record `at`'s JSON. */
  const open = async (): Promise<(at: number) => string | undefined> => {
    const list = await brotliDecompress(body, {
      chunkSize: outputChunk(parsed.v === FORMAT ? start : undefined, length),
    });
    if (parsed.v === 1) {
      const lines = list.toString('utf8').split('\n');
      return (at) => lines[at];
    }
    const [from, size] = [start as number[], length as number[]];
    return (at) => {
      const a = from[at];
      const n = size[at];
      return a === undefined || n === undefined || a + n > list.length
        ? undefined
        : list.toString('utf8', a, a + n);
    };
  };
  let reader: Promise<(at: number) => string | undefined> | undefined;
  return {
    index,
    async jsonAt(positions) {
      if (positions.length === 0) return [];
      reader ??= open();
      const read = await reader;
      return positions.map((at) => {
        const text = read(at);
        if (text === undefined) throw new SnapshotFormatError(`snapshot has no record ${at}`);
        return text;
      });
    },
  };
}
