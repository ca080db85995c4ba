import { describe, expect, it } from 'vitest';
import { canonicalHash, shortHash } from './diff.js';
import { SnapshotFormatError, decodeSnapshot, encodeSnapshot } from './snapshot.js';

const record = (value: { id: string; [k: string]: unknown }) => {
  const json = JSON.stringify(value);
  return { id: value.id, plain: shortHash(json), canon: canonicalHash(value), json };
};

describe('webhook snapshot format', () => {
  it('round-trips the index and hands back the JSON of the records asked for', async () => {
    const records = [
      record({ id: 'e1', name: 'Ann', note: 'line\nbreak' }),
      record({ id: 'e2', name: 'Bo' }),
      record({ id: 'e3', name: 'Cy', tags: [] }),
    ];
    const opened = decodeSnapshot(await encodeSnapshot(records));
    expect([...opened.index.keys()]).toEqual(['e1', 'e2', 'e3']);
    expect(opened.index.get('e2')).toEqual({ plain: records[1]?.plain, canon: records[1]?.canon, at: 1 });
    expect(await opened.jsonAt([2, 0])).toEqual([records[2]?.json, records[0]?.json]);
    expect(JSON.parse((await opened.jsonAt([0]))[0] as string)).toEqual({
      id: 'e1',
      name: 'Ann',
      note: 'line\nbreak',
    });
    expect(await opened.jsonAt([])).toEqual([]);
  });

  it('an empty list is a valid snapshot', async () => {
    expect(decodeSnapshot(await encodeSnapshot([])).index.size).toBe(0);
  });

  it('refuses what it did not write', async () => {
    expect(() => decodeSnapshot(Buffer.from([0, 0]))).toThrow(SnapshotFormatError);
    expect(() => decodeSnapshot(Buffer.from([0, 0, 0, 200, 1, 2]))).toThrow(SnapshotFormatError);
    const other = Buffer.from(JSON.stringify({ v: 2, ids: [], plain: '', canon: '' }));
    const head = Buffer.alloc(4);
    head.writeUInt32BE(other.length);
    expect(() => decodeSnapshot(Buffer.concat([head, other]))).toThrow(SnapshotFormatError);
  });
});
