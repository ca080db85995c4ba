/**
 * `Timeoff` → TimeOffEntry and `TimeoffBalance` → TimeOffBalance.
 *
 * Time: a request lists each day with the hours taken on it (`timeoff_days[].hours`), so its amount is the sum of
 * those hours, unit `hours`. Balances are `{days, hours}` durations; they are served in days (hours converted with
 * the balance's `working_hours_per_day`, 8 when absent), rounded to 0.01. A negative remainder (more taken than
 * entitled) stays negative.
 */
import type { TimeOffBalance, TimeOffEntry } from '../../../model/index.js';
import type {
  RemoteDuration,
  RemoteTimeoff,
  RemoteTimeoffBalance,
  RemoteTimeoffEntitlement,
} from '../raw.js';
import { num, opaqueId, tenths, text, toDate } from './values.js';

type PolicyType = TimeOffEntry['policy_type'];

/** Remote's `TimeoffType` → the contract's policy types; kinds it has no word for are null. */
export function mapPolicyType(type: unknown): PolicyType {
  switch (type) {
    case 'paid_time_off':
    case 'annual_paid_timeoff':
    case 'carryover_pto':
    case 'additional_pto':
    case 'transfer_pto':
      return 'vacation';
    case 'sick_leave':
      return 'sick';
    case 'public_holiday':
      return 'holiday';
    case 'bereavement':
      return 'bereavement';
    default:
      return null;
  }
}

/**
 * Remote's request states: `approved` and `taken` were approved; `requested` waits; `declined` was refused; a
 * cancelled request (`cancelled`, `cancel_requested`) is not time off any more and is reported as rejected.
 */
export function mapTimeoffStatus(status: unknown): TimeOffEntry['status'] {
  switch (status) {
    case 'approved':
    case 'taken':
      return 'approved';
    case 'requested':
    case 'cancel_requested':
      return 'pending';
    case 'declined':
    case 'cancelled':
      return 'rejected';
    default:
      return null;
  }
}

export function toTimeOffEntry(raw: RemoteTimeoff): TimeOffEntry {
  const id = text(raw.id) ?? '';
  const employmentId = text(raw.employment_id) ?? '';
  const type = text(raw.timeoff_type);
  const hours = (raw.timeoff_days ?? []).reduce((sum, d) => sum + (num(d?.hours) ?? 0), 0);
  const start = toDate(raw.start_date);
  return {
    id: opaqueId('timeoff', id),
    remote_id: id,
    employee_id: opaqueId('employment', employmentId),
    employee_remote_id: employmentId,
    start_date: start,
    end_date: toDate(raw.end_date) ?? start,
    amount: tenths(hours),
    unit: 'hours',
    status: mapTimeoffStatus(raw.status),
    employee_note: text(raw.notes),
    policy_id: type === null ? null : opaqueId('timeoff_type', type),
    policy_remote_id: type,
    policy_name: type,
    policy_type: mapPolicyType(type),
    remote_created_at: null,
    remote_modified_at: null,
  };
}

/** A `{days, hours}` duration (or a bare number of days) in days. */
export function durationDays(value: RemoteDuration | number | undefined, hoursPerDay: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (!value || typeof value !== 'object') return null;
  const days = num(value.days);
  const hours = num(value.hours);
  if (days === null && hours === null) return null;
  return (days ?? 0) + (hours ?? 0) / hoursPerDay;
}

const hundredths = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** One balance per entitlement (annual, carry-over, additional…) of one employment. */
export function toTimeOffBalances(employmentId: string, raw: RemoteTimeoffBalance): TimeOffBalance[] {
  const perDay = num(raw.working_hours_per_day);
  const hoursPerDay = perDay !== null && perDay > 0 ? perDay : 8;
  const entitlements: RemoteTimeoffEntitlement[] = raw.timeoff_entitlements ?? raw.leave_entitlements ?? [];
  return entitlements.map((e) => {
    const type = text(e.type);
    const key = `${employmentId}/${type ?? ''}/${text(e.expiry_date) ?? ''}`;
    const entitled = durationDays(e.entitled, hoursPerDay);
    const taken = durationDays(e.taken, hoursPerDay);
    const remaining =
      durationDays(e.remaining, hoursPerDay) ??
      (entitled !== null && taken !== null ? entitled - taken : null);
    return {
      employee_id: opaqueId('employment', employmentId),
      employee_remote_id: employmentId,
      balance: hundredths(remaining),
      used: hundredths(taken),
      policy_id: opaqueId('entitlement', key),
      policy_remote_id: type,
      policy_name: text(e.name) ?? type,
      policy_type: mapPolicyType(type),
      remote_created_at: null,
      remote_modified_at: null,
    };
  });
}
