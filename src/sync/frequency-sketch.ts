/**
 * How often each key was asked for lately, approximately, in fixed memory: a count-min sketch (TinyLFU's, Einziger
 * et al. 2017) of 4 rows of 8-bit counters; a key's estimate is the least of its 4 counters (never below its true
 * count since the last halving, above it only through collisions). Every `sampleSize` increments all counters are
 * halved, so the counts follow what is asked for now, not what was asked for an hour ago.
 *
 * The response cache uses it to decide whether a row read from the store should push an entry out of memory
 * (src/sync/response-cache.ts): under a cyclic pattern larger than the cap, least-recently-used alone evicts every
 * entry before it is read again, so every read replaces one entry and nothing is ever hit.
 */
const ROWS = 4;

export class FrequencySketch {
  private readonly counters: Uint8Array;
  private readonly mask: number;
  private readonly sampleSize: number;
  private additions = 0;
  /** The last key's hashes: a warm client mostly asks for one key again and again. */
  private lastKey: string | undefined;
  private lastHashes: [number, number] = [0, 0];

  /** `width` counters per row (rounded up to a power of two, at least 1,024); 4 × width bytes in all. */
  constructor(width = 65_536) {
    let w = 1_024;
    while (w < width) w *= 2;
    this.mask = w - 1;
    this.counters = new Uint8Array(ROWS * w);
    this.sampleSize = 10 * w;
  }

  /** Counts one request for `key`. */
  increment(key: string): void {
    const [h1, h2] = this.hashesOf(key);
    let added = false;
    for (let row = 0; row < ROWS; row++) {
      const i = this.index(row, h1, h2);
      const c = this.counters[i] as number;
      if (c < 255) {
        this.counters[i] = c + 1;
        added = true;
      }
    }
    if (added && ++this.additions >= this.sampleSize) this.halve();
  }

  /** Requests for `key` since about the last halving (an upper bound). */
  estimate(key: string): number {
    const [h1, h2] = this.hashesOf(key);
    let least = 255;
    for (let row = 0; row < ROWS; row++)
      least = Math.min(least, this.counters[this.index(row, h1, h2)] as number);
    return least;
  }

  private hashesOf(key: string): [number, number] {
    if (key !== this.lastKey) {
      this.lastHashes = hashes(key);
      this.lastKey = key;
    }
    return this.lastHashes;
  }

  private index(row: number, h1: number, h2: number): number {
    return row * (this.mask + 1) + ((h1 + Math.imul(row + 1, h2)) & this.mask);
  }

  private halve(): void {
    for (let i = 0; i < this.counters.length; i++) this.counters[i] = (this.counters[i] as number) >>> 1;
    this.additions = 0;
  }
}

/** Two independent 32-bit hashes of `key` (FNV-1a and a multiplicative mix), for double hashing. */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b);
    b ^= b >>> 13;
  }
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35) | 1; // odd: every row lands elsewhere
  return [a >>> 0, b >>> 0];
}
