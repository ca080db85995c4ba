/** BambooHR timesheet entries (GET /api/v1/time_tracking/timesheet_entries) → unified Timesheet. */
import { contractHoursWorked } from '../../numbers.js';
import type { Timesheet } from '../../../model/index.js';
import type { BhTimesheetEntry } from '../raw.js';
import { toDate, toNumber, toTimestamp } from './values.js';

/**
 * Clock entries carry start/end (and usually hours); hour entries carry only hours. When hours are missing we derive
 * them from start/end; the contract wants a number, so an entry with neither counts 0.
 */
export function toTimesheet(raw: BhTimesheetEntry): Timesheet {
  const id = String(raw.id);
  const employeeId = String(raw.employeeId);
  const start = toTimestamp(raw.start);
  const end = toTimestamp(raw.end);
  let hours = toNumber(raw.hours);
  if (hours === null && start && end) hours = (Date.parse(end) - Date.parse(start)) / 3_600_000;
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_time: start,
    end_time: end,
    hours_worked: contractHoursWorked(hours ?? 0),
    remote_created_at: toDate(raw.createdAt),
    remote_modified_at: toDate(raw.updatedAt),
  };
}
