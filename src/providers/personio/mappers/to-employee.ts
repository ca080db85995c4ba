/** Personio employee (attribute wrappers) → unified Employee. */
import { contractPayRate } from '../../numbers.js';
import type { Address, Currency, Employee } from '../../../model/index.js';
import type { PersonioEmployee, PersonioEmployeeAttributes } from '../raw.js';
import {
  asNumber,
  asRef,
  asString,
  attrString,
  attrValue,
  byUniversalId,
  shortEmployeeField,
  shortEmployeeId,
} from './attributes.js';
import { calendarDate, instantDate } from '../../dates.js';
import { opaqueId, remoteId } from './ids.js';
import { employeeGroups } from './to-group.js';
import { AddressTally, officeKey, toLocation } from './to-location.js';
import type { Compensation } from '../../mapping.js';

export interface EmployeeMapContext {
  /** Every fetched employee by remote id: a supervisor reference may carry only an id, its names come from here. */
  byId?: ReadonlyMap<string, PersonioEmployee>;
  /** Office id → derived address (to-location.ts), so an employee's work location matches `work-locations`. */
  officeAddresses?: ReadonlyMap<string, Address | null>;
}

/** Standard attributes this mapper reads; any other attribute goes to `custom_fields`. */
const CONSUMED = new Set([
  'id',
  'first_name',
  'last_name',
  'preferred_name',
  'email',
  'gender',
  'status',
  'position',
  'supervisor',
  'employment_type',
  'hire_date',
  'termination_date',
  'created_at',
  'subcompany',
  'office',
  'department',
  'team',
  'cost_centers',
  'fix_salary',
  'fix_salary_interval',
  'hourly_salary',
  'profile_picture',
]);

/**
 * Dynamic attributes read through their `universal_id`. Only `iban` and `date_of_birth` appear in the published
 * spec; the others are Personio's names for the same kind of profile fields and are read when present.
 */
const UNIVERSAL = {
  iban: 'iban',
  bic: 'bic',
  bankName: 'bank_name',
  holder: 'bank_account_holder',
  dateOfBirth: 'date_of_birth',
  nationality: 'nationality',
  phone: 'phone',
  mobilePhone: 'mobile_phone',
  privateEmail: 'private_email',
  taxId: 'tax_id',
  employeeNumber: 'employee_number',
  maritalStatus: 'marital_status',
} as const;
const UNIVERSAL_IDS = new Set<string>(Object.values(UNIVERSAL));

/** Personio `gender` → contract gender. `diverse` has no counterpart, so it maps to null (raw kept in custom_fields). */
export function mapGender(v: string | null): Employee['gender'] {
  switch (v?.toLowerCase()) {
    case 'male':
      return 'male';
    case 'female':
      return 'female';
    case 'not_specified':
    case 'unspecified':
      return 'not_specified';
    default:
      return null;
  }
}

/** Personio `status` (onboarding, active, leave, inactive) → contract employment status. */
export function mapStatus(v: string | null): Employee['employment_status'] {
  switch (v?.toLowerCase()) {
    case 'active':
      return 'active';
    case 'inactive':
      return 'inactive';
    case 'onboarding':
      return 'pending';
    case 'leave':
      return 'leave';
    default:
      return null;
  }
}

/** Below this many weekly hours an internal employee counts as part time (a German full-time week is 38–40 h). */
export const PART_TIME_BELOW_HOURS = 30;

/**
 * Personio `employment_type` is only `internal` / `external`: external staff are contractors; internal staff are
 * full or part time by their weekly hours, and null when Personio does not say how many.
 */
export function mapEmploymentType(v: string | null, weeklyHours: number | null): Employee['employment_type'] {
  switch (v?.toLowerCase()) {
    case 'external':
      return 'contractor';
    case 'internal':
      if (weeklyHours === null) return null;
      return weeklyHours < PART_TIME_BELOW_HOURS ? 'part_time' : 'full_time';
    default:
      return null;
  }
}

export function mapMaritalStatus(v: string | null): Employee['marital_status'] {
  switch (v?.toLowerCase()) {
    case 'single':
      return 'single';
    case 'married':
      return 'married';
    case 'divorced':
      return 'divorced';
    case null:
    case undefined:
      return null;
    default:
      return 'other';
  }
}

export function mapCurrency(v: string | null | undefined): Currency | null {
  switch (v?.toUpperCase()) {
    case 'EUR':
      return 'eur';
    case 'GBP':
      return 'gbp';
    case 'USD':
      return 'usd';
    case 'SEK':
      return 'sek';
    case 'CAD':
      return 'cad';
    default:
      return null;
  }
}

/** Personio `fix_salary_interval` → [pay_period (free text), pay_frequency]. */
export function mapSalaryInterval(v: string | null): [string | null, Compensation['pay_frequency']] {
  switch (v?.toLowerCase()) {
    case 'monthly':
      return ['month', 'monthly'];
    case 'yearly':
    case 'annually':
    case 'annual':
      return ['year', 'year'];
    case 'weekly':
      return ['week', 'weekly'];
    case null:
    case undefined:
      return [null, null];
    default:
      return [v, 'other'];
  }
}

/**
 * Personio v1 keeps only the current salary (no history and no effective date), so the history has at most one row:
 * the fixed salary when it is set, else the hourly rate. `pay_rate` is in major units per `pay_period`, as the
 * contract wants.
 */
function compensation(
  attrs: PersonioEmployeeAttributes,
  employmentType: Employee['employment_type'],
): Compensation[] | null {
  const fix = asNumber(attrValue(attrs, 'fix_salary'));
  const hourly = asNumber(attrValue(attrs, 'hourly_salary'));
  if (fix !== null && fix > 0) {
    const [period, frequency] = mapSalaryInterval(attrString(attrs, 'fix_salary_interval'));
    return [
      {
        pay_rate: contractPayRate(fix),
        pay_period: period,
        pay_frequency: frequency,
        employment_type: employmentType,
        currency: mapCurrency(attrs.fix_salary?.currency),
        effective_date: null,
        notes: null,
      },
    ];
  }
  if (hourly !== null && hourly > 0) {
    return [
      {
        pay_rate: contractPayRate(hourly),
        pay_period: 'hour',
        pay_frequency: null,
        employment_type: employmentType,
        currency: mapCurrency(attrs.hourly_salary?.currency),
        effective_date: null,
        notes: null,
      },
    ];
  }
  return null;
}

export function toEmployee(raw: PersonioEmployee, ctx: EmployeeMapContext = {}): Employee {
  const a = raw.attributes;
  const id = remoteId(attrValue(a, 'id') as number | string);
  const uni = byUniversalId(a);
  const uniString = (u: string) => asString(uni.get(u)?.value);

  const firstName = attrString(a, 'first_name') ?? '';
  const lastName = attrString(a, 'last_name') ?? '';
  const genderRaw = attrString(a, 'gender');
  const statusRaw = attrString(a, 'status');
  const typeRaw = attrString(a, 'employment_type');
  const weeklyHours = asNumber(attrValue(a, 'weekly_working_hours'));
  const employmentType = mapEmploymentType(typeRaw, weeklyHours);

  const supervisor = attrValue(a, 'supervisor');
  const managerId = shortEmployeeId(supervisor);
  let manager: Employee['manager'] = null;
  if (managerId !== null) {
    const known = ctx.byId?.get(String(managerId))?.attributes;
    manager = {
      id: opaqueId('employee', managerId),
      remote_id: remoteId(managerId),
      first_name:
        shortEmployeeField(supervisor, 'first_name') ?? (known ? attrString(known, 'first_name') : null),
      last_name:
        shortEmployeeField(supervisor, 'last_name') ?? (known ? attrString(known, 'last_name') : null),
      work_email: shortEmployeeField(supervisor, 'email') ?? (known ? attrString(known, 'email') : null),
    };
  }

  const office = asRef(attrValue(a, 'office'));
  const department = asRef(attrValue(a, 'department'));
  const position = attrString(a, 'position');
  const groups = employeeGroups(raw);

  const iban = uniString(UNIVERSAL.iban);
  const bic = uniString(UNIVERSAL.bic);
  const bankAccount: Employee['bank_account'] =
    iban || bic
      ? {
          account_number: null,
          bank_name: uniString(UNIVERSAL.bankName),
          bic,
          holder_name: uniString(UNIVERSAL.holder),
          iban,
        }
      : null;

  // Unmapped attributes keep their raw value: standard ones under their key, dynamic ones under the label the
  // Personio admin gave them (the key `dynamic_24407` means nothing to a reader) unless two labels collide.
  const custom: Record<string, unknown> = {};
  for (const [key, attr] of Object.entries(a)) {
    if (!attr || CONSUMED.has(key)) continue;
    if (key.startsWith('dynamic_')) {
      if (typeof attr.universal_id === 'string' && UNIVERSAL_IDS.has(attr.universal_id)) continue;
      const label = typeof attr.label === 'string' && attr.label !== '' ? attr.label : key;
      custom[label in custom ? key : label] = attr.value;
    } else {
      custom[key] = attr.value;
    }
  }
  if (genderRaw !== null && mapGender(genderRaw) === null) custom['gender'] = genderRaw;
  if (statusRaw !== null && mapStatus(statusRaw) === null) custom['status'] = statusRaw;

  return {
    id: opaqueId('employee', id),
    remote_id: id,
    employee_number: uniString(UNIVERSAL.employeeNumber),
    first_name: firstName,
    last_name: lastName,
    display_full_name:
      attrString(a, 'preferred_name') ?? ([firstName, lastName].filter(Boolean).join(' ') || null),
    nationality: uniString(UNIVERSAL.nationality),
    job_title: position,
    work_email: attrString(a, 'email'),
    personal_email: uniString(UNIVERSAL.privateEmail),
    mobile_phone_number: uniString(UNIVERSAL.mobilePhone) ?? uniString(UNIVERSAL.phone),
    tax_id: uniString(UNIVERSAL.taxId),
    gender: mapGender(genderRaw),
    ethnicity: null,
    marital_status: mapMaritalStatus(uniString(UNIVERSAL.maritalStatus)),
    date_of_birth: calendarDate(uni.get(UNIVERSAL.dateOfBirth)?.value),
    employment_status: mapStatus(statusRaw),
    employment_type: employmentType,
    start_date: calendarDate(attrValue(a, 'hire_date')),
    remote_created_at: instantDate(attrValue(a, 'created_at')),
    termination_date: calendarDate(attrValue(a, 'termination_date')),
    avatar: attrString(a, 'profile_picture'),
    home_location: null,
    work_location: office ? toLocation(office, ctx.officeAddresses?.get(String(office.id)) ?? null) : null,
    manager,
    bank_account: bankAccount,
    // Personio v1 exposes only the current position, department and supervisor, without a date: one row, undated.
    employment_history:
      position || department || managerId !== null
        ? [
            {
              job_title: position,
              effective_date: null,
              group_id: department ? opaqueId('department', department.id) : null,
              group_remote_id: department ? remoteId(department.id) : null,
              group_name: department?.name ?? null,
              manager_id: managerId !== null ? opaqueId('employee', managerId) : null,
              manager_remote_id: managerId !== null ? remoteId(managerId) : null,
            },
          ]
        : null,
    compensation_history: compensation(a, employmentType),
    custom_fields: Object.keys(custom).length > 0 ? custom : null,
    groups,
    dependents: null,
    emergency_contacts: null,
  };
}

/** What `completeEmployees` needs of a raw employee after its page is gone. */
export interface EmployeeFacts {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  office: string | null;
  calendar: unknown;
}

export function employeeFacts(raw: PersonioEmployee): EmployeeFacts {
  const a = raw.attributes;
  return {
    id: String(a.id?.value),
    first_name: attrString(a, 'first_name'),
    last_name: attrString(a, 'last_name'),
    email: attrString(a, 'email'),
    office: officeKey(raw),
    calendar: attrValue(a, 'holiday_calendar'),
  };
}

/**
 * The whole list as `toEmployee` with `{ byId, officeAddresses }` over every raw employee would map it, from rows
 * mapped page by page without that context (so each raw page can be dropped once mapped): supervisor names the
 * reference lacks come from the supervisor's own record, and office addresses from every employee's calendar.
 */
export function completeEmployees(
  rows: ReadonlyArray<{ employee: Employee; facts: EmployeeFacts }>,
): Employee[] {
  const known = new Map<string, EmployeeFacts>();
  const offices = new AddressTally();
  for (const { facts } of rows) {
    known.set(facts.id, facts);
    offices.add(facts.office, facts.calendar);
  }
  const officeAddresses = offices.result();
  return rows.map(({ employee }) => {
    const manager = employee.manager;
    const boss = manager ? known.get(manager.remote_id ?? '') : undefined;
    if (manager && boss) {
      manager.first_name ??= boss.first_name;
      manager.last_name ??= boss.last_name;
      manager.work_email ??= boss.email;
    }
    const office = employee.work_location;
    if (office) office.address = officeAddresses.get(office.remote_id ?? '') ?? null;
    return employee;
  });
}
