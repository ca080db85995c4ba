/**
 * Xero Payroll UK leave (`GET /Employees/{id}/Leave`) → unified TimeOffEntry, one per leave record. Xero splits a
 * leave into pay-period `periods`, each with the units taken in it; the entry's amount is their exact sum, rounded to
 * 0.1 as the contract wants. The units are the leave type's as the employee's leave balance names them
 * (`typeOfUnits`: hours, or days where the organisation records leave in days).
 */
import type { TimeOffEntry } from '../../../model/index.js';
import type { XeroLeave, XeroLeaveType } from '../raw.js';
import { decimalSum, oneDecimal, str, toDate } from './values.js';
import type { PolicyType, TimeOffUnit } from '../../mapping.js';

/**
 * Leave types are free-named in Xero (the UK defaults are "Holiday", "Sick Leave", "Parental Leave", "Compassionate
 * Leave", "Jury Service"…): the contract's policy type is read from the name. A UK "holiday" is paid annual leave,
 * the contract's `vacation`; its `holiday` is for public holidays ("bank holiday").
 */
export function policyTypeOf(name: string | null | undefined): PolicyType | null {
  const n = (name ?? '').toLowerCase();
  if (/bank holiday|public holiday/.test(n)) return 'holiday';
  if (/holiday|annual|vacation/.test(n)) return 'vacation';
  if (/sick/.test(n)) return 'sick';
  if (/bereave|compassion/.test(n)) return 'bereavement';
  if (/jury/.test(n)) return 'jury_duty';
  if (/volunteer/.test(n)) return 'volunteer';
  if (/personal|parental|maternity|paternity|adoption|dependant|carer/.test(n)) return 'personal';
  return null;
}

/**
 * Xero's `typeOfUnits` ("Hours" in its example, "hours" in its schema). UK leave is kept in hours unless the
 * organisation switched the leave type to days, so anything else (absent included) is read as hours.
 */
export function mapLeaveUnits(typeOfUnits: string | null | undefined): TimeOffUnit {
  switch (typeOfUnits?.trim().toLowerCase()) {
    case 'days':
    case 'day':
      return 'days';
    default:
      return 'hours';
  }
}

/**
 * `periodStatus` is Approved (booked) or Completed (paid in a posted pay run): both are approved leave. The payroll
 * API lists only leave that has been booked; requests still waiting live in Xero Me, out of its reach.
 */
export function mapPeriodStatus(leave: XeroLeave): TimeOffEntry['status'] {
  const statuses = (leave.periods ?? []).map((p) => p.periodStatus);
  if (statuses.length === 0) return null;
  return statuses.every((s) => s === 'Approved' || s === 'Completed') ? 'approved' : null;
}

export function toTimeOffEntry(
  leave: XeroLeave,
  employeeId: string,
  leaveType: XeroLeaveType | undefined,
  typeOfUnits: string | null | undefined,
): TimeOffEntry {
  const id = leave.leaveID ?? '';
  const units = (leave.periods ?? [])
    .map((p) => p.numberOfUnits)
    .filter((u): u is number => typeof u === 'number' && Number.isFinite(u));
  const name = str(leaveType?.name);
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_date: toDate(leave.startDate),
    end_date: toDate(leave.endDate),
    amount: oneDecimal(decimalSum(units)),
    unit: mapLeaveUnits(typeOfUnits),
    status: mapPeriodStatus(leave),
    employee_note: str(leave.description),
    policy_id: str(leave.leaveTypeID),
    policy_remote_id: str(leave.leaveTypeID),
    policy_name: name,
    policy_type: policyTypeOf(name),
    remote_created_at: null,
    remote_modified_at: toDate(leave.updatedDateUTC),
  };
}
