/**
 * What emulators' seeded data share: a small fast generator for values computed per record, where reseeding faker
 * for each would be slow. Test tooling only: never imported by production code.
 */

/** mulberry32: the same sequence of numbers in [0, 1) for the same 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
