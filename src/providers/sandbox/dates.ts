/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC). Integers compare and add cheaply, never meet a
 * time zone, and turn into `YYYY-MM-DD` only at the edge.
 */

const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → day number; throws on anything that is not a real calendar date. */
export function toDay(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/** True when `date` is a real `YYYY-MM-DD` date. */
export function isDate(date: unknown): date is string {
  if (typeof date !== 'string') return false;
  try {
    toDay(date);
    return true;
  } catch {
    return false;
  }
}

/** Formatted days, memoised: generation formats the same few thousand days over and over. */
const DAY_STRINGS = new Map<number, string>();

export function fromDay(day: number): string {
  let s = DAY_STRINGS.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    if (DAY_STRINGS.size < 200_000) DAY_STRINGS.set(day, s);
  }
  return s;
}

/** ISO 8601 UTC timestamp at `minutes` past midnight of `day`, second precision (`2024-05-02T08:30:00Z`). */
export function timestamp(day: number, minutes: number): string {
  return `${new Date(day * MS_PER_DAY + minutes * 60_000).toISOString().slice(0, 19)}Z`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Day number of the first day of the month `offset` months after the month containing `day`. */
export function monthStart(day: number, offset = 0): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1) / MS_PER_DAY);
}

/** Day number of the last day of the month containing `day`. */
export function monthEnd(day: number): number {
  return monthStart(day, 1) - 1;
}

export function yearStart(year: number): number {
  return Math.round(Date.UTC(year, 0, 1) / MS_PER_DAY);
}

/** Working days (Mon–Fri) in [from, to], both inclusive. */
export function workingDaysBetween(from: number, to: number): number {
  let n = 0;
  for (let d = from; d <= to; d++) if (!isWeekend(d)) n++;
  return n;
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: number): number {
  let d = day;
  while (isWeekend(d)) d++;
  return d;
}

/** The last working day on or before `day`. */
export function previousWorkingDay(day: number): number {
  let d = day;
  while (isWeekend(d)) d--;
  return d;
}

/** The first day of the current UTC month: the default `asOf`, so data stays stable within a month. */
export function currentMonthStart(now: Date = new Date()): string {
  return fromDay(monthStart(Math.floor(now.getTime() / MS_PER_DAY)));
}
