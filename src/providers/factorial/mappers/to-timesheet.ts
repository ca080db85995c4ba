/**
 * `attendance_shift` → unified Timesheet. Shifts carry wall-clock times (`clock_in: '08:30'`) on a `date` and no
 * zone: they are in the time zone of the employee's workplace (`locations_location.timezone`), so they need it to
 * become UTC. A `clock_out` earlier than `clock_in` ends on the next day. `minutes` is Factorial's own count of the
 * shift's worked minutes; `hours_worked` is that in hours, rounded to 0.1 as the contract's `multipleOf`.
 */
import { contractHoursWorked } from '../../numbers.js';
import type { Timesheet } from '../../../model/index.js';
import { localToUtcMs } from '../../dates.js';
import type { FactorialShift } from '../raw.js';
import { opaqueId, text, toDate } from './values.js';

const DAY_MS = 86_400_000;

function clock(value: unknown): string | null {
  const t = text(value);
  return t !== null && /^\d{1,2}:\d{2}(:\d{2})?$/.test(t.trim()) ? t.trim() : null;
}

export function toTimesheet(shift: FactorialShift, timeZone: string): Timesheet {
  const id = text(shift.id) ?? '';
  const employeeId = text(shift.employee_id) ?? '';
  const date = toDate(shift.date);
  const inTime = clock(shift.clock_in_with_seconds) ?? clock(shift.clock_in);
  const outTime = clock(shift.clock_out);
  const start = date && inTime ? localToUtcMs(date, inTime, timeZone) : null;
  let end = date && outTime ? localToUtcMs(date, outTime, timeZone) : null;
  if (start !== null && end !== null && end < start) {
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    end = localToUtcMs(next, outTime ?? '', timeZone);
  }
  let minutes = typeof shift.minutes === 'number' && Number.isFinite(shift.minutes) ? shift.minutes : null;
  if (minutes === null && start !== null && end !== null) minutes = (end - start) / 60_000;
  return {
    id: opaqueId('shift', id),
    remote_id: id,
    employee_id: opaqueId('employee', employeeId),
    employee_remote_id: employeeId,
    start_time: start === null ? null : new Date(start).toISOString(),
    end_time: end === null ? null : new Date(end).toISOString(),
    hours_worked: contractHoursWorked((minutes ?? 0) / 60),
    remote_created_at: toDate(shift.created_at),
    remote_modified_at: toDate(shift.updated_at),
  };
}
