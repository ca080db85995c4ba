import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalHash, shortHash } from './diff.js';
import { SnapshotFormatError, compressList, decodeSnapshot, encodeSnapshot } from './snapshot.js';

/** Records with their JSON and its byte range in `[t0,t1,…]`, and that list's brotli. */
async function snapshotOf(values: Array<{ id: string; [k: string]: unknown }>) {
  let at = 1;
  const records = values.map((value) => {
    const json = JSON.stringify(value);
    const start = at;
    at += Buffer.byteLength(json) + 1;
    return {
      id: value.id,
      plain: shortHash(json),
      canon: canonicalHash(value),
      json,
      start,
      length: at - 1 - start,
    };
  });
  return {
    records,
    bytes: encodeSnapshot(
      records,
      await compressList(
        records.map((r) => r.json),
        1,
      ),
    ),
  };
}

describe('webhook snapshot format', () => {
  it('round-trips the index and hands back the JSON of the records asked for', async () => {
    const { records, bytes } = await snapshotOf([
      { id: 'e1', name: 'Ann', note: 'line\nbreak' },
      { id: 'e2', name: 'Bø', city: 'Zürich — 東京' },
      { id: 'e3', name: 'Cy', tags: [] },
    ]);
    const opened = decodeSnapshot(bytes);
    expect([...opened.index.keys()]).toEqual(['e1', 'e2', 'e3']);
    expect(opened.index.get('e2')).toEqual({ plain: records[1]?.plain, canon: records[1]?.canon, at: 1 });
    expect(await opened.jsonAt([2, 0, 1])).toEqual([records[2]?.json, records[0]?.json, records[1]?.json]);
    expect(JSON.parse((await opened.jsonAt([0]))[0] as string)).toEqual({
      id: 'e1',
      name: 'Ann',
      note: 'line\nbreak',
    });
    expect(await opened.jsonAt([])).toEqual([]);
  });

  it('an empty list is a valid snapshot', async () => {
    expect(decodeSnapshot((await snapshotOf([])).bytes).index.size).toBe(0);
  });

  it('still reads format 1 (records one per line)', async () => {
    const values = [
      { id: 'e1', name: 'Ann' },
      { id: 'e2', name: 'Bo' },
    ];
    const json = values.map((v) => JSON.stringify(v));
    const index = Buffer.from(
      JSON.stringify({
        v: 1,
        ids: ['e1', 'e2'],
        plain: json.map(shortHash).join(''),
        canon: values.map(canonicalHash).join(''),
      }),
    );
    const head = Buffer.alloc(4);
    head.writeUInt32BE(index.length);
    const opened = decodeSnapshot(
      Buffer.concat([head, index, zlib.brotliCompressSync(Buffer.from(json.join('\n')))]),
    );
    expect(opened.index.get('e2')).toEqual({
      plain: shortHash(json[1] as string),
      canon: canonicalHash(values[1]),
      at: 1,
    });
    expect(await opened.jsonAt([1, 0])).toEqual([json[1], json[0]]);
  });

  it('refuses what it did not write', async () => {
    expect(() => decodeSnapshot(Buffer.from([0, 0]))).toThrow(SnapshotFormatError);
    expect(() => decodeSnapshot(Buffer.from([0, 0, 0, 200, 1, 2]))).toThrow(SnapshotFormatError);
    const framed = (index: unknown, body: Buffer = Buffer.alloc(0)) => {
      const other = Buffer.from(JSON.stringify(index));
      const head = Buffer.alloc(4);
      head.writeUInt32BE(other.length);
      return Buffer.concat([head, other, body]);
    };
    expect(() => decodeSnapshot(framed({ v: 3, ids: [], plain: '', canon: '' }))).toThrow(
      SnapshotFormatError,
    );
    // Format 2 without the records' byte ranges.
    expect(() => decodeSnapshot(framed({ v: 2, ids: [], plain: '', canon: '' }))).toThrow(
      SnapshotFormatError,
    );
    // A range past the body's end.
    const index = { v: 2, ids: ['e1'], plain: 'a'.repeat(22), canon: 'b'.repeat(22), start: [1] };
    const body = await compressList(['{"id":"e1"}'], 1);
    expect(await decodeSnapshot(framed({ ...index, length: [11] }, body)).jsonAt([0])).toEqual([
      '{"id":"e1"}',
    ]);
    await expect(decodeSnapshot(framed({ ...index, length: [13] }, body)).jsonAt([0])).rejects.toThrow(
      SnapshotFormatError,
    );
  });
});
