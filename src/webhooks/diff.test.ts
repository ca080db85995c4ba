import { describe, expect, it } from 'vitest';
import {
  type FreshRecord,
  type KnownRecord,
  canonicalHash,
  canonicalJson,
  classify,
  fieldChanges,
  shortHash,
} from './diff.js';

const fresh = (value: { id: string; [k: string]: unknown }): FreshRecord => ({
  id: value.id,
  plain: shortHash(JSON.stringify(value)),
  value,
});
const known = (value: unknown): KnownRecord => ({
  plain: shortHash(JSON.stringify(value)),
  canon: canonicalHash(value),
});

describe('canonicalJson', () => {
  it('sorts keys at every level and otherwise writes what JSON.stringify writes', () => {
    const value = { b: 1, a: { d: null, c: [2, { z: 1, y: 'x' }] }, u: undefined, f: () => 1 };
    expect(canonicalJson(value)).toBe('{"a":{"c":[2,{"y":"x","z":1}],"d":null},"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
    expect(canonicalJson({ when: new Date(0) })).toBe('{"when":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
    expect(canonicalJson(null)).toBe('null');
  });

  it('does not depend on key order, and tells null, absent, [] and {} apart', () => {
    expect(canonicalHash({ a: 1, b: { c: 2, d: 3 } })).toBe(canonicalHash({ b: { d: 3, c: 2 }, a: 1 }));
    const variants = [{ a: null }, {}, { a: [] }, { a: {} }, { a: 0 }, { a: '' }, { a: [null] }];
    expect(new Set(variants.map(canonicalHash)).size).toBe(variants.length);
    expect(canonicalHash({ a: [1, 2] })).not.toBe(canonicalHash({ a: [2, 1] }));
  });
});

describe('classify', () => {
  const alice = { id: 'e1', name: 'Alice', tags: ['a'], address: { city: 'Paris', zip: null } };
  const bob = { id: 'e2', name: 'Bob', tags: [], address: null };
  const carol = { id: 'e3', name: 'Carol', tags: [], address: null };

  it('finds added, removed and updated ids and leaves unchanged ones out', () => {
    const previous = new Map([
      ['e1', known(alice)],
      ['e2', known(bob)],
    ]);
    const next = [fresh({ ...alice, tags: ['a', 'b'] }), fresh(carol)];
    expect(classify(previous, next)).toEqual({ added: ['e3'], removed: ['e2'], updated: ['e1'] });
    expect(classify(previous, [fresh(alice), fresh(bob)])).toEqual({ added: [], removed: [], updated: [] });
  });

  it('reports nothing when only the key order changed (canonical hash), and hands back canonical hashes', () => {
    const previous = new Map([['e1', known(alice)]]);
    const reordered = { address: { zip: null, city: 'Paris' }, tags: ['a'], name: 'Alice', id: 'e1' };
    const record = fresh(reordered);
    expect(record.plain).not.toBe(previous.get('e1')?.plain);
    expect(classify(previous, [record])).toEqual({ added: [], removed: [], updated: [] });
    expect(record.canon).toBe(previous.get('e1')?.canon);
    // An unchanged plain hash reuses the known canonical hash instead of computing it.
    const same = fresh(alice);
    classify(new Map([['e1', { plain: same.plain, canon: 'kept' }]]), [same]);
    expect(same.canon).toBe('kept');
  });

  it('counts a nested null becoming a value, and a value becoming null, as updates', () => {
    const previous = new Map([
      ['e1', known(alice)],
      ['e2', known(bob)],
    ]);
    const next = [
      fresh({ ...alice, address: { city: 'Paris', zip: '75001' } }),
      fresh({ ...bob, address: { city: 'Lyon', zip: null } }),
    ];
    expect(classify(previous, next).updated).toEqual(['e1', 'e2']);
  });
});

describe('fieldChanges', () => {
  it('reports leaf paths through nested objects with before and after values', () => {
    const before = { id: 'e1', home: { city: 'Paris', geo: { lat: 1, lng: 2 } }, name: 'A' };
    const after = { id: 'e1', home: { city: 'Lyon', geo: { lat: 1, lng: 3 } }, name: 'A' };
    expect(fieldChanges(before, after)).toEqual({
      'home.city': { before: 'Paris', after: 'Lyon' },
      'home.geo.lng': { before: 2, after: 3 },
    });
  });

  it('compares arrays of one length element by element, and reports an array that grew whole', () => {
    const before = {
      groups: [
        { id: 'g1', name: 'Ops' },
        { id: 'g2', name: 'Eng' },
      ],
      kids: ['x'],
    };
    const after = {
      groups: [
        { id: 'g1', name: 'Ops' },
        { id: 'g2', name: 'R&D' },
      ],
      kids: ['x', 'y'],
    };
    expect(fieldChanges(before, after)).toEqual({
      'groups[1].name': { before: 'Eng', after: 'R&D' },
      kids: { before: ['x'], after: ['x', 'y'] },
    });
  });

  it('reports null ↔ object and absent keys as whole values (absent reads as null)', () => {
    expect(fieldChanges({ manager: null, a: 1 }, { manager: { id: 'm' }, b: 2 })).toEqual({
      manager: { before: null, after: { id: 'm' } },
      a: { before: 1, after: null },
      b: { before: null, after: 2 },
    });
    expect(fieldChanges({ x: { y: 1 } }, { x: null })).toEqual({ x: { before: { y: 1 }, after: null } });
    expect(fieldChanges({ a: null }, {})).toEqual({});
  });

  it('is independent of key order and quotes keys that are not identifiers', () => {
    expect(fieldChanges({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual({});
    expect(fieldChanges({ custom: { 't-shirt': 'M' } }, { custom: { 't-shirt': 'L' } })).toEqual({
      'custom["t-shirt"]': { before: 'M', after: 'L' },
    });
    expect(fieldChanges(1, 2)).toEqual({ $: { before: 1, after: 2 } });
  });
});
