/**
 * Whatever way a list arrives (whole, or in parts of any size, with or without its length told first), the encoder
 * gives exactly the bytes, ETag and brotli form of `JSON.stringify` of the whole.
 */
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { type EncodedJson, JsonListEncoder, encodeJson, etagOf } from './json-list-encoder.js';

describe('encodeJson', () => {
  const lists: unknown[][] = [
    // Slices of several sizes, multi-byte and astral characters, a lone surrogate, and what JSON drops or nulls.
    Array.from({ length: 1000 }, (_, i) => ({
      i,
      name: i % 7 ? 'Jürgen 😀' : '\ud800x',
      gone: undefined,
      at: new Date(0),
    })),
    Array.from({ length: 33 }, (_, i) => (i % 3 ? undefined : i)),
    // A first slice far smaller than the rest: the buffer reserved from it must grow.
    Array.from({ length: 5000 }, (_, i) => (i < 40 ? 'x' : 'ü'.repeat(500))),
  ];

  it.each(lists.map((list, i) => [i, list]))(
    'list %i: the bytes, ETag and brotli of JSON.stringify',
    async (_, list) => {
      const want = Buffer.from(JSON.stringify(list));
      const etag = etagOf(createHash('sha256').update(want));
      for (const keep of [Number.POSITIVE_INFINITY, 0]) {
        const out = await encodeJson(list, keep);
        expect(keep === 0 ? out.body : out.body?.equals(want)).toBe(keep === 0 ? undefined : true);
        expect(out.etag).toBe(etag);
        expect(zlib.brotliDecompressSync(out.br).equals(want)).toBe(true);
      }
    },
  );

  it('fails (and caches nothing) on a value JSON cannot hold', async () => {
    const list = Array.from({ length: 600 }, (_, i) => (i === 500 ? 1n : i));
    await expect(encodeJson(list)).rejects.toThrow(/BigInt/);
  });
});

describe('JsonListEncoder (a list added in parts)', () => {
  const list = Array.from({ length: 3000 }, (_, i) => ({ i, name: i % 5 ? 'Zoë 😀' : 'x'.repeat(i % 300) }));
  const want = Buffer.from(JSON.stringify(list));
  const etag = etagOf(createHash('sha256').update(want));
  /** Cuts a list at the given points, keeping empty parts. */
  const cut = (at: number[]) =>
    [0, ...at].map((start, k) => list.slice(start, [...at, list.length][k] ?? list.length));
  /** The whole list's bytes (kept only while they fit in `keep`), ETag and brotli. */
  const expectWhole = (out: EncodedJson, keep: number) => {
    if (keep === Number.POSITIVE_INFINITY) expect(out.body?.equals(want)).toBe(true);
    else expect(out.body).toBeUndefined();
    expect(out.etag).toBe(etag);
    expect(zlib.brotliDecompressSync(out.br).equals(want)).toBe(true);
  };

  it.each([
    ['pages of 100, total told first', Array.from({ length: 29 }, (_, k) => (k + 1) * 100), 3000],
    ['uneven parts and empty ones, no total', [0, 1, 1, 40, 41, 2999], undefined],
    ['one element, then the rest', [1], undefined],
  ])('%s: the bytes, ETag and brotli of the whole', async (_, at, total) => {
    for (const keep of [Number.POSITIVE_INFINITY, 0, 20_000]) {
      const enc = new JsonListEncoder(keep);
      if (total !== undefined) enc.expect(total);
      for (const part of cut(at)) enc.add(part);
      // Kept only while it fits: 20 kB is passed part way through, whatever the first estimate said.
      expectWhole(await enc.end(), keep);
    }
  });

  it('parts added as elements, as JSON texts (addJson) or mixed: the bytes, ETag and brotli of the whole', async () => {
    const parts = cut([0, 1, 40, 1200, 1201, 2500]);
    for (const keep of [Number.POSITIVE_INFINITY, 0, 20_000]) {
      for (const mixed of [false, true]) {
        const enc = new JsonListEncoder(keep, 3);
        parts.forEach((part, k) => {
          if (mixed && k % 2) enc.add(part);
          else enc.addJson(part.map((e) => JSON.stringify(e)));
        });
        expectWhole(await enc.end(), keep);
      }
    }
  });

  it('a quality cap costs bytes, not correctness: a capped list compresses worse than the default', async () => {
    const big = Array.from({ length: 4000 }, (_, i) => ({
      i,
      city: ['Oslo', 'Lima', 'Perth'][i % 3],
      n: i * 7,
    }));
    const sizes = await Promise.all(
      [undefined, 1].map(async (cap) => {
        const enc = new JsonListEncoder(Number.POSITIVE_INFINITY, cap);
        enc.add(big);
        const out = await enc.end();
        expect(zlib.brotliDecompressSync(out.br).equals(Buffer.from(JSON.stringify(big)))).toBe(true);
        return out.br.length;
      }),
    );
    expect(sizes[1]).toBeGreaterThan(sizes[0] as number);
  });

  it('nothing added is the empty list', async () => {
    const out = await new JsonListEncoder().end();
    expect(out.body?.toString()).toBe('[]');
    expect(zlib.brotliDecompressSync(out.br).toString()).toBe('[]');
  });

  it('a part JSON cannot hold throws at once and spoils the list', async () => {
    const enc = new JsonListEncoder();
    enc.add(list.slice(0, 100));
    expect(() => enc.add([{ n: 1n }])).toThrow(/BigInt/);
    expect(() => enc.add(list.slice(100, 200))).toThrow(/failed to encode/);
    await expect(enc.end()).rejects.toThrow(/failed to encode/);
  });
});
