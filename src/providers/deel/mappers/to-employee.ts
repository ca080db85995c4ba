/** Deel `GET /people` item → unified Employee. */
import { contractPayRate } from '../../numbers.js';
import type { Address, Employee, Group, Location } from '../../../model/index.js';
import type { DeelAddress, DeelDepartment, DeelEmployment, DeelPerson, DeelWorkingLocation } from '../raw.js';
import { leftovers, str, toCountry, toCurrency, toDate, toNumber } from './values.js';
import { departmentGroupId } from './to-group.js';
import {
  type EmploymentStatus,
  type EmploymentType,
  type PayFrequency,
  payPeriodWord,
} from '../../mapping.js';

/** Lookups the people list does not carry itself: departments and working locations are joined by name. */
export interface EmployeeLookups {
  departmentsByName: Map<string, DeelDepartment>;
  locationsByName: Map<string, DeelWorkingLocation>;
}

/** Deel `hiring_status` (the query enum: active, inactive, onboarding, offboarding). */
export function mapHiringStatus(status: string | undefined): EmploymentStatus | null {
  switch (status?.toLowerCase()) {
    case 'active':
      return 'active';
    // Offboarding people still work until their last day.
    case 'offboarding':
      return 'active';
    case 'inactive':
    case 'terminated':
      return 'inactive';
    case 'onboarding':
    case 'onboarding_overdue':
    case 'invited':
      return 'pending';
    default:
      return null;
  }
}

/**
 * Deel `hiring_type`. Deel says who employs the person (contractor, EOR, direct employee…) but not whether the
 * job is full- or part-time, so every employee kind maps to null rather than a guessed `full_time`; the raw
 * value stays in `custom_fields.hiring_type`.
 */
export function mapHiringType(type: string | undefined): EmploymentType | null {
  switch (type?.toLowerCase()) {
    case 'contractor':
    case 'contractor_outside_deel':
      return 'contractor';
    default:
      return null;
  }
}

/** Deel payment `scale` ("hourly, weekly, monthly, etc.") → the contract's pay_period words. */
export function mapPayPeriod(scale: string | undefined): string | null {
  const word = scale?.toLowerCase() ?? '';
  return DEEL_PAY_PERIODS.get(word) ?? payPeriodWord(word) ?? scale ?? null;
}

/** Deel's scales beyond the usual adverbs. */
const DEEL_PAY_PERIODS: ReadonlyMap<string, string> = new Map([
  ['biweekly', 'two weeks'],
  ['semimonthly', 'half month'],
]);

export function mapPayFrequency(scale: string | undefined): PayFrequency | null {
  switch (scale?.toLowerCase()) {
    case 'weekly':
      return 'weekly';
    case 'biweekly':
      return 'biweekly';
    case 'semimonthly':
      return 'semimonthly';
    case 'monthly':
      return 'monthly';
    case 'annually':
    case 'annual':
    case 'yearly':
      return 'year';
    case undefined:
      return null;
    default:
      return 'other';
  }
}

export function toAddress(raw: DeelAddress | undefined): Address | null {
  if (!raw) return null;
  return {
    street_address: str(raw.streetAddress),
    locality: str(raw.locality),
    administrative_area: str(raw.region),
    country: toCountry(raw.country),
    post_code: str(raw.postalCode),
  };
}

function email(person: DeelPerson, type: string): string | null {
  return str(person.emails?.find((e) => e.type?.toLowerCase() === type)?.value);
}

function workLocation(name: string | undefined, lookups: EmployeeLookups): Location | null {
  if (!name) return null;
  const found = lookups.locationsByName.get(name);
  return {
    id: str(found?.id),
    remote_id: str(found?.id),
    name,
    type: null,
    address: null,
  };
}

function groupsOf(person: DeelPerson, lookups: EmployeeLookups): Group[] {
  const groups: Group[] = [];
  const dept = person.department;
  if (dept?.name) {
    // `/departments` ids are numbers while the person's department id is a uuid; the name is the only join key
    // the spec gives, so the group id is the department list's id whenever the name resolves.
    const listed = lookups.departmentsByName.get(dept.name);
    const id = listed ? departmentGroupId(listed) : str(dept.id);
    groups.push({ id, remote_id: id, name: dept.name, type: 'department' });
  }
  const seen = new Set<string>();
  for (const e of person.employments ?? []) {
    const team = e.team;
    if (!team?.id || seen.has(team.id)) continue;
    seen.add(team.id);
    groups.push({ id: team.id, remote_id: team.id, name: str(team.name), type: 'team' });
  }
  return groups;
}

function employmentHistory(employments: DeelEmployment[]): Employee['employment_history'] {
  return employments.map((e) => ({
    job_title: str(e.job_title),
    effective_date: toDate(e.start_date),
    group_id: str(e.team?.id),
    group_remote_id: str(e.team?.id),
    group_name: str(e.team?.name),
    manager_id: null,
    manager_remote_id: null,
  }));
}

function compensationHistory(employments: DeelEmployment[]): Employee['compensation_history'] {
  return employments
    .filter((e) => e.payment !== undefined)
    .map((e) => ({
      pay_rate: contractPayRate(toNumber(e.payment?.rate)),
      pay_period: mapPayPeriod(e.payment?.scale),
      pay_frequency: mapPayFrequency(e.payment?.scale),
      employment_type: mapHiringType(e.hiring_type),
      currency: toCurrency(e.payment?.currency),
      effective_date: toDate(e.start_date),
      notes: str(e.payment?.contract_name),
    }));
}

function nationality(value: DeelPerson['nationalities']): string | null {
  if (Array.isArray(value)) return str(value[0]);
  return str(value);
}

const CONSUMED: ReadonlySet<string> = new Set([
  'id',
  'emails',
  'addresses',
  'full_name',
  'job_title',
  'last_name',
  'worker_id',
  'birth_date',
  'created_at',
  'department',
  'first_name',
  'start_date',
  'employments',
  'nationalities',
  'work_location',
  'direct_manager',
  'direct_employee_termination_last_day',
]);

export function toEmployee(person: DeelPerson, lookups: EmployeeLookups): Employee {
  const id = str(person.id) ?? '';
  const employments = person.employments ?? [];
  const primary = employments[0];
  const status = mapHiringStatus(person.hiring_status);
  const manager = person.direct_manager;
  const termination =
    toDate(person.direct_employee_termination_last_day) ??
    (status === 'inactive' ? toDate(person.completion_date ?? primary?.termination_last_day) : null);
  return {
    id,
    remote_id: id,
    employee_number: str(person.worker_id),
    first_name: person.first_name ?? '',
    last_name: person.last_name ?? '',
    display_full_name: str(person.full_name),
    nationality: nationality(person.nationalities),
    job_title: str(person.job_title),
    work_email: email(person, 'work') ?? str(primary?.work_email),
    personal_email: email(person, 'personal'),
    mobile_phone_number: null,
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(person.birth_date),
    employment_status: status,
    employment_type: mapHiringType(person.hiring_type ?? primary?.hiring_type),
    start_date: toDate(person.start_date),
    remote_created_at: toDate(person.created_at),
    termination_date: termination,
    avatar: null,
    home_location: toAddress(person.addresses?.[0]),
    work_location: workLocation(person.work_location, lookups),
    manager: manager?.id
      ? {
          id: manager.id,
          remote_id: manager.id,
          first_name: str(manager.first_name),
          last_name: str(manager.last_name),
          work_email: str(manager.work_email),
        }
      : null,
    bank_account: null,
    employment_history: employmentHistory(employments),
    compensation_history: compensationHistory(employments),
    // hiring_type and hiring_status stay here too: the unified enums cannot hold all they say.
    custom_fields: leftovers(person, CONSUMED),
    groups: groupsOf(person, lookups),
    dependents: null,
    emergency_contacts: null,
  };
}
