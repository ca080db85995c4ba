/** Value normalisers shared by the BambooHR mappers. */
import { COUNTRIES, type Country } from '../../../model/index.js';

/**
 * `YYYY-MM-DD` from a BambooHR date or timestamp. BambooHR writes unset dates as `0000-00-00`; those, and anything
 * that is not a real calendar date, become null rather than an invalid date.
 */
export function toDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const back = new Date(t);
  if (Number(y) < 1 || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) return null;
  if (value.trim().length > 10) {
    // A timestamp: take its UTC calendar day, so offsets like +09:00 do not shift the date by accident.
    const ts = toTimestamp(value);
    return ts ? ts.slice(0, 10) : `${y}-${mo}-${d}`;
  }
  return `${y}-${mo}-${d}`;
}

/** ISO 8601 UTC (`…Z`) from a timestamp with any offset; null when unparseable. */
export function toTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export { contractTenths as round1 } from '../../numbers.js';

/** A finite number from a number or decimal string (`"24.50"`); null otherwise. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

const countrySet = new Set<string>(COUNTRIES);
export function toCountry(value: unknown): Country | null {
  const s = str(value)?.toUpperCase();
  if (!s) return null;
  if (s === 'USA' || s === 'UNITED STATES') return 'US';
  return countrySet.has(s) ? (s as Country) : null;
}
