/**
 * String formats for TypeBox's own checker (Value.Check), which knows none by default. Fastify validates with Ajv
 * and ajv-formats; these keep the two in agreement for `date` and `date-time`.
 */
import { FormatRegistry } from '@sinclair/typebox';

/** The value of the ASCII digits of `value` from `start` to `end`, or -1 if any is not a digit. */
function digits(value: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * `YYYY-MM-DD` naming a day of the proleptic Gregorian calendar. Years 0000–0099 are refused, as the `Date.UTC`
 * check this replaced refused them (it reads them as 1900–1999). Read digit by digit: mappers call it for every
 * date of every record.
 */
export function isDate(value: string): boolean {
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const y = digits(value, 0, 4);
  const m = digits(value, 5, 7);
  const d = digits(value, 8, 10);
  if (y < 100 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && isDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

if (!FormatRegistry.Has('date')) FormatRegistry.Set('date', isDate);
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime);
