/** Small conversions shared by the Remote mappers. */
import { calendarDate, instantMs } from '../../dates.js';

export type RemoteIdKind =
  | 'employment'
  | 'company'
  | 'department'
  | 'timeoff'
  | 'timeoff_type'
  | 'entitlement';

/** Unified ids are opaque and stable: base64url of `remote.com:<kind>:<id>`; `remote_id` carries Remote's id. */
export function opaqueId(kind: RemoteIdKind, id: string): string {
  return Buffer.from(`remote.com:${kind}:${id}`).toString('base64url');
}

/** A non-empty string (numbers as their text: the spec's examples give phone numbers as numbers), else null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim().length > 0 ? value.trim() : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** `YYYY-MM-DD` of a Remote date or timestamp (`2021-10-29 12:39:13` included); null when absent or invalid. */
export function toDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return calendarDate(v);
  const ms = instantMs(v.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T'));
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

/** A finite number (or a numeric string), else null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/** Rounded to 0.1 and free of float noise, as the contract's `multipleOf: 0.1` numbers must be. */
export function tenths(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Street lines joined the way an address label prints them. */
export function street(line1: unknown, line2: unknown): string | null {
  const parts = [text(line1), text(line2)].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

export { toCountryCode as toCountry, toCurrencyCode as toCurrency } from '../../mapping.js';
