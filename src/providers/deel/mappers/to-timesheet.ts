/** Deel `GET /timesheets` item → unified Timesheet. */
import { contractHoursWorked } from '../../numbers.js';
import type { Timesheet } from '../../../model/index.js';
import type { DeelTimesheet } from '../raw.js';
import { str, toDate, toTimestamp } from './values.js';

/** Hours in a worksheet; Deel reports days and weeks for day/week-scaled contracts, taken as 8 h and 40 h. */
export function worksheetHours(ws: DeelTimesheet['worksheet']): number {
  if (!ws) return 0;
  return (ws.weeks ?? 0) * 40 + (ws.days ?? 0) * 8 + (ws.hours ?? 0) + (ws.minutes ?? 0) / 60;
}

/**
 * `employeeId` is the person whose contract the timesheet belongs to (resolved by the adapter through the
 * people's employments); Deel records worked amounts per day, not clock times, so `start_time` is the day the
 * work was reported for (`date_submitted`, the work date in `POST /timesheets`) and `end_time` stays null.
 */
export function toTimesheet(raw: DeelTimesheet, employeeId: string): Timesheet {
  const id = str(raw.id) ?? '';
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_time: toTimestamp(raw.date_submitted),
    end_time: null,
    hours_worked: contractHoursWorked(worksheetHours(raw.worksheet)),
    remote_created_at: toDate(raw.created_at),
    remote_modified_at: toDate(raw.reviewed_by?.reviewed_at) ?? toDate(raw.created_at),
  };
}
