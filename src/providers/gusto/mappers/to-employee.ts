/**
 * Gusto employee → the contract's Employee. Gusto keeps employees (W-2) and contractors apart, so every employee
 * here is an employee; contractors are not read. The manager's name needs the whole list, so `toEmployee` leaves it
 * to `withManagers`.
 */
import { contractPayRate } from '../../numbers.js';
import type { Employee } from '../../../model/index.js';
import type { GustoEmployee, GustoEmploymentStatus, GustoJob, GustoPaymentUnit } from '../raw.js';
import { toAddress, toLocation } from './to-location.js';
import { str, toDate, toMajorUnits } from './values.js';
import { type EmploymentStatus, type EmploymentType, joinPresent } from '../../mapping.js';

type Compensation = NonNullable<Employee['compensation_history']>[number];
type History = NonNullable<Employee['employment_history']>[number];

/** Gusto's hours-per-week classes → the contract's employment types. */
export function mapEmploymentType(status: GustoEmploymentStatus | null | undefined): EmploymentType | null {
  switch (status) {
    case 'full_time':
      return 'full_time';
    case 'part_time_under_twenty_hours':
    case 'part_time_twenty_plus_hours':
      return 'part_time';
    case 'variable':
    case 'seasonal':
      return 'other';
    default:
      return null;
  }
}

/**
 * A termination in effect (`active`) makes the employee inactive; one scheduled for later does not yet. Otherwise an
 * employee still onboarding is pending. Without termination records, Gusto's `terminated` flag decides.
 */
export function mapEmploymentStatus(e: GustoEmployee, today: string): EmploymentStatus {
  const terminations = e.terminations ?? [];
  const inEffect =
    terminations.length > 0
      ? terminations.some(
          (t) =>
            t.active === true || (t.active === undefined && (toDate(t.effective_date) ?? '9999') <= today),
        )
      : e.terminated === true;
  if (inEffect) return 'inactive';
  switch (e.onboarding_status) {
    case 'onboarding_completed':
      return 'active';
    case 'admin_onboarding_incomplete':
    case 'self_onboarding_pending_invite':
    case 'self_onboarding_invited':
    case 'self_onboarding_invited_started':
    case 'self_onboarding_invited_overdue':
    case 'self_onboarding_completed_by_employee':
    case 'self_onboarding_awaiting_admin_review':
      return 'pending';
    default:
      return e.onboarded === false ? 'pending' : 'active';
  }
}

/** Compensation `payment_unit` → the contract's free-text `pay_period` (the rate is dollars per this unit). */
export function mapPayPeriod(unit: GustoPaymentUnit | null | undefined): string | null {
  switch (unit) {
    case 'Hour':
      return 'hour';
    case 'Week':
      return 'week';
    case 'Month':
      return 'month';
    case 'Year':
      return 'year';
    // Owners are paid a fixed amount per paycheck, whatever their pay schedule's frequency.
    case 'Paycheck':
      return 'paycheck';
    default:
      return null;
  }
}

function primaryJob(e: GustoEmployee): GustoJob | undefined {
  return (e.jobs ?? []).find((j) => j.primary === true) ?? e.jobs?.[0];
}

/**
 * Every effective-dated compensation of every job, oldest first (Gusto lists all of them with the
 * `all_compensations` include, else only the current one). `pay_rate` is dollars per `pay_period`, cent-exact.
 * Gusto's pay frequency belongs to the company's pay schedule, not to the compensation, so it stays null.
 */
function compensations(e: GustoEmployee, employmentType: EmploymentType | null): Compensation[] | null {
  const out: Compensation[] = [];
  for (const job of e.jobs ?? []) {
    const list = job.compensations?.length
      ? job.compensations
      : job.rate !== undefined
        ? [{ rate: job.rate, payment_unit: job.payment_unit ?? undefined, effective_date: job.hire_date }]
        : [];
    for (const c of list) {
      const rate = toMajorUnits(c.rate);
      if (rate === null) continue;
      out.push({
        pay_rate: contractPayRate(rate),
        pay_period: mapPayPeriod(c.payment_unit),
        pay_frequency: null,
        employment_type: employmentType,
        currency: 'usd',
        effective_date: toDate(c.effective_date),
        notes: null,
      });
    }
  }
  out.sort((a, b) => (a.effective_date ?? '').localeCompare(b.effective_date ?? ''));
  return out.length > 0 ? out : null;
}

function employmentHistory(e: GustoEmployee): History[] | null {
  const departmentId = str(e.department_uuid);
  const managerId = str(e.manager_uuid);
  const rows = (e.jobs ?? []).map(
    (j): History => ({
      job_title: str(j.title),
      effective_date: toDate(j.hire_date),
      group_id: departmentId,
      group_remote_id: departmentId,
      group_name: str(e.department),
      manager_id: managerId,
      manager_remote_id: managerId,
    }),
  );
  rows.sort((a, b) => (a.effective_date ?? '').localeCompare(b.effective_date ?? ''));
  return rows.length > 0 ? rows : null;
}

function customFields(e: GustoEmployee): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const f of e.custom_fields ?? []) {
    const name = str(f.name);
    if (!name) continue;
    out ??= {};
    out[name] = f.value ?? null;
  }
  return out;
}

/** The latest termination date Gusto knows (scheduled ones included: the contract's date may be in the future). */
function terminationDate(e: GustoEmployee): string | null {
  let latest: string | null = null;
  for (const t of e.terminations ?? []) {
    const date = toDate(t.effective_date);
    if (date && (latest === null || date > latest)) latest = date;
  }
  return latest;
}

/** `today` is `YYYY-MM-DD` (UTC), the day a scheduled termination is compared with. */
export function toEmployee(
  e: GustoEmployee,
  today: string = new Date().toISOString().slice(0, 10),
): Employee {
  const id = str(e.uuid) ?? '';
  const job = primaryJob(e);
  const first = str(e.first_name) ?? '';
  const last = str(e.last_name) ?? '';
  const display = joinPresent(str(e.preferred_first_name) ?? str(e.first_name), str(e.last_name), ' ');
  const employmentType = mapEmploymentType(e.current_employment_status);
  const departmentId = str(e.department_uuid);
  let earliestHire: string | undefined;
  for (const j of e.jobs ?? []) {
    const hired = toDate(j.hire_date);
    if (hired && (earliestHire === undefined || hired < earliestHire)) earliestHire = hired;
  }
  const managerId = str(e.manager_uuid);
  return {
    id,
    remote_id: id,
    employee_number: str(e.employee_code),
    first_name: first,
    last_name: last,
    display_full_name: display,
    nationality: null,
    job_title: str(job?.title) ?? str(e.title),
    work_email: str(e.work_email),
    personal_email: str(e.email),
    mobile_phone_number: str(e.phone),
    // Gusto never hands out the SSN (`ssn` "always returns an empty string").
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(e.date_of_birth),
    employment_status: mapEmploymentStatus(e, today),
    employment_type: employmentType,
    start_date: toDate(e.hired_at) ?? earliestHire ?? null,
    remote_created_at: null,
    termination_date: terminationDate(e),
    avatar: null,
    home_location: e.current_home_address ? toAddress(e.current_home_address) : null,
    work_location: job?.location ? toLocation(job.location) : null,
    manager: managerId
      ? { id: managerId, remote_id: managerId, first_name: null, last_name: null, work_email: null }
      : null,
    bank_account: null,
    employment_history: employmentHistory(e),
    compensation_history: compensations(e, employmentType),
    custom_fields: customFields(e),
    groups: departmentId
      ? [{ id: departmentId, remote_id: departmentId, name: str(e.department), type: 'department' }]
      : null,
    dependents: null,
    emergency_contacts: null,
  };
}

/** What an employee's `manager` takes from the manager's own record. */
export type ManagerFacts = Pick<Employee, 'first_name' | 'last_name' | 'work_email'>;

/** The facts `withManagers` needs of a manager: kept for the whole list, so not the whole record. */
export function managerFacts(e: Employee): ManagerFacts {
  return { first_name: e.first_name, last_name: e.last_name, work_email: e.work_email };
}

/**
 * Fills each manager's name and work email from the manager's own record, found in `known` (by default the same
 * list). Returns the same array.
 */
export function withManagers(
  employees: Employee[],
  known: ReadonlyMap<string, ManagerFacts> = new Map(employees.map((e) => [e.id, e])),
): Employee[] {
  for (const e of employees) {
    const manager = e.manager?.id ? known.get(e.manager.id) : undefined;
    if (e.manager && manager) {
      // The employee's own `manager` object (made by `toEmployee`), filled in place.
      e.manager.first_name = manager.first_name;
      e.manager.last_name = manager.last_name;
      e.manager.work_email = manager.work_email;
    }
  }
  return employees;
}
