/** Personio time-off periods (`GET /company/time-offs`, day-unit absences) → unified TimeOffEntry. */
import { contractTenths as tenths } from '../../numbers.js';
import type { TimeOffEntry } from '../../../model/index.js';
import type { PersonioTimeOff } from '../raw.js';
import { asNumber, asString, shortEmployeeId } from './attributes.js';
import { calendarDate, instantDate } from '../../dates.js';
import { opaqueId, remoteId } from './ids.js';

/** Personio absence status → contract status; `cancelled` and unknown values have no counterpart. */
export function mapTimeOffStatus(v: string | null): TimeOffEntry['status'] {
  switch (v?.toLowerCase()) {
    case 'approved':
      return 'approved';
    case 'pending':
    case 'requested':
      return 'pending';
    case 'rejected':
    case 'declined':
      return 'rejected';
    default:
      return null;
  }
}

/**
 * Personio time-off type `category` (the spec's enum) → contract policy type. Categories that are not leave in the
 * contract's sense (offsite work, short-time allowance, strike …) map to null.
 */
export function mapPolicyType(category: string | null | undefined): TimeOffEntry['policy_type'] {
  switch (category) {
    case 'paid_vacation':
    case 'unpaid_vacation':
      return 'vacation';
    case 'sick_leave':
    case 'quarantine':
      return 'sick';
    case 'public_duty':
      return 'jury_duty';
    case 'family_care':
    case 'child_care':
    case 'maternity_parental_leave':
      return 'personal';
    default:
      return null;
  }
}

/** The contract's `amount` is a multiple of 0.1 (../../numbers.ts). */
export { tenths };

export function toTimeOffEntry(raw: PersonioTimeOff): TimeOffEntry {
  const a = raw.attributes;
  const employeeId = shortEmployeeId(a.employee);
  const type = a.time_off_type?.attributes;
  return {
    id: opaqueId('time_off', a.id),
    remote_id: remoteId(a.id),
    employee_id: employeeId === null ? '' : opaqueId('employee', employeeId),
    employee_remote_id: employeeId === null ? '' : remoteId(employeeId),
    start_date: calendarDate(a.start_date),
    end_date: calendarDate(a.end_date),
    amount: tenths(asNumber(a.days_count) ?? 0),
    // This endpoint only lists absence types whose unit is days (the spec says so); hourly ones live elsewhere.
    unit: 'days',
    status: mapTimeOffStatus(asString(a.status)),
    employee_note: null,
    policy_id: type ? opaqueId('time_off_type', type.id) : null,
    policy_remote_id: type ? remoteId(type.id) : null,
    policy_name: asString(type?.name),
    policy_type: mapPolicyType(type?.category),
    remote_created_at: instantDate(a.created_at),
    remote_modified_at: instantDate(a.updated_at),
  };
}
