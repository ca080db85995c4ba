/**
 * Value conversions the Xero Payroll UK mappers share: pounds → pence without binary floating-point error, decimals
 * rounded on their decimal digits, Xero's date forms → `YYYY-MM-DD`, and its country names.
 */
import type { Country } from '../../../model/index.js';

type Maybe<T> = T | null | undefined;

/**
 * The decimal digits of a finite number as Xero wrote it: a JSON number such as `480.77` parses to the nearest double,
 * whose shortest round-trip form (`String(n)`) is `"480.77"` again, so reading the digits from that string recovers the
 * decimal exactly where `n * 100` would give 48076.99999999999.
 */
function decimalParts(n: number): { negative: boolean; digits: string; exponent: number } {
  const text = String(Math.abs(n));
  const [mantissa = '0', exp = '0'] = text.toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  // value = digits × 10^exponent
  return { negative: n < 0, digits: `${whole}${fraction}`, exponent: Number(exp) - fraction.length };
}

/**
 * `n` scaled by 10^places and rounded half away from zero on its decimal digits, as an integer: `scaled(480.77, 2)` is
 * 48077, `scaled(1.005, 2)` is 101 (not the 100 that `Math.round(1.005 * 100)` gives).
 */
export function scaled(n: number, places: number): number {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const { negative, digits, exponent } = decimalParts(n);
  const shift = exponent + places;
  let result: bigint;
  if (shift >= 0) {
    result = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const cut = -shift;
    const padded = digits.padStart(cut + 1, '0');
    const kept = BigInt(padded.slice(0, padded.length - cut));
    const firstDropped = Number(padded[padded.length - cut]);
    result = firstDropped >= 5 ? kept + 1n : kept;
  }
  const value = Number(result);
  return negative && value !== 0 ? -value : value;
}

/** Pounds (a Xero money number) → integer pence; null when absent. */
export function toPence(pounds: Maybe<number>): number | null {
  if (typeof pounds !== 'number' || !Number.isFinite(pounds)) return null;
  return scaled(pounds, 2);
}

export { contractTenths as oneDecimal } from '../../numbers.js';

/** The exact decimal sum of some numbers (leave periods' units), before any rounding. */
export function decimalSum(values: readonly number[]): number {
  // Six places cover every unit count Xero sends (hours to the minute are at most 4 places) and stay far below 2^53.
  return values.reduce((sum, v) => sum + scaled(v, 6), 0) / 1e6;
}

/**
 * `YYYY-MM-DD` from a Xero date: the spec's `2020-02-03`, or the midnight timestamp its examples and the live API send
 * (`2020-02-03T00:00:00`, `1987-12-23T00:00:00Z`). The calendar day is taken as written: Xero dates are UK calendar
 * days, not instants. Null when absent or not a date.
 */
export function toDate(value: Maybe<string>): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value);
  if (!m) return null;
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === day ? day : null;
}

/** Today's calendar day in the UK, where Xero Payroll UK's dates are. */
export function ukToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Xero's free-text `countryName` (upper case in the examples) → the contract's ISO codes, where it has one. */
const COUNTRY_NAMES: Record<string, Country> = {
  'UNITED KINGDOM': 'GB',
  'GREAT BRITAIN': 'GB',
  UK: 'GB',
  ENGLAND: 'GB',
  SCOTLAND: 'GB',
  WALES: 'GB',
  'NORTHERN IRELAND': 'GB',
  'ISLE OF MAN': 'IM',
  IRELAND: 'IE',
  'REPUBLIC OF IRELAND': 'IE',
  FRANCE: 'FR',
  GERMANY: 'DE',
  SPAIN: 'ES',
  PORTUGAL: 'PT',
  ITALY: 'IT',
  NETHERLANDS: 'NL',
  BELGIUM: 'BE',
  POLAND: 'PL',
  'UNITED STATES': 'US',
  'UNITED STATES OF AMERICA': 'US',
  CANADA: 'CA',
  AUSTRALIA: 'AU',
  'NEW ZEALAND': 'NZ',
  INDIA: 'IN',
};

export function toCountry(name: Maybe<string>): Country | null {
  if (typeof name !== 'string') return null;
  return COUNTRY_NAMES[name.trim().toUpperCase()] ?? null;
}

/** A non-empty string, else null. */
export function str(value: Maybe<string>): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
