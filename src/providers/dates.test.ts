/** The shared date readers against what `Date` itself makes of the same values. */
import { describe, expect, it } from 'vitest';
import { calendarDate } from './dates.js';

/** What `calendarDate` did with a Date for every value: the date part when `Date.UTC` gives the same day back. */
function byDate(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  return `${y}-${mo}-${d}`;
}

describe('calendarDate', () => {
  it('accepts exactly the days Date.UTC accepts (leap years, centuries, years 0–99, months and days out of range)', () => {
    const years = [0, 1, 4, 50, 99, 100, 400, 1600, 1899, 1900, 1904, 2000, 2023, 2024, 2100, 2400, 9999];
    let checked = 0;
    for (const y of years) {
      for (let mo = 0; mo <= 13; mo++) {
        for (let d = 0; d <= 32; d++) {
          const value = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(calendarDate(value), value).toBe(byDate(value));
          checked++;
        }
      }
    }
    expect(checked).toBe(years.length * 14 * 33);
  });

  it('keeps the date part of a local midnight with an offset; null for non-strings and non-dates', () => {
    expect(calendarDate('2014-11-09T00:00:00+01:00')).toBe('2014-11-09');
    expect(calendarDate(' 2021-01-01 ')).toBe('2021-01-01');
    expect(calendarDate('2017-12-79')).toBeNull();
    expect(calendarDate('09.11.2014')).toBeNull();
    expect(calendarDate(20141109)).toBeNull();
    expect(calendarDate(undefined)).toBeNull();
  });
});
