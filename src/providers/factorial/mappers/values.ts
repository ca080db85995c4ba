/** Small conversions shared by the Factorial mappers. */
import { calendarDate, instantMs } from '../../dates.js';

export type FactorialIdKind =
  | 'employee'
  | 'team'
  | 'location'
  | 'legal_entity'
  | 'leave'
  | 'leave_type'
  | 'allowance'
  | 'shift';

/**
 * Unified ids are opaque and stable: base64url of `factorialhr:<kind>:<id>`, so a team `3` and a location `3` stay
 * apart. `remote_id` carries Factorial's own id.
 */
export function opaqueId(kind: FactorialIdKind, id: string): string {
  return Buffer.from(`factorialhr:${kind}:${id}`).toString('base64url');
}

/** A non-empty string, or null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim().length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A UTC timestamp as Factorial writes them (`2018-03-31T09:00:00.000Z`): its UTC day is its date part. */
const UTC_STAMP = /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?Z$/;

/** `YYYY-MM-DD` of a Factorial date or timestamp (its UTC day); null when absent or invalid. */
export function toDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (DAY.test(value)) return calendarDate(value);
  // Most timestamps are UTC already: no Date needed for those (mappers read one per record).
  const utc = UTC_STAMP.exec(value);
  if (utc) return calendarDate(utc[1]);
  const ms = instantMs(value);
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

/** Allowance stats are decimal strings (`'-1.5'`); null when absent or not a number. */
export function decimal(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
}

export { contractTenths as tenths } from '../../numbers.js';

/** Street lines joined the way an address label prints them. */
export function street(line1: unknown, line2: unknown): string | null {
  const parts = [text(line1), text(line2)].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

export { toCountryCode as toCountry, toCurrencyCode as toCurrency } from '../../mapping.js';
