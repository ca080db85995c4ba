/**
 * `employees_employee` → unified Employee. The employee record has no job, hire date or salary: those live on its
 * contract versions (`contracts_contract_version`), one per change, so the current job title, start date, employment
 * type and the employment and compensation histories come from them. Teams list their members (`employee_ids`);
 * the work location and manager are ids resolved against the other lists.
 */
import { contractPayRate } from '../../numbers.js';
import type { Employee, Group, Location } from '../../../model/index.js';
import type { FactorialContractVersion, FactorialEmployee } from '../raw.js';
import { opaqueId, street, text, toCountry, toCurrency, toDate } from './values.js';
import type { Compensation, EmploymentStatus, EmploymentType, Gender, PayFrequency } from '../../mapping.js';

/** What the employee record points at, read from the other lists once per listing. */
export interface EmployeeLookups {
  /** Raw employees by Factorial id (managers). */
  employees: Map<string, FactorialEmployee>;
  /** Contract versions by employee id, any order. */
  contracts: Map<string, FactorialContractVersion[]>;
  /** Unified team groups by employee id. */
  teams: Map<string, Group[]>;
  /** Unified locations by Factorial location id. */
  locations: Map<string, Location>;
  /** ISO 4217 currency of each legal entity, by legal entity id (salaries are in it). */
  currencies: Map<string, string>;
  /** `YYYY-MM-DD`: versions effective after it are future changes, not the current contract. */
  today: string;
}

/** Factorial documents `male | female`; anything else it may send is not one of the contract's two. */
export function mapGender(gender: unknown): Gender | null {
  switch (typeof gender === 'string' ? gender.toLowerCase() : gender) {
    case 'male':
      return 'male';
    case 'female':
      return 'female';
    case null:
    case undefined:
    case '':
      return null;
    default:
      return 'not_specified';
  }
}

/**
 * `active` is false once the employee is terminated; `is_terminating` employees still work until `terminated_on`.
 * Someone whose first contract starts after today has been hired but not started.
 */
export function mapEmploymentStatus(
  raw: FactorialEmployee,
  current: FactorialContractVersion | undefined,
  today: string,
): EmploymentStatus | null {
  if (raw.active === false) return 'inactive';
  const start = toDate(current?.starts_on);
  if (start && start > today) return 'pending';
  if (raw.active === true) return 'active';
  return null;
}

/** Part time is what the contract says it is: a working-time percentage below 100 % (10000 in cents). */
export function mapEmploymentType(version: FactorialContractVersion | undefined): EmploymentType | null {
  const pct = version?.working_time_percentage_in_cents;
  if (typeof pct !== 'number' || !Number.isFinite(pct) || pct <= 0) return null;
  return pct >= 10_000 ? 'full_time' : 'part_time';
}

/**
 * `salary_frequency` (free text; the spec's examples are `yearly` and `monthly`) → the contract's `pay_period` words
 * and `pay_frequency` enum. Factorial states one frequency for both the rate and the payment.
 */
export function mapSalaryFrequency(frequency: unknown): {
  period: string | null;
  frequency: PayFrequency | null;
} {
  const f = typeof frequency === 'string' ? frequency.trim().toLowerCase() : '';
  switch (f) {
    case 'yearly':
    case 'annual':
    case 'annually':
      return { period: 'year', frequency: 'year' };
    case 'monthly':
      return { period: 'month', frequency: 'monthly' };
    case 'biweekly':
      return { period: 'two weeks', frequency: 'biweekly' };
    case 'weekly':
      return { period: 'week', frequency: 'weekly' };
    case 'daily':
      return { period: 'day', frequency: 'other' };
    case 'hourly':
      return { period: 'hour', frequency: 'other' };
    case '':
      return { period: null, frequency: null };
    default:
      return { period: f, frequency: 'other' };
  }
}

/** A contract version and the day it took effect (`effective_on`, read once). */
export interface DatedVersion {
  version: FactorialContractVersion;
  day: string;
}

/** Versions in the order they took effect (ties by id, which Factorial assigns in creation order); undated left out. */
export function contractTimeline(versions: readonly FactorialContractVersion[]): DatedVersion[] {
  const dated: Array<DatedVersion & { id: number }> = [];
  for (const version of versions) {
    const day = toDate(version.effective_on);
    if (day !== null) dated.push({ version, day, id: Number(version.id ?? 0) });
  }
  if (dated.length > 1) dated.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id - b.id));
  return dated;
}

/** The version in force today: the last one effective on or before today, else the first (a future hire). */
export function currentContract(
  timeline: readonly DatedVersion[],
  today: string,
): FactorialContractVersion | undefined {
  let current: FactorialContractVersion | undefined;
  for (const { version, day } of timeline) if (day <= today) current = version;
  return current ?? timeline[0]?.version;
}

/**
 * One entry per version that states a salary. `salary_amount` is in cents ("the amount of money the employee earns
 * in cents"), so `pay_rate` = amount / 100 in major units per `pay_period`, as the contract has it.
 */
export function toCompensation(
  { version, day }: DatedVersion,
  currency: string | undefined,
): Compensation | null {
  const cents = version.salary_amount;
  if (typeof cents !== 'number' || !Number.isFinite(cents)) return null;
  const { period, frequency } = mapSalaryFrequency(version.salary_frequency);
  return {
    pay_rate: contractPayRate(cents / 100),
    pay_period: period,
    pay_frequency: frequency,
    employment_type: mapEmploymentType(version),
    currency: toCurrency(currency),
    effective_date: day,
    notes: null,
  };
}

/** National identifier types that are tax numbers (Spain's DNI/NIE double as the NIF); a passport is not. */
function taxIdOf(raw: FactorialEmployee): string | null {
  switch (raw.identifier_type?.toLowerCase()) {
    case 'dni':
    case 'nie':
    case 'nif':
    case 'tin':
    case 'tax_id':
      return text(raw.identifier);
    default:
      return null;
  }
}

/** Keys this mapper turns into contract fields; the rest of the record goes to `custom_fields`. */
const CONSUMED = [
  'id',
  'first_name',
  'last_name',
  'full_name',
  'gender',
  'email',
  'login_email',
  'birthday_on',
  'nationality',
  'address_line_1',
  'address_line_2',
  'postal_code',
  'city',
  'state',
  'country',
  'bank_number',
  'swift_bic',
  'location_id',
  'created_at',
  'terminated_on',
  'manager_id',
  'phone_number',
  'company_identifier',
  'contact_name',
  'contact_number',
  'personal_email',
  'active',
] as const;

const CONSUMED_KEYS: ReadonlySet<string> = new Set(CONSUMED);

function leftovers(raw: FactorialEmployee): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  // `Object.keys` (own keys only) of a parsed record is cheaper than `for…in` with an own-key check.
  for (const k of Object.keys(raw)) {
    if (CONSUMED_KEYS.has(k)) continue;
    const v = (raw as Record<string, unknown>)[k];
    if (v === undefined || v === null) continue;
    out ??= {};
    out[k] = v;
  }
  return out;
}

/** The manager reference of an employee: its ids, and its name and work email when the manager was listed. */
export function managerOf(
  managerId: string,
  manager: FactorialEmployee | undefined,
): NonNullable<Employee['manager']> {
  return {
    id: opaqueId('employee', managerId),
    remote_id: managerId,
    first_name: text(manager?.first_name),
    last_name: text(manager?.last_name),
    work_email: text(manager?.email) ?? text(manager?.login_email),
  };
}

export function toEmployee(raw: FactorialEmployee, lookups: EmployeeLookups): Employee {
  const id = text(raw.id) ?? '';
  const timeline = contractTimeline(lookups.contracts.get(id) ?? []);
  const current = currentContract(timeline, lookups.today);
  const currency = raw.legal_entity_id ? lookups.currencies.get(raw.legal_entity_id) : undefined;
  const managerId = text(raw.manager_id);
  const manager = managerId ? lookups.employees.get(managerId) : undefined;
  const bank = text(raw.bank_number);
  const iban = raw.bank_number_format === 'iban';
  const home = {
    street_address: street(raw.address_line_1, raw.address_line_2),
    locality: text(raw.city),
    administrative_area: text(raw.state),
    country: toCountry(raw.country),
    post_code: text(raw.postal_code),
  };
  const compensation: Compensation[] = [];
  for (const dated of timeline) {
    const c = toCompensation(dated, currency);
    if (c) compensation.push(c);
  }
  return {
    id: opaqueId('employee', id),
    remote_id: id,
    employee_number: text(raw.company_identifier),
    first_name: text(raw.first_name) ?? '',
    last_name: text(raw.last_name) ?? '',
    display_full_name: text(raw.full_name),
    nationality: toCountry(raw.nationality) ?? text(raw.nationality),
    job_title: text(current?.job_title),
    // Factorial's `email` is the address the employee signs in with, i.e. the work one; `personal_email` is apart.
    work_email: text(raw.email) ?? text(raw.login_email),
    personal_email: text(raw.personal_email),
    mobile_phone_number: text(raw.phone_number),
    tax_id: taxIdOf(raw),
    gender: mapGender(raw.gender),
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(raw.birthday_on),
    employment_status: mapEmploymentStatus(raw, current, lookups.today),
    employment_type: mapEmploymentType(current),
    start_date: toDate(current?.starts_on),
    remote_created_at: toDate(raw.created_at),
    termination_date: toDate(raw.terminated_on),
    avatar: null,
    home_location: Object.values(home).some((v) => v !== null) ? home : null,
    work_location: (raw.location_id && lookups.locations.get(raw.location_id)) || null,
    manager: managerId === null ? null : managerOf(managerId, manager),
    bank_account:
      bank === null
        ? null
        : {
            account_number: iban ? null : bank,
            bank_name: null,
            bic: text(raw.swift_bic),
            holder_name: null,
            iban: iban ? bank : null,
          },
    employment_history:
      timeline.length === 0
        ? null
        : timeline.map(({ version, day }) => ({
            job_title: text(version.job_title),
            effective_date: day,
            group_id: null,
            group_remote_id: null,
            group_name: null,
            manager_id: null,
            manager_remote_id: null,
          })),
    compensation_history: compensation.length === 0 ? null : compensation,
    custom_fields: leftovers(raw),
    groups: lookups.teams.get(id) ?? null,
    dependents: null,
    emergency_contacts:
      text(raw.contact_name) === null && text(raw.contact_number) === null
        ? null
        : [
            {
              // Factorial keeps the contact's name in one field.
              first_name: text(raw.contact_name),
              last_name: null,
              relationship: null,
              mobile_phone_number: text(raw.contact_number),
              primary_contact: true,
            },
          ],
  };
}
