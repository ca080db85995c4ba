/** Small conversions the HiBob mappers share: HiBob sends dates, timestamps without zone, list ids and names. */
import { COUNTRIES, type Country } from '../../../model/index.js';
import { isRealDay } from '../../dates.js';

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value.trim().length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Whether char code `c` is an ASCII digit (what `\d` matches without the `u` flag). */
const digit = (c: number) => c >= 48 && c <= 57;
/** Where the digits of `YYYY-MM-DD` are. */
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9] as const;
const at = (t: string, i: number) => t.charCodeAt(i) - 48;

/**
 * `YYYY-MM-DD` from a HiBob date or timestamp. HiBob's timestamps carry no zone (`2024-03-27T09:12:21.680867`) and
 * its dates are calendar days, so the day is read off the text, never shifted through a time zone. The text is read
 * by character (what `/^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/` would match), as every employee has several dates.
 */
export function toDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (t.length < 10 || (t.length > 10 && t[10] !== 'T' && t[10] !== ' ')) return null;
  for (const i of DATE_DIGITS) if (!digit(t.charCodeAt(i))) return null;
  if (t[4] !== '-' || t[7] !== '-') return null;
  const y = at(t, 0) * 1000 + at(t, 1) * 100 + at(t, 2) * 10 + at(t, 3);
  const mo = at(t, 5) * 10 + at(t, 6);
  const d = at(t, 8) * 10 + at(t, 9);
  // Years before 100 are refused, as `Date.UTC` would read them as 1900–1999.
  return y >= 100 && isRealDay(y, mo, d) ? t.slice(0, 10) : null;
}

/** Calendar days from `start` to `end`, both included; null unless both are dates and in order. */
export function daysBetween(start: string | null, end: string | null): number | null {
  if (!start || !end) return null;
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
  return Number.isFinite(days) && days >= 1 ? Math.round(days) : null;
}

export { contractTenths as oneDecimal } from '../../numbers.js';

/** Money in major units, without binary float noise beyond the cent. */
export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}

export { toCurrencyCode as toCurrency } from '../../mapping.js';

/** English country names (as HiBob's lists show them) → the contract's ISO codes, built once from ICU. */
const COUNTRY_BY_NAME: ReadonlyMap<string, Country> = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region' });
  const map = new Map<string, Country>();
  for (const code of COUNTRIES) {
    map.set(code.toLowerCase(), code);
    const name = names.of(code);
    if (name) map.set(name.toLowerCase(), code);
  }
  // Names HiBob's country list uses that ICU spells differently.
  const aliases: Array<[string, Country]> = [
    ['usa', 'US'],
    ['united states of america', 'US'],
    ['uk', 'GB'],
    ['great britain', 'GB'],
    ['england', 'GB'],
    ['scotland', 'GB'],
    ['wales', 'GB'],
    ['northern ireland', 'GB'],
    ['czech republic', 'CZ'],
    ['south korea', 'KR'],
    ['korea, republic of', 'KR'],
    ['russian federation', 'RU'],
    ['hong kong', 'HK'],
    ['macau', 'MO'],
    ['palestine', 'PS'],
    ['turkiye', 'TR'],
    ['türkiye', 'TR'],
  ];
  for (const [name, code] of aliases) map.set(name, code);
  return map;
})();

/** A country name or ISO code → the contract's code; null when the contract does not list it. */
export function toCountry(value: unknown): Country | null {
  if (typeof value !== 'string') return null;
  return COUNTRY_BY_NAME.get(value.trim().toLowerCase()) ?? null;
}

/** A value that may be an array (multi-list fields) → its first string. */
export function first(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = str(item);
      if (s) return s;
    }
    return null;
  }
  return str(value);
}

/** `squash` results by input: HiBob's list names and enums are few, and every employee carries several. */
const squashed = new Map<string, string>();
/** Distinct inputs kept; past it the memo starts again, so free text cannot grow it without bound. */
const SQUASH_MEMO = 1024;

/** Lower-case, without spaces, hyphens and underscores: `Full-Time`, `full time`, `FULL_TIME` → `fulltime`. */
export function squash(value: string): string {
  let out = squashed.get(value);
  if (out === undefined) {
    out = value.toLowerCase().replace(/[\s_-]+/g, '');
    if (squashed.size >= SQUASH_MEMO) squashed.clear();
    squashed.set(value, out);
  }
  return out;
}
