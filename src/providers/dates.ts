/**
 * Time values as providers send them, for every provider's mappers and adapters. Personio (where these were first
 * needed) sends three kinds, and each needs different care:
 * - calendar dates written as local midnight with an offset (`hire_date: 2014-11-09T00:00:00+01:00`): the date part
 *   is the intended day; converting to UTC first would move it to the 8th;
 * - instants (`created_at: 2017-01-17T10:32:18+0100`): converted to UTC, the offset may lack its colon;
 * - attendance wall-clock times (`date` + `start_time: '09:00'`) with no zone at all: they are in the company's local
 *   time, so they need the account's IANA time zone to become UTC.
 */

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Whether `y-mo-d` is a real day, as `Date.UTC` reads it (years 0–99 are 1900–1999 there), without making a Date:
 * mappers call this for every date of every record.
 */
export function isRealDay(y: number, mo: number, d: number): boolean {
  const year = y < 100 ? y + 1900 : y;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = mo === 2 && leap ? 29 : MONTH_DAYS[mo - 1];
  return days !== undefined && d >= 1 && d <= days;
}

/** The calendar day of a Personio date value (`2014-11-09T00:00:00+01:00` → `2014-11-09`); null when absent/invalid. */
export function calendarDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = DATE_PREFIX.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  // Rejects impossible days such as the spec example's `2017-12-79`.
  if (!isRealDay(Number(y), Number(mo), Number(d))) return null;
  return `${y}-${mo}-${d}`;
}

/** Milliseconds since epoch of a Personio instant, accepting `+0100` and `+01:00` offsets; null when invalid. */
export function instantMs(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const normalised = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : ms;
}

/** ISO 8601 UTC timestamp of a Personio instant. */
export function instantIso(value: unknown): string | null {
  const ms = instantMs(value);
  return ms === null ? null : new Date(ms).toISOString();
}

/** The UTC calendar day of a Personio instant (for the contract's date-typed `remote_created_at`). */
export function instantDate(value: unknown): string | null {
  const ms = instantMs(value);
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at instant `ms`, in minutes (Europe/Berlin in July → 120). */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  let fmt = offsetFormatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, fmt);
  }
  const name = fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * UTC instant (ms) of a local wall-clock time in `timeZone`. Two passes settle the offset around DST changes; a time
 * inside the spring-forward gap resolves to the offset before the change.
 */
export function localToUtcMs(date: string, time: string, timeZone: string): number | null {
  const d = calendarDate(date);
  const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (!d || !t) return null;
  const [y, mo, day] = d.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, day, Number(t[1]), Number(t[2]), Number(t[3] ?? 0));
  let utc = wall - zoneOffsetMinutes(timeZone, wall) * 60_000;
  utc = wall - zoneOffsetMinutes(timeZone, utc) * 60_000;
  return utc;
}

/** `YYYY-MM-DD` of a Date (or epoch ms) in UTC. */
export function isoDay(d: Date | number): string {
  return new Date(d).toISOString().slice(0, 10);
}

/** Timesheets need a period; without one from the caller, adapters take the last year and the coming month. */
export const DEFAULT_TIMESHEET_WINDOW = { pastDays: 365, futureDays: 31 } as const;

/** The caller's period, each missing end from `DEFAULT_TIMESHEET_WINDOW` around `now` (epoch ms). */
export function timesheetPeriod(
  range: { start_date: string; end_date: string } | null,
  now: number,
): { start: string; end: string } {
  return {
    start: range?.start_date ?? isoDay(now - DEFAULT_TIMESHEET_WINDOW.pastDays * 86_400_000),
    end: range?.end_date ?? isoDay(now + DEFAULT_TIMESHEET_WINDOW.futureDays * 86_400_000),
  };
}
