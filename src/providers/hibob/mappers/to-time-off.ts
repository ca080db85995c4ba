/**
 * HiBob time off: requests (`GET /timeoff/whosout`) → unified entries, balances (`GET /timeoff/employees/{id}/
 * balance`) → unified balances.
 *
 * Units: a HiBob policy type counts in days or hours. A request's `type` says which: `days` (with half days through
 * `startPortion`/`endPortion`), `portionOnRange` (a morning or an afternoon on every day of the range), `hours` (one
 * day, `hoursOnDate` and `minutes`) and `hoursOnRange` (`dailyHours` every day). When HiBob sends `totalCost` with
 * its `durationUnit` (its current docs say every request does; the published spec does not list them) that is the
 * amount: what the request takes off the balance, working days only. Otherwise the amount is counted from the range
 * in calendar days, weekends included, as the spec's fields allow nothing better. Amounts are rounded to 0.1, as the
 * contract's `multipleOf: 0.1` wants (a quarter hour becomes 0.3).
 *
 * Balances are in the policy type's own unit; the contract's balance has no unit field, so the balance's policy id
 * is the policy type, the same id its entries carry, whose `unit` says days or hours. They may be negative: HiBob
 * lets a policy go below zero, and the balance is passed on as HiBob computes it.
 */
import type { TimeOffBalance, TimeOffEntry } from '../../../model/index.js';
import type { HibobBalance, HibobOut } from '../raw.js';
import { daysBetween, num, oneDecimal, squash, str, toDate } from './values.js';
import type { PolicyType, TimeOffStatus, TimeOffUnit } from '../../mapping.js';

/**
 * HiBob policy type names → the contract's policy types. HiBob's default "Holiday" type is annual leave (British
 * usage), i.e. vacation; a public holiday is "holiday" in the contract.
 */
export function mapPolicyType(name: unknown): PolicyType | null {
  const value = str(name);
  if (!value) return null;
  switch (squash(value)) {
    case 'holiday':
    case 'holidays':
    case 'annualleave':
    case 'vacation':
    case 'pto':
    case 'paidtimeoff':
      return 'vacation';
    case 'sick':
    case 'sickleave':
    case 'sickness':
    case 'illness':
      return 'sick';
    case 'bereavement':
    case 'bereavementleave':
    case 'compassionate':
    case 'compassionateleave':
      return 'bereavement';
    case 'juryduty':
    case 'jury':
    case 'civicduty':
      return 'jury_duty';
    case 'volunteer':
    case 'volunteering':
    case 'volunteerleave':
      return 'volunteer';
    case 'personal':
    case 'personalleave':
    case 'personalday':
      return 'personal';
    case 'publicholiday':
    case 'bankholiday':
      return 'holiday';
    default:
      return null;
  }
}

/** Who's out lists Approved and Pending; the request details use approved, pending_approval, declined, canceled. */
export function mapRequestStatus(status: unknown): TimeOffStatus | null {
  const value = str(status);
  switch (value ? squash(value) : '') {
    case 'approved':
      return 'approved';
    case 'pending':
    case 'pendingapproval':
    case 'requested':
      return 'pending';
    case 'declined':
    case 'rejected':
    case 'denied':
      return 'rejected';
    // A cancelled request was neither approved nor rejected; the contract has no value for it.
    default:
      return null;
  }
}

const isHalf = (portion: unknown) => portion === 'morning' || portion === 'afternoon';

/** The amount of one request and its unit; see the file comment. */
export function requestAmount(out: HibobOut): { amount: number; unit: TimeOffUnit } {
  const cost = num(out.totalCost);
  if (cost !== null && (out.durationUnit === 'days' || out.durationUnit === 'hours')) {
    return { amount: oneDecimal(cost), unit: out.durationUnit };
  }
  const start = toDate(out.startDate);
  const end = toDate(out.endDate);
  const days = daysBetween(start, end);
  switch (out.type) {
    case 'hours':
      return {
        amount: oneDecimal((num(out.hoursOnDate) ?? 0) + (num(out.minutes) ?? 0) / 60),
        unit: 'hours',
      };
    case 'hoursOnRange':
      return { amount: oneDecimal((num(out.dailyHours) ?? 0) * (days ?? 1)), unit: 'hours' };
    case 'portionOnRange':
      return { amount: oneDecimal((days ?? 1) / 2), unit: 'days' };
    case 'days': {
      if (days === null) return { amount: 0, unit: 'days' };
      // One day with a portion is half a day; over a range, a start in the afternoon or an end in the morning is.
      if (days === 1)
        return { amount: isHalf(out.startPortion) || isHalf(out.endPortion) ? 0.5 : 1, unit: 'days' };
      const half = (out.startPortion === 'afternoon' ? 0.5 : 0) + (out.endPortion === 'morning' ? 0.5 : 0);
      return { amount: oneDecimal(days - half), unit: 'days' };
    }
    default:
      // Types the spec does not describe (open-ended, percentages …): the range's days, 0 while it has no end.
      return { amount: days ?? 0, unit: 'days' };
  }
}

export function toTimeOffEntry(out: HibobOut): TimeOffEntry {
  const id = str(out.requestId) ?? '';
  const employeeId = str(out.employeeId) ?? '';
  const { amount, unit } = requestAmount(out);
  // An `hours` request has one `date` and no range.
  const day = out.type === 'hours' ? toDate(out.date) : null;
  const policy = str(out.policyType) ?? str(out.policyTypeDisplayName);
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_date: day ?? toDate(out.startDate) ?? toDate(out.date),
    end_date: day ?? toDate(out.endDate) ?? toDate(out.date),
    amount,
    unit,
    status: mapRequestStatus(out.status),
    employee_note: null,
    policy_id: policy,
    policy_remote_id: policy,
    policy_name: str(out.policyTypeDisplayName) ?? policy,
    policy_type: mapPolicyType(out.policyType ?? out.policyTypeDisplayName),
    remote_created_at: null,
    remote_modified_at: null,
  };
}

/** One balance of the employee it was asked for, for one policy type, as of the day it was asked for. */
export function toTimeOffBalance(employeeId: string, policyType: string, raw: HibobBalance): TimeOffBalance {
  return {
    employee_id: employeeId,
    employee_remote_id: employeeId,
    balance: num(raw.totalBalanceAsOfDate),
    used: num(raw.totalTaken),
    policy_id: policyType,
    policy_remote_id: policyType,
    policy_name: str(raw.policy) ?? policyType,
    policy_type: mapPolicyType(policyType),
    remote_created_at: null,
    remote_modified_at: null,
  };
}
