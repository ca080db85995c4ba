import { describe, expect, it } from 'vitest';
import { isDate, isDateTime } from './formats.js';

describe('isDate', () => {
  it('takes the days of the Gregorian calendar and nothing else', () => {
    for (const day of ['2024-02-29', '2000-02-29', '2023-12-31', '1900-02-28', '9999-12-31', '0100-01-01']) {
      expect(isDate(day), day).toBe(true);
    }
    for (const day of [
      '2023-02-29',
      '1900-02-29',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
      '2023-01-32',
      '2023-1-01',
      '2023/01/01',
      ' 2023-01-01',
      '2023-01-01T00:00:00Z',
      '２０２３-01-01',
      '',
    ]) {
      expect(isDate(day), day).toBe(false);
    }
  });

  it('refuses years 0000–0099, as the Date.UTC check it replaced did (reading them as 1900–1999)', () => {
    expect(isDate('0000-01-01')).toBe(false);
    expect(isDate('0099-12-31')).toBe(false);
  });

  it('agrees with a Date.UTC round trip on every day of 1890–2110 and of every 37th year', () => {
    const viaDate = (y: number, m: number, d: number) => {
      const t = new Date(Date.UTC(y, m - 1, d));
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    for (let y = 100; y <= 9999; y += y >= 1890 && y < 2110 ? 1 : 37) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          expect(isDate(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)).toBe(viaDate(y, m, d));
        }
      }
    }
  });

  it('isDateTime checks the day of a timestamp', () => {
    expect(isDateTime('2024-02-29T12:00:00Z')).toBe(true);
    expect(isDateTime('2023-02-29T12:00:00Z')).toBe(false);
  });
});
