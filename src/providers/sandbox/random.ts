/**
 * Seeded randomness for the sandbox. Faker gives us names and streets; everything numeric (amounts, dates, picks)
 * comes from this small PRNG, so payslips and time-off can derive one stream per (payrun, employee) and still stay
 * fast at 10,000 employees. Faker itself draws from the same PRNG (`sfc32Randomizer`): its default Mersenne Twister
 * costs ~20 µs per re-seed, and the generator re-seeds once per employee.
 */
import type { Randomizer } from '@faker-js/faker';

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain, bryc). Same input ⇒ same number, any process. */
export function hash53(input: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The numeric seed faker wants for a textual seed plus a path such as `['employee', 42]`. */
export function seedOf(seed: string, ...path: (string | number)[]): number {
  return hash53(path.length === 0 ? seed : `${seed}\u0000${path.join('\u0000')}`);
}

/**
 * An opaque, stable id: prefix + 16 base-36 characters from two independent hashes (≈ 80 bits, so collisions are
 * out of reach even for the 100k+ timesheet rows of a 10,000-employee company).
 */
export function opaqueId(prefix: string, seed: string, ...path: (string | number)[]): string {
  // The prefix is part of the key so `emp_…` and `loc_…` of the same index do not share a suffix.
  const key = `${prefix}\u0000${seed}\u0000${path.join('\u0000')}`;
  const a = hash53(key, 1).toString(36).padStart(11, '0').slice(-8);
  const b = hash53(key, 2).toString(36).padStart(11, '0').slice(-8);
  return `${prefix}_${a}${b}`;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded from a 53-bit number. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number) {
    this.a = seed >>> 0;
    this.b = Math.floor(seed / 4294967296) >>> 0;
    this.c = (seed ^ 0x9e3779b9) >>> 0;
    // Warm up so that close seeds do not give close first outputs.
    for (let i = 0; i < 12; i++) this.next();
  }

  static of(seed: string, ...path: (string | number)[]): Rng {
    return new Rng(seedOf(seed, ...path));
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('Rng.pick on an empty list');
    return item;
  }

  /** Picks by weight; `table` is `[value, weight][]`. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    const last = table[table.length - 1];
    if (last === undefined) throw new Error('Rng.weighted on an empty table');
    return last[0];
  }
}

/** A faker `Randomizer` on sfc32: seeding is a few operations instead of a Mersenne Twister's 624-word init. */
export function sfc32Randomizer(): Randomizer {
  let rng = new Rng(0);
  return {
    next: () => rng.next(),
    seed(seed: number | number[]) {
      rng = new Rng(Array.isArray(seed) ? hash53(seed.join(',')) : seed);
    },
  };
}
