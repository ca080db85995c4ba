/**
 * Time-off policies, requests and balances, derived lazily from a dataset (and cached per dataset). Requests span
 * the two years before `asOf` and the three months after it. Amounts are multiples of 0.5 (exact in binary
 * floating point), so `balance = allowance − used` holds exactly.
 *
 * `used` counts the approved requests of the policy that start in the reference year (`asOf`'s year), including
 * approved future ones: booked leave is spent leave, as most HR systems show it.
 */
import type { TimeOffBalance, TimeOffEntry } from '../../model/index.js';
import { fromDay, isWeekend, yearOf, yearStart } from './dates.js';
import { deepFreeze, type EmployeeFacts, type SandboxDataset } from './dataset.js';
import { opaqueId, Rng } from './random.js';

export type PolicyType = NonNullable<TimeOffEntry['policy_type']>;

export interface Policy {
  id: string;
  remote_id: string;
  name: string;
  type: PolicyType;
  /** Days a year (converted to hours for people tracked in hours). */
  allowanceDays: number;
  /** Requests a year: [min, max]. */
  perYear: readonly [number, number];
  /** Working days a request lasts: [min, max]. */
  length: readonly [number, number];
}

interface PolicySpec {
  key: string;
  name: string;
  type: PolicyType;
  allowanceDays: number;
  perYear: readonly [number, number];
  length: readonly [number, number];
}

const POLICY_SPECS: readonly PolicySpec[] = [
  {
    key: 'vacation',
    name: 'Annual Leave',
    type: 'vacation',
    allowanceDays: 25,
    perYear: [2, 5],
    length: [1, 8],
  },
  { key: 'sick', name: 'Sick Leave', type: 'sick', allowanceDays: 12, perYear: [0, 3], length: [1, 3] },
  {
    key: 'personal',
    name: 'Personal Days',
    type: 'personal',
    allowanceDays: 3,
    perYear: [0, 2],
    length: [1, 1],
  },
  {
    key: 'holiday',
    name: 'Floating Holidays',
    type: 'holiday',
    allowanceDays: 2,
    perYear: [0, 2],
    length: [1, 1],
  },
  {
    key: 'volunteer',
    name: 'Volunteer Day',
    type: 'volunteer',
    allowanceDays: 2,
    perYear: [0, 1],
    length: [1, 1],
  },
  {
    key: 'bereavement',
    name: 'Bereavement Leave',
    type: 'bereavement',
    allowanceDays: 5,
    perYear: [0, 0],
    length: [1, 3],
  },
  {
    key: 'jury_duty',
    name: 'Jury Duty',
    type: 'jury_duty',
    allowanceDays: 10,
    perYear: [0, 0],
    length: [1, 5],
  },
];

/** Rare kinds of leave: the chance a person takes one in a given year. */
const RARE_CHANCE: Partial<Record<PolicyType, number>> = { bereavement: 0.04, jury_duty: 0.02 };

const NOTES: Partial<Record<PolicyType, readonly string[]>> = {
  vacation: ['Family trip', 'Summer holiday', 'Long weekend', 'Visiting relatives'],
  sick: ['Flu', 'Doctor appointment', 'Dentist'],
  personal: ['Moving house', 'Wedding', 'Appointment'],
  volunteer: ['Charity run', 'Food bank'],
};

export function policiesFor(seed: string): Policy[] {
  return POLICY_SPECS.map((p, n) => ({
    id: opaqueId('pol', seed, p.key),
    remote_id: String(n + 1),
    name: p.name,
    type: p.type,
    allowanceDays: p.allowanceDays,
    perYear: p.perYear,
    length: p.length,
  }));
}

export interface TimeOffData {
  policies: Policy[];
  entries: TimeOffEntry[];
  balances: TimeOffBalance[];
  /** Per employee index: days with approved time off (timesheets skip them). */
  approvedDays: Map<number, Set<number>>;
}

const cache = new WeakMap<SandboxDataset, TimeOffData>();

/** Contractors take no leave through the company, so they have neither requests nor balances. */
function hasLeave(f: EmployeeFacts): boolean {
  return !f.contractor;
}

/** The unit a person's leave is tracked in: hours for people paid by the hour, days for everyone else. */
function unitOf(f: EmployeeFacts): 'hours' | 'days' {
  return f.hourly ? 'hours' : 'days';
}

/** Allowance in the person's unit: days, or days × their daily hours. */
export function allowanceFor(policy: Policy, f: EmployeeFacts): number {
  const days = policy.type === 'vacation' && f.country.code === 'US' ? 15 : policy.allowanceDays;
  return f.hourly ? days * f.dailyHours : days;
}

export function timeOffFor(data: SandboxDataset): TimeOffData {
  const hit = cache.get(data);
  if (hit) return hit;
  const { seed } = data.options;
  const policies = policiesFor(seed);
  const entries: TimeOffEntry[] = [];
  const balances: TimeOffBalance[] = [];
  const approvedDays = new Map<number, Set<number>>();
  const windowStart = data.asOfDay - 730;
  const windowEnd = data.asOfDay + 90;
  const refYear = yearOf(data.asOfDay);
  let remote = 70_000;

  for (let e = 0; e < data.facts.length; e++) {
    const f = data.facts[e];
    const emp = data.employees[e];
    if (!f || !emp || !hasLeave(f)) continue;
    const rng = Rng.of(seed, 'time-off', f.index);
    const from = Math.max(windowStart, f.startDay);
    const to = Math.min(windowEnd, f.termDay ?? windowEnd);
    const taken = new Set<number>();
    const approved = new Set<number>();
    const unit = unitOf(f);
    const usedThisYear = new Map<string, number>();
    let n = 0;

    for (let year = yearOf(from); from <= to && year <= yearOf(to); year++) {
      const yFrom = Math.max(from, yearStart(year));
      const yTo = Math.min(to, yearStart(year + 1) - 1);
      if (yFrom > yTo) continue;
      const spent = new Map<string, number>();
      for (const policy of policies) {
        const rare = RARE_CHANCE[policy.type];
        const count =
          rare !== undefined ? (rng.chance(rare) ? 1 : 0) : rng.int(policy.perYear[0], policy.perYear[1]);
        const allowance = allowanceFor(policy, f);
        for (let c = 0; c < count; c++) {
          let start = rng.int(yFrom, yTo);
          while (isWeekend(start) && start < yTo) start++;
          if (isWeekend(start)) continue;
          const wanted = rng.int(policy.length[0], policy.length[1]);
          // Walk forward over working days, never past the year (keeps `used` per year exact) or the window.
          let end = start;
          let days = 1;
          while (days < wanted && end + 1 <= yTo) {
            end++;
            if (!isWeekend(end)) days++;
          }
          while (isWeekend(end)) end--;
          let clash = false;
          for (let d = start; d <= end; d++) if (taken.has(d)) clash = true;
          if (clash) continue;
          const half = days === 1 && rng.chance(0.15);
          const amount =
            unit === 'days' ? (half ? 0.5 : days) : half ? Math.round(f.dailyHours) / 2 : days * f.dailyHours;

          const future = start > data.asOfDay;
          let status: NonNullable<TimeOffEntry['status']> = future
            ? rng.weighted([
                ['approved', 45],
                ['pending', 50],
                ['rejected', 5],
              ] as const)
            : rng.weighted([
                ['approved', 92],
                ['rejected', 6],
                ['pending', 2],
              ] as const);
          const before = spent.get(policy.id) ?? 0;
          if (status === 'approved' && before + amount > allowance) status = 'rejected';
          if (status === 'approved') {
            spent.set(policy.id, before + amount);
            if (year === refYear) usedThisYear.set(policy.id, (usedThisYear.get(policy.id) ?? 0) + amount);
            for (let d = start; d <= end; d++) approved.add(d);
          }
          if (status !== 'rejected') for (let d = start; d <= end; d++) taken.add(d);

          const created = Math.min(start - rng.int(1, 40), data.asOfDay);
          const notes = NOTES[policy.type];
          entries.push({
            id: opaqueId('tof', seed, f.index, n++),
            remote_id: String(++remote),
            employee_id: emp.id,
            employee_remote_id: emp.remote_id,
            start_date: fromDay(start),
            end_date: fromDay(end),
            amount,
            unit,
            status,
            employee_note: notes && rng.chance(0.4) ? rng.pick(notes) : null,
            policy_id: policy.id,
            policy_remote_id: policy.remote_id,
            policy_name: policy.name,
            policy_type: policy.type,
            remote_created_at: fromDay(created),
            remote_modified_at: fromDay(Math.min(created + rng.int(0, 5), data.asOfDay)),
          });
        }
      }
    }
    if (approved.size > 0) approvedDays.set(f.index, approved);

    const assigned = fromDay(Math.max(f.startDay, yearStart(refYear)));
    for (const policy of policies) {
      const allowance = allowanceFor(policy, f);
      const used = usedThisYear.get(policy.id) ?? 0;
      balances.push({
        employee_id: emp.id,
        employee_remote_id: emp.remote_id,
        balance: allowance - used,
        used,
        policy_id: policy.id,
        policy_remote_id: policy.remote_id,
        policy_name: policy.name,
        policy_type: policy.type,
        remote_created_at: assigned,
        remote_modified_at: fromDay(data.asOfDay),
      });
    }
  }
  entries.sort((a, b) => (a.start_date ?? '').localeCompare(b.start_date ?? '') || a.id.localeCompare(b.id));
  const result: TimeOffData = {
    policies: deepFreeze(policies),
    entries: deepFreeze(entries),
    balances: deepFreeze(balances),
    approvedDays,
  };
  cache.set(data, result);
  return result;
}

/** Entries overlapping the inclusive range; all of them when `range` is null. */
export function filterTimeOff(
  entries: readonly TimeOffEntry[],
  range: { start_date: string; end_date: string } | null,
): TimeOffEntry[] {
  if (!range) return [...entries];
  return entries.filter(
    (e) => (e.start_date ?? '') <= range.end_date && (e.end_date ?? e.start_date ?? '') >= range.start_date,
  );
}
