/**
 * The sandbox's Faker: English (`en` over `base`, as `new Faker({ locale: [en, base] })`) drawing from our PRNG.
 * Built from faker's single-locale entry (`@faker-js/faker/locale/en`), not its main one: importing anything from
 * `@faker-js/faker` evaluates all of its ~70 locales, 16.4 MB of heap and 37 MB of RSS that a node then keeps,
 * against 2.8 MB and 8.4 MB for English alone (docs/operations.md "Per-node caches", measured with
 * `node --expose-gc`, heap after GC around the import).
 */
import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';
import { sfc32Randomizer } from './random.js';

/** A new English Faker on its own `sfc32Randomizer` (same definitions as `[en, base]`, so the same output). */
export function englishFaker(): Faker {
  const FakerClass = english.constructor as typeof Faker;
  return new FakerClass({ locale: english.rawDefinitions, randomizer: sfc32Randomizer() });
}
