/**
 * Time off: `timeoff_leave` → TimeOffEntry (per request, its leave type as the policy) and
 * `timeoff_allowance_stats_new` → TimeOffBalance (per employee and allowance, the allowance as the policy).
 *
 * Units: a leave taken by the hour carries `hours_amount_in_cents` (hours × 100) and is served in hours; any other
 * leave is served in days from `days_taken` (0.5 for a half day). Allowance counters are decimal strings in the
 * allowance's own unit (`allowance_type`: days or hours); the contract's TimeOffBalance has no unit field, so a
 * balance is in the unit of its policy (README). Negative balances (allowances with `negative_counter_enabled`) are
 * served negative, not clamped.
 */
import type { TimeOffBalance, TimeOffEntry } from '../../../model/index.js';
import type {
  FactorialAllowance,
  FactorialAllowanceStat,
  FactorialLeave,
  FactorialLeaveType,
} from '../raw.js';
import { decimal, opaqueId, tenths, text, toDate } from './values.js';
import type { PolicyType, TimeOffStatus } from '../../mapping.js';

/**
 * Leave type `identifier` → the contract's policy type. Factorial's "holiday" leave type is paid annual leave (UK
 * usage), i.e. vacation; public holidays are `bank_holiday`.
 */
export function mapPolicyType(identifier: unknown): PolicyType | null {
  switch (typeof identifier === 'string' ? identifier.trim().toLowerCase() : '') {
    case 'annual_leave':
    case 'holiday':
    case 'holidays':
    case 'vacation':
    case 'vacations':
      return 'vacation';
    case 'sick_leave':
    case 'sickness':
    case 'illness':
    case 'medical_leave':
      return 'sick';
    case 'bereavement':
    case 'bereavement_leave':
      return 'bereavement';
    case 'personal':
    case 'personal_leave':
    case 'personal_days':
    case 'personal_matters':
      return 'personal';
    case 'volunteer':
    case 'volunteering':
      return 'volunteer';
    case 'jury_duty':
    case 'public_duty':
      return 'jury_duty';
    case 'bank_holiday':
    case 'public_holiday':
      return 'holiday';
    default:
      return null;
  }
}

/**
 * `approved: true` → approved. Listings ask for pending leaves too (`include_pending=true`), which come with
 * `approved: false` or null. Rejected requests are deleted in Factorial (`deleted_at`), so a deleted leave is
 * rejected; listings leave them out (`include_deleted_leaves=false`) unless asked.
 */
export function mapLeaveStatus(leave: FactorialLeave): TimeOffStatus {
  if (text(leave.deleted_at) !== null) return 'rejected';
  return leave.approved === true ? 'approved' : 'pending';
}

/** Hours when the leave was taken by the hour, else days; both rounded to 0.1 as the contract's `multipleOf`. */
export function leaveAmount(leave: FactorialLeave): { amount: number; unit: 'hours' | 'days' } {
  const cents = leave.hours_amount_in_cents;
  if (typeof cents === 'number' && Number.isFinite(cents) && cents > 0) {
    return { amount: tenths(cents / 100), unit: 'hours' };
  }
  const days =
    typeof leave.days_taken === 'number' && Number.isFinite(leave.days_taken) ? leave.days_taken : 0;
  return { amount: tenths(days), unit: 'days' };
}

export function toTimeOffEntry(leave: FactorialLeave, type: FactorialLeaveType | undefined): TimeOffEntry {
  const id = text(leave.id) ?? '';
  const employeeId = text(leave.employee_id) ?? '';
  const typeId = text(leave.leave_type_id) ?? text(type?.id);
  const { amount, unit } = leaveAmount(leave);
  const start = toDate(leave.start_on);
  return {
    id: opaqueId('leave', id),
    remote_id: id,
    employee_id: opaqueId('employee', employeeId),
    employee_remote_id: employeeId,
    start_date: start,
    // A one-day leave may come without `finish_on`.
    end_date: toDate(leave.finish_on) ?? start,
    amount,
    unit,
    status: mapLeaveStatus(leave),
    employee_note: text(leave.description) ?? text(leave.reason),
    policy_id: typeId === null ? null : opaqueId('leave_type', typeId),
    policy_remote_id: typeId,
    policy_name: text(type?.name) ?? text(leave.leave_type_name),
    policy_type: mapPolicyType(type?.identifier),
    remote_created_at: toDate(leave.created_at),
    remote_modified_at: toDate(leave.updated_at),
  };
}

/**
 * `available_days` is the balance ("remaining usable allowance units at the reference date"); `used` is
 * `used_units_until_reference_date` (in the allowance's unit, like the balance) rather than `used_days`, which
 * Factorial converts to days whatever the allowance's unit.
 */
export function toTimeOffBalance(
  stat: FactorialAllowanceStat,
  allowance: FactorialAllowance | undefined,
  leaveTypes: ReadonlyMap<string, FactorialLeaveType>,
): TimeOffBalance {
  const employeeId = text(stat.employee_id) ?? '';
  const allowanceId = text(stat.allowance_id) ?? text(allowance?.id);
  const firstType = (allowance?.leave_type_ids ?? []).map((t) => leaveTypes.get(t)).find((t) => t);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return {
    employee_id: opaqueId('employee', employeeId),
    employee_remote_id: employeeId,
    balance: round(decimal(stat.available_days)),
    used: round(decimal(stat.used_units_until_reference_date)),
    policy_id: allowanceId === null ? null : opaqueId('allowance', allowanceId),
    policy_remote_id: allowanceId,
    policy_name: text(allowance?.name),
    policy_type: mapPolicyType(firstType?.identifier),
    remote_created_at: null,
    remote_modified_at: null,
  };
}
