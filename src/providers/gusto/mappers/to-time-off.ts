/**
 * Gusto time off (`/time_off/requests`, `/time_off/balances`) → the contract's entries and balances. Gusto counts
 * time off in hours, never days: a request's `days` maps each date to the hours taken that day ("8.000"), so an
 * entry's amount is their sum in hours (rounded to 0.1, as the contract's `multipleOf`), and balances are hours too.
 * A balance can be negative where the policy lets employees borrow ahead; the sign is kept.
 */
import type { TimeOffBalance, TimeOffEntry } from '../../../model/index.js';
import type { GustoTimeOffBalance, GustoTimeOffPolicy, GustoTimeOffRequest } from '../raw.js';
import { milliToTenths, str, toDate, toHours, toMilliHours } from './values.js';
import type { PolicyType, TimeOffStatus as Status } from '../../mapping.js';

/** Gusto `policy_type` → the contract's; Gusto's kinds the contract has no word for are null. */
export function mapPolicyType(type: string | null | undefined): PolicyType | null {
  switch (type) {
    case 'vacation':
      return 'vacation';
    case 'sick':
      return 'sick';
    case 'bereavement':
      return 'bereavement';
    case 'jury_duty':
      return 'jury_duty';
    case 'volunteer':
      return 'volunteer';
    case 'personal_day':
      return 'personal';
    case 'floating_holiday':
      return 'holiday';
    case 'custom':
    case 'learning_and_development':
    case 'parental_leave':
    case 'weather':
      return null;
    default:
      return null;
  }
}

/** `consumed` is an approved request already paid out in a payroll: still approved time off. */
export function mapRequestStatus(status: GustoTimeOffRequest['status']): Status | null {
  switch (status) {
    case 'pending':
      return 'pending';
    case 'approved':
    case 'consumed':
      return 'approved';
    case 'declined':
      return 'rejected';
    default:
      return null;
  }
}

export function toTimeOffEntry(
  r: GustoTimeOffRequest,
  policies: ReadonlyMap<string, GustoTimeOffPolicy>,
): TimeOffEntry {
  const id = str(r.uuid) ?? '';
  const employeeId = str(r.employee?.uuid) ?? '';
  const dates: string[] = [];
  let milli = 0;
  for (const [date, hours] of Object.entries(r.days ?? {})) {
    const d = toDate(date);
    if (d) dates.push(d);
    milli += toMilliHours(hours) ?? 0;
  }
  dates.sort();
  const policyId = str(r.policy_uuid);
  const policy = policyId ? policies.get(policyId) : undefined;
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    start_date: dates[0] ?? null,
    end_date: dates.at(-1) ?? null,
    amount: milliToTenths(milli),
    unit: 'hours',
    status: mapRequestStatus(r.status),
    employee_note: str(r.employee_note),
    policy_id: policyId,
    policy_remote_id: policyId,
    policy_name: str(policy?.name),
    policy_type: mapPolicyType(r.policy_type ?? policy?.policy_type),
    remote_created_at: null,
    remote_modified_at: null,
  };
}

/** One balance per employee and policy, in hours: `balance` is what is available now, `used` this year so far. */
export function toTimeOffBalances(
  b: GustoTimeOffBalance,
  policies: ReadonlyMap<string, GustoTimeOffPolicy>,
): TimeOffBalance[] {
  const employeeId = str(b.employee_uuid) ?? '';
  return (b.balances ?? []).map((row) => {
    const policyId = str(row.policy_uuid);
    const policy = policyId ? policies.get(policyId) : undefined;
    return {
      employee_id: employeeId,
      employee_remote_id: employeeId,
      balance: toHours(row.balance_hours),
      used: toHours(row.used_hours),
      policy_id: policyId,
      policy_remote_id: policyId,
      policy_name: str(policy?.name),
      policy_type: mapPolicyType(policy?.policy_type),
      remote_created_at: null,
      remote_modified_at: null,
    };
  });
}
