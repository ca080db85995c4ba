/**
 * The plaintext of a webhook snapshot (sealed by the vault, purpose `snapshot`, before it reaches the store):
 *
 *     u32 BE  length of the index
 *     index   JSON {"v":1,"ids":[…],"plain":"<hashes>","canon":"<hashes>"}: record ids in fetch order and, for each,
 *             the 16-byte hash of its plain JSON and of its canonical JSON (src/webhooks/diff.ts), base64url,
 *             22 characters each, concatenated
 *     records brotli (quality 1) of the records' JSON, one per line, in the same order (JSON text holds no raw
 *             newline, so a line is a record)
 *
 * The index alone answers "did anything change?" (most polls): the records are decompressed only when something
 * did, and only the changed and removed ones are parsed (their "before" values).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { KnownRecord } from './diff.js';

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

const HASH_CHARS = 22;
const FORMAT = 1;

export interface SnapshotRecord {
  id: string;
  plain: string;
  canon: string;
  /** The record's JSON as fetched (the API's own key order). */
  json: string;
}

/** Quality 1: a snapshot is written on every changed poll and read once; brotli's fastest level still gives ~8×. */
const BROTLI_OPTIONS: zlib.BrotliOptions = {
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 1,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  },
};

export async function encodeSnapshot(records: readonly SnapshotRecord[]): Promise<Buffer> {
  const index = Buffer.from(
    JSON.stringify({
      v: FORMAT,
      ids: records.map((r) => r.id),
      plain: records.map((r) => r.plain).join(''),
      canon: records.map((r) => r.canon).join(''),
    }),
  );
  const lines = records.map((r) => r.json).join('\n');
  const body = await brotliCompress(Buffer.from(lines), {
    ...BROTLI_OPTIONS,
    params: { ...BROTLI_OPTIONS.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: lines.length },
  });
  const head = Buffer.alloc(4);
  head.writeUInt32BE(index.length);
  return Buffer.concat([head, index, body]);
}

export interface OpenedSnapshot {
  /** Known records by id, with their position. */
  index: Map<string, KnownRecord & { at: number }>;
  /** The JSON of the records at these positions (decompresses the records once). */
  jsonAt(positions: readonly number[]): Promise<string[]>;
}

export class SnapshotFormatError extends Error {}

export function decodeSnapshot(bytes: Buffer): OpenedSnapshot {
  if (bytes.length < 4) throw new SnapshotFormatError('snapshot too short');
  const indexLength = bytes.readUInt32BE(0);
  if (4 + indexLength > bytes.length) throw new SnapshotFormatError('snapshot index cut short');
  const parsed = JSON.parse(bytes.subarray(4, 4 + indexLength).toString('utf8')) as {
    v?: unknown;
    ids?: unknown;
    plain?: unknown;
    canon?: unknown;
  };
  const { ids, plain, canon } = parsed;
  if (
    parsed.v !== FORMAT ||
    !Array.isArray(ids) ||
    typeof plain !== 'string' ||
    typeof canon !== 'string' ||
    plain.length !== ids.length * HASH_CHARS ||
    canon.length !== ids.length * HASH_CHARS
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
  let lines: Promise<string[]> | undefined;
  return {
    index,
    async jsonAt(positions) {
      if (positions.length === 0) return [];
      lines ??= brotliDecompress(body).then((b) => b.toString('utf8').split('\n'));
      const all = await lines;
      return positions.map((at) => {
        const line = all[at];
        if (line === undefined) throw new SnapshotFormatError(`snapshot has no record ${at}`);
        return line;
      });
    },
  };
}
