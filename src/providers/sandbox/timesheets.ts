/**
 * Timesheets for the people paid by the hour (hourly part-timers and contractors), one row per day they worked in
 * the 90 days before `asOf`. Bounded on purpose: ~14% of staff × ~50 days, so 10,000 employees give ~70k rows.
 * Days with approved time off are skipped, so the two resources agree.
 */
import type { Timesheet } from '../../model/index.js';
import { fromDay, timestamp } from './dates.js';
import { deepFreeze, type EmployeeFacts, type SandboxDataset, worksOn } from './dataset.js';
import { opaqueId, Rng } from './random.js';
import { timeOffFor } from './time-off.js';

export const TIMESHEET_WINDOW_DAYS = 90;

const cache = new WeakMap<SandboxDataset, Timesheet[]>();

/**
 * The shift someone works on a day, from a per-(employee, day) stream so payslips can add up the same hours as the
 * timesheets without generating them. Starts between 07:00 and 10:00 UTC on a quarter hour; hours in half-hour
 * steps around the person's usual day.
 */
export function shiftOn(
  seed: string,
  f: EmployeeFacts,
  day: number,
): { startMinutes: number; hours: number; rng: Rng } {
  const rng = Rng.of(seed, 'shift', f.index, day);
  const startMinutes = 7 * 60 + rng.int(0, 12) * 15;
  const hours = Math.max(2, f.dailyHours + rng.int(-2, 2) * 0.5);
  return { startMinutes, hours, rng };
}

export function timesheetsFor(data: SandboxDataset): Timesheet[] {
  const hit = cache.get(data);
  if (hit) return hit;
  const { seed } = data.options;
  const { approvedDays } = timeOffFor(data);
  const rows: Timesheet[] = [];
  const from = data.asOfDay - TIMESHEET_WINDOW_DAYS;
  const to = data.asOfDay - 1;
  let remote = 900_000;
  for (let e = 0; e < data.facts.length; e++) {
    const f = data.facts[e];
    const emp = data.employees[e];
    if (!f || !emp || !f.hourly) continue;
    const off = approvedDays.get(f.index);
    for (let day = from; day <= to; day++) {
      if (!worksOn(f, day) || off?.has(day)) continue;
      const { startMinutes, hours, rng } = shiftOn(seed, f, day);
      rows.push({
        id: opaqueId('ts', seed, f.index, day),
        remote_id: String(++remote),
        employee_id: emp.id,
        employee_remote_id: emp.remote_id,
        start_time: timestamp(day, startMinutes),
        end_time: timestamp(day, startMinutes + hours * 60),
        hours_worked: hours,
        remote_created_at: fromDay(day),
        remote_modified_at: fromDay(Math.min(day + rng.int(0, 2), data.asOfDay)),
      });
    }
  }
  rows.sort((a, b) => (a.start_time ?? '').localeCompare(b.start_time ?? '') || a.id.localeCompare(b.id));
  deepFreeze(rows);
  cache.set(data, rows);
  return rows;
}

/** Rows whose start_time falls on a date in the inclusive range; all rows when `range` is null. */
export function filterTimesheets(
  rows: readonly Timesheet[],
  range: { start_date: string; end_date: string } | null,
): Timesheet[] {
  if (!range) return [...rows];
  return rows.filter((r) => {
    const date = (r.start_time ?? '').slice(0, 10);
    return date >= range.start_date && date <= range.end_date;
  });
}
