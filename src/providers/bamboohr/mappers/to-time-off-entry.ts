/** BambooHR time-off requests (GET /api/v1/time_off/requests) → unified TimeOffEntry. */
import type { TimeOffEntry } from '../../../model/index.js';
import type { BhTimeOffRequest } from '../raw.js';
import { round1, str, toDate, toNumber } from './values.js';

/**
 * Request statuses the spec lists: approved, denied, superceded (sic), requested, canceled. A cancelled or
 * superseded request is neither approved, pending nor rejected, so it maps to null.
 */
export function toTimeOffStatus(status: string | undefined): TimeOffEntry['status'] {
  switch (status?.toLowerCase()) {
    case 'approved':
      return 'approved';
    case 'requested':
      return 'pending';
    case 'denied':
      return 'rejected';
    case 'canceled':
    case 'superceded':
      return null;
    default:
      return null;
  }
}

/** BambooHR time-off types are company-named; the usual names map to the contract's policy types. */
export function toPolicyType(name: string | undefined | null): TimeOffEntry['policy_type'] {
  switch (name?.trim().toLowerCase()) {
    case 'vacation':
    case 'pto':
    case 'paid time off':
    case 'annual leave':
      return 'vacation';
    case 'sick':
    case 'sick leave':
      return 'sick';
    case 'bereavement':
      return 'bereavement';
    case 'holiday':
    case 'floating holiday':
      return 'holiday';
    case 'jury duty':
      return 'jury_duty';
    case 'personal':
    case 'personal day':
      return 'personal';
    case 'volunteer':
    case 'volunteer time':
      return 'volunteer';
    default:
      return null;
  }
}

export function toTimeOffUnit(unit: string | undefined): TimeOffEntry['unit'] {
  switch (unit) {
    case 'hours':
      return 'hours';
    case 'days':
      return 'days';
    default:
      // The contract's unit is not nullable; BambooHR's two units cover every request, days is its default.
      return 'days';
  }
}

export function toTimeOffEntry(raw: BhTimeOffRequest): TimeOffEntry {
  const id = String(raw.id);
  const employeeId = String(raw.employeeId);
  const typeId = raw.type?.id !== undefined ? String(raw.type.id) : null;
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_date: toDate(raw.start),
    end_date: toDate(raw.end),
    amount: round1(toNumber(raw.amount?.amount) ?? 0),
    unit: toTimeOffUnit(raw.amount?.unit),
    status: toTimeOffStatus(raw.status?.status),
    employee_note: str(raw.notes?.employee),
    policy_id: typeId,
    policy_remote_id: typeId,
    policy_name: str(raw.type?.name),
    policy_type: toPolicyType(raw.type?.name),
    remote_created_at: toDate(raw.created),
    remote_modified_at: toDate(raw.status?.lastChanged),
  };
}
