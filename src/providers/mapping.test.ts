import { describe, expect, it } from 'vitest';
import { joinPresent } from './mapping.js';

describe('joinPresent', () => {
  it('joins what is present, as [a, b].filter(non-null).join(separator) || null does', () => {
    for (const [a, b] of [
      ['525 20th Street', 'Suite 400'],
      ['525 20th Street', null],
      [null, 'Suite 400'],
      [null, null],
    ] as Array<[string | null, string | null]>) {
      const viaArrays = [a, b].filter((s): s is string => s !== null).join(', ');
      expect(joinPresent(a, b, ', ')).toBe(viaArrays.length > 0 ? viaArrays : null);
    }
  });
});
