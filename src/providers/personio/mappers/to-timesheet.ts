/** Personio attendance periods → unified Timesheet. */
import { contractHoursWorked } from '../../numbers.js';
import type { Timesheet } from '../../../model/index.js';
import type { PersonioAttendance } from '../raw.js';
import { asNumber } from './attributes.js';
import { instantDate, localToUtcMs } from '../../dates.js';
import { opaqueId, remoteId } from './ids.js';

/**
 * Attendance times are wall-clock times in the company's zone (`timeZone`, an IANA name). An end before the start
 * is a shift past midnight. `hours_worked` is the span minus the break, in tenths of an hour as the contract wants;
 * a period still open (pending, no end) has worked 0 hours so far.
 */
export function toTimesheet(raw: PersonioAttendance, timeZone: string): Timesheet {
  const a = raw.attributes;
  const start = localToUtcMs(a.date, a.start_time, timeZone);
  let end = a.end_time ? localToUtcMs(a.date, a.end_time, timeZone) : null;
  if (start !== null && end !== null && end < start) end += 24 * 3_600_000;
  const breakMinutes = asNumber(a.break) ?? 0;
  const hours =
    start !== null && end !== null ? Math.max(0, (end - start) / 3_600_000 - breakMinutes / 60) : 0;
  return {
    id: opaqueId('attendance', raw.id),
    remote_id: remoteId(raw.id),
    employee_id: opaqueId('employee', a.employee),
    employee_remote_id: remoteId(a.employee),
    start_time: start === null ? null : new Date(start).toISOString(),
    end_time: end === null ? null : new Date(end).toISOString(),
    hours_worked: contractHoursWorked(hours),
    // Personio reports when a period was last updated, not when it was created.
    remote_created_at: null,
    remote_modified_at: instantDate(a.updated_at),
  };
}
