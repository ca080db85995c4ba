/**
 * Xero Payroll UK timesheet lines (`GET /Timesheets/{id}`) → unified Timesheets, one per line. A line is the hours
 * worked on one day against one earnings rate (the timesheet's `totalHours` is the sum of its lines' units, so units
 * are hours). Xero records the day, not clock times: `start_time` is that day at 00:00 UTC and `end_time` is null.
 * Hours are rounded to 0.1 (the contract's `multipleOf`).
 */
import { contractHoursWorked } from '../../numbers.js';
import type { Timesheet } from '../../../model/index.js';
import type { XeroTimesheet, XeroTimesheetLine } from '../raw.js';
import { toDate } from './values.js';

/** Draft timesheets are still being filled in; approved and completed (paid) ones are the hours worked. */
export function isFinalTimesheet(status: string | null | undefined): boolean {
  switch (status) {
    case 'Approved':
    case 'Completed':
      return true;
    default:
      return false;
  }
}

export function toTimesheet(line: XeroTimesheetLine, sheet: XeroTimesheet): Timesheet | null {
  const id = line.timesheetLineID;
  const day = toDate(line.date);
  const employeeId = sheet.employeeID;
  if (!id || !employeeId || typeof line.numberOfUnits !== 'number' || !Number.isFinite(line.numberOfUnits)) {
    return null;
  }
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_time: day ? `${day}T00:00:00Z` : null,
    end_time: null,
    hours_worked: contractHoursWorked(line.numberOfUnits),
    remote_created_at: null,
    remote_modified_at: toDate(sheet.updatedDateUTC),
  };
}
