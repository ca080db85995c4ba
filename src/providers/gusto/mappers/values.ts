/**
 * Gusto's scalar conventions → the contract's. Money: Gusto sends dollars as decimal strings "to the cent" (and, in
 * a few schemas and examples, as JSON numbers); payslips want integer cents, so amounts are read digit by digit and
 * never pass through a float sum. Hours: decimal strings "to the thousands place". Dates: `YYYY-MM-DD`.
 */
import { COUNTRIES, type Country } from '../../../model/index.js';
import { isDate } from '../../../model/formats.js';

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/** The plain decimal text of a JSON number (`646.69` → "646.69"; 1e-7 → "0.0000001"). */
function numberText(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(12) : text;
}

/** Sign, whole part and fraction digits of a decimal string or number; null when it is not one. */
function decimalParts(value: unknown): { negative: boolean; whole: string; fraction: string } | null {
  const text =
    typeof value === 'number' ? numberText(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null) return null;
  const m = DECIMAL.exec(text.replaceAll(',', ''));
  if (!m) return null;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return null;
  return { negative: m[1] === '-', whole: whole === '' ? '0' : whole, fraction };
}

/**
 * Integer units of 10^-`digits` from a decimal, rounding half away from zero at the first digit beyond; null when
 * absent or not a decimal. Exact for any amount below 2^53 units: no float arithmetic touches the digits.
 */
function scaled(value: unknown, digits: number): number | null {
  const parts = decimalParts(value);
  if (!parts) return null;
  const frac = parts.fraction.padEnd(digits + 1, '0');
  let units = Number(parts.whole) * 10 ** digits + Number(frac.slice(0, digits) || '0');
  if (Number(frac[digits]) >= 5) units += 1;
  if (!Number.isSafeInteger(units)) return null;
  return units === 0 ? 0 : parts.negative ? -units : units;
}

/** Dollars ("2791.25", "-0.92", 646.69) → integer cents (279125, -92, 64669); null when absent or not a decimal. */
export function toCents(value: unknown): number | null {
  return scaled(value, 2);
}

/** Hours ("40.000", "7.5") → thousandths of an hour, an exact integer to sum; null when absent or not a decimal. */
export function toMilliHours(value: unknown): number | null {
  return scaled(value, 3);
}

/** Hours as a number, to Gusto's own precision (thousandths); null when absent or not a decimal. */
export function toHours(value: unknown): number | null {
  const milli = toMilliHours(value);
  return milli === null ? null : milli / 1000;
}

/** Thousandths of an hour → hours rounded to 0.1, as the contract's `multipleOf: 0.1` amounts want. */
export function milliToTenths(milli: number): number {
  return Math.round(milli / 100) / 10;
}

/** A dollar rate ("80000.00") → a number in major units (`pay_rate`), cent-exact; null when not a decimal. */
export function toMajorUnits(value: unknown): number | null {
  const cents = toCents(value);
  return cents === null ? null : cents / 100;
}

/** `YYYY-MM-DD` from a Gusto date or timestamp (its UTC calendar day); null when absent or not a date. */
export function toDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  if (value.length === 10) return isDate(value) ? value : null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/**
 * Gusto is US payroll: its addresses say "USA" (one of the spec's own examples even says "USA,"). Letters only,
 * then ISO alpha-3 "USA" or an alpha-2 code the contract knows; anything else is null.
 */
export function toCountry(value: unknown): Country | null {
  if (typeof value !== 'string') return null;
  // What Gusto sends nearly always, without the regular expression.
  if (value === 'USA') return 'US';
  const letters = value.replace(/[^a-z]/gi, '').toUpperCase();
  if (letters === 'USA' || letters === 'UNITEDSTATES') return 'US';
  return (COUNTRIES as readonly string[]).includes(letters) ? (letters as Country) : null;
}

/** A non-empty string (numbers as their text: the spec's examples give zips and phones as numbers); else null. */
export function str(value: unknown): string | null {
  if (typeof value === 'string') {
    // A printable ASCII first character is not white space: no trimmed copy to make.
    const first = value.charCodeAt(0);
    if (first > 0x20 && first < 0x7f) return value;
    return value.trim().length > 0 ? value : null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
