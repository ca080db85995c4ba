/** Deel time offs (`GET /time_offs`) and entitlements (`GET /time_offs/profile/{id}/entitlements`). */
import type { TimeOffBalance, TimeOffEntry } from '../../../model/index.js';
import type { DeelEntitlement, DeelPolicy, DeelTimeOff } from '../raw.js';
import { oneDecimal, str, toDate, toNumber } from './values.js';
import type { PolicyType, TimeOffStatus, TimeOffUnit } from '../../mapping.js';

/** Deel time-off `status` enum: REQUESTED, APPROVED, REJECTED, USED, CANCELED. */
export function mapTimeOffStatus(status: string | undefined): TimeOffStatus | null {
  switch (status) {
    case 'REQUESTED':
      return 'pending';
    case 'APPROVED':
    // USED = approved and already taken.
    case 'USED':
      return 'approved';
    case 'REJECTED':
      return 'rejected';
    // A cancelled request was neither approved nor rejected; the contract has no value for it.
    case 'CANCELED':
      return null;
    default:
      return null;
  }
}

/** Deel policy type names (the spec's `policy_type_name` enum) → the contract's policy types. */
export function mapPolicyType(name: string | undefined): PolicyType | null {
  switch (name) {
    case 'Vacation':
    case 'Advanced vacation':
    case 'Paid leave':
      return 'vacation';
    case 'Sick leave':
    case "Doctor's appointment leave":
      return 'sick';
    case 'Bereavement leave':
      return 'bereavement';
    case 'Personal leave':
      return 'personal';
    case 'Volunteer leave':
      return 'volunteer';
    case 'Civic/public duty leave':
      return 'jury_duty';
    case 'Regional holiday':
      return 'holiday';
    default:
      return null;
  }
}

/**
 * Deel `tracking_unit` (HOUR, BUSINESS_DAY, CALENDAR_DAY, WEEK, MONTH, YEAR) → the contract's unit and the factor
 * that converts an amount into it. Deel's default unit is days, which is also what we assume when the policy is
 * unknown.
 */
export function mapTrackingUnit(unit: string | undefined): { unit: TimeOffUnit; factor: number } {
  switch (unit) {
    case 'HOUR':
      return { unit: 'hours', factor: 1 };
    case 'WEEK':
      return { unit: 'days', factor: 7 };
    case 'MONTH':
      return { unit: 'months', factor: 1 };
    case 'YEAR':
      return { unit: 'months', factor: 12 };
    case 'BUSINESS_DAY':
    case 'CALENDAR_DAY':
      return { unit: 'days', factor: 1 };
    default:
      return { unit: 'days', factor: 1 };
  }
}

export function toTimeOffEntry(raw: DeelTimeOff, policy: DeelPolicy | undefined): TimeOffEntry {
  const id = str(raw.id) ?? '';
  const employeeId = str(raw.recipient_profile?.hris_profile_id) ?? '';
  const { unit, factor } = mapTrackingUnit(policy?.tracking_unit);
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_date: toDate(raw.start_date),
    end_date: toDate(raw.end_date),
    amount: oneDecimal((toNumber(raw.amount) ?? 0) * factor),
    unit,
    status: mapTimeOffStatus(raw.status),
    employee_note: str(raw.description) ?? str(raw.reason),
    // Without a resolvable policy the time-off type is the closest thing Deel gives to a policy id.
    policy_id: str(policy?.id) ?? str(raw.time_off_type_id),
    policy_remote_id: str(policy?.id) ?? str(raw.time_off_type_id),
    policy_name: str(policy?.name),
    policy_type: mapPolicyType(policy?.policy_type?.name),
    remote_created_at: toDate(raw.created_at),
    remote_modified_at: toDate(raw.updated_at),
  };
}

export function toTimeOffBalance(profileId: string, raw: DeelEntitlement): TimeOffBalance {
  const { factor } = mapTrackingUnit(raw.policy?.tracking_unit);
  const scaled = (v: unknown) => {
    const n = toNumber(v);
    return n === null ? null : n * factor;
  };
  return {
    employee_id: profileId,
    employee_remote_id: profileId,
    balance: scaled(raw.available),
    used: scaled(raw.used),
    policy_id: str(raw.policy?.id),
    policy_remote_id: str(raw.policy?.id),
    policy_name: str(raw.policy?.name),
    policy_type: mapPolicyType(raw.policy?.policy_type?.name),
    remote_created_at: toDate(raw.policy?.created_at),
    remote_modified_at: toDate(raw.policy?.updated_at),
  };
}
