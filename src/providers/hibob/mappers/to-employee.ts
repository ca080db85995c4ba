/**
 * A HiBob employee (`POST /people/search`, machine format) → the unified Employee.
 *
 * List fields (department, gender, lifecycle status, employment type and contract, nationality) hold a named-list
 * item id in machine format. Their names come from a `humanReadable` node when HiBob sent one, else from the
 * company's lists (HiBob's documented flow: the fields metadata names each field's list), else the raw value is
 * taken as the name (HiBob's own examples send names). Ids stay machine values, so a department's id here is the
 * id `groups` lists.
 */
import type { Employee, Group, Location } from '../../../model/index.js';
import type { HibobEmployee, HibobPersonRef, HibobSalaryEntry } from '../raw.js';
import { toCompensationHistory } from './to-compensation.js';
import { first, squash, str, toCountry, toDate } from './values.js';
import { type EmploymentStatus, type EmploymentType, type Gender, member } from '../../mapping.js';

/**
 * The HiBob field ids the employee list asks for (HiBob's fields metadata names them so; `root.*` are the basic
 * fields every employee has). The adapter sends only those the account's `GET /company/people/fields` lists.
 */
export const EMPLOYEE_FIELDS = [
  'root.id',
  'root.firstName',
  'root.surname',
  'root.email',
  'root.displayName',
  'root.creationDateTime',
  'root.avatarUrl',
  'root.companyId',
  'work.title',
  'work.department',
  'work.site',
  'work.siteId',
  'work.startDate',
  'work.reportsTo',
  'work.employeeIdInCompany',
  'work.mobilePhone',
  'internal.status',
  'internal.terminationDate',
  'internal.lifecycleStatus',
  'personal.gender',
  'personal.birthDate',
  'personal.nationality',
  'home.mobilePhone',
  'home.privateEmail',
  'address.line1',
  'address.line2',
  'address.city',
  'address.postCode',
  'address.state',
  'address.country',
  'payroll.employment.type',
  'payroll.employment.contract',
] as const;

/** A custom field asked for by id, reported under its name. */
export interface CustomField {
  id: string;
  name: string;
}

/** The name of item `value` of the list field `fieldId` holds; null when the field is no list or the item unknown. */
export type ListNames = (fieldId: string, value: string) => string | null;

export interface EmployeeExtras {
  /** The employee's salary entries; null when unknown (no payroll permission for them). */
  salaries: readonly HibobSalaryEntry[] | null;
  customFields?: readonly CustomField[];
  lists?: ListNames;
}

/**
 * Where field `id` is in an employee: its nested path (`root.*` at the top level, custom fields under their
 * category's `custom`) and its flat key (`/work/title`). Split once per id, as every employee asks.
 */
const paths = new Map<string, { nested: string[]; flat: string }>();
export function fieldPath(id: string): { nested: string[]; flat: string } {
  let found = paths.get(id);
  if (!found) {
    const parts = id.split('.');
    found = { nested: parts[0] === 'root' ? parts.slice(1) : parts, flat: `/${parts.join('/')}` };
    paths.set(id, found);
  }
  return found;
}

/** The value of HiBob field `id` (`work.title`): nested form first, then the flat `/work/title` form. */
export function fieldValue(employee: HibobEmployee, id: string): unknown {
  const { nested, flat } = fieldPath(id);
  let value: unknown = employee;
  for (const part of nested) {
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (value !== undefined) return value;
  const wrapped = employee[flat];
  return wrapped !== null && typeof wrapped === 'object' ? (wrapped as { value?: unknown }).value : undefined;
}

/** A list field's name: humanReadable, else the company list's item, else the value itself. */
function nameOf(employee: HibobEmployee, id: string, lists: ListNames | undefined): string | null {
  const human = employee.humanReadable
    ? first(fieldValue(employee.humanReadable as HibobEmployee, id))
    : null;
  if (human) return human;
  const value = first(fieldValue(employee, id));
  return value === null ? null : (lists?.(id, value) ?? value);
}

/** `internal.lifecycleStatus` names first (they tell leave and pre-hire apart), then `internal.status`. */
export function mapEmploymentStatus(
  lifecycle: string | null,
  status: string | null,
): EmploymentStatus | null {
  switch (lifecycle ? squash(lifecycle) : '') {
    case 'employed':
    case 'active':
      return 'active';
    case 'hired':
    case 'preboarding':
    case 'onboarding':
      return 'pending';
    case 'leave':
    case 'onleave':
    case 'gardenleave':
    case 'parentalleave':
    case 'maternityleave':
    case 'paternityleave':
    case 'sabbatical':
      return 'leave';
    case 'terminated':
    case 'inactive':
      return 'inactive';
  }
  return member(['active', 'inactive'], status ? squash(status) : '');
}

/**
 * HiBob's employment `type` (Permanent, Temporary, Apprentice, Contractor, custom) and `contract` (Full-Time,
 * Part-Time, Shifts) → one contract value: a contractor is one whatever their hours; otherwise the contract decides.
 */
export function mapEmploymentType(type: string | null, contract: string | null): EmploymentType | null {
  switch (type ? squash(type) : '') {
    case 'contractor':
    case 'freelancer':
    case 'freelance':
      return 'contractor';
  }
  switch (contract ? squash(contract) : '') {
    case 'fulltime':
      return 'full_time';
    case 'parttime':
      return 'part_time';
    case '':
      return type ? 'other' : null;
    default:
      return 'other';
  }
}

export function mapGender(gender: string | null): Gender | null {
  if (!gender) return null;
  switch (squash(gender)) {
    case 'male':
    case 'man':
      return 'male';
    case 'female':
    case 'woman':
      return 'female';
    // Non-binary, other and "prefer not to say" have no value of their own in the contract.
    default:
      return 'not_specified';
  }
}

function manager(ref: unknown): Employee['manager'] {
  if (ref === null || typeof ref !== 'object') return null;
  const r = ref as HibobPersonRef;
  const id = str(r.id);
  if (!id) return null;
  return {
    id,
    remote_id: id,
    first_name: str(r.firstName),
    last_name: str(r.surname),
    work_email: str(r.email),
  };
}

type Named = (id: string) => string | null;

function homeLocation(e: HibobEmployee, named: Named): Employee['home_location'] {
  const line1 = str(fieldValue(e, 'address.line1'));
  const line2 = str(fieldValue(e, 'address.line2'));
  const address = {
    street_address: line1 && line2 ? `${line1}, ${line2}` : (line1 ?? line2),
    locality: str(fieldValue(e, 'address.city')),
    administrative_area: named('address.state'),
    country: toCountry(named('address.country')),
    post_code: str(fieldValue(e, 'address.postCode')),
  };
  return address.street_address === null &&
    address.locality === null &&
    address.administrative_area === null &&
    address.country === null &&
    address.post_code === null
    ? null
    : address;
}

function workLocation(e: HibobEmployee, named: Named): Location | null {
  const id = str(fieldValue(e, 'work.siteId'));
  const name = named('work.site');
  if (!id && !name) return null;
  return { id, remote_id: id, name, type: 'site', address: null };
}

function groups(e: HibobEmployee, named: Named): Group[] | null {
  const id = str(fieldValue(e, 'work.department'));
  if (!id) return null;
  return [{ id, remote_id: id, name: named('work.department'), type: 'department' }];
}

function customFields(e: HibobEmployee, fields: readonly CustomField[]): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const f of fields) {
    const value = fieldValue(e, f.id);
    if (value === undefined || value === null) continue;
    out ??= {};
    out[f.name] = value;
  }
  return out;
}

/** The employee's HiBob id (nested or flat form); null for anything that is not an employee. */
export function employeeId(e: HibobEmployee): string | null {
  return str(fieldValue(e, 'root.id'));
}

export function toEmployee(e: HibobEmployee, extras: EmployeeExtras): Employee {
  const id = employeeId(e) ?? '';
  const named: Named = (field) => nameOf(e, field, extras.lists);
  return {
    id,
    remote_id: id,
    employee_number: str(fieldValue(e, 'work.employeeIdInCompany')),
    // The contract's names are plain strings, never null; an employee without one (the spec's own example) keeps ''.
    first_name: str(fieldValue(e, 'root.firstName')) ?? '',
    last_name: str(fieldValue(e, 'root.surname')) ?? '',
    display_full_name: str(fieldValue(e, 'root.displayName')) ?? str(fieldValue(e, 'root.fullName')),
    nationality: named('personal.nationality'),
    job_title: named('work.title'),
    work_email: str(fieldValue(e, 'root.email')),
    personal_email: str(fieldValue(e, 'home.privateEmail')),
    mobile_phone_number: str(fieldValue(e, 'home.mobilePhone')) ?? str(fieldValue(e, 'work.mobilePhone')),
    tax_id: null,
    gender: mapGender(named('personal.gender')),
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(fieldValue(e, 'personal.birthDate')),
    employment_status: mapEmploymentStatus(named('internal.lifecycleStatus'), named('internal.status')),
    employment_type: mapEmploymentType(
      named('payroll.employment.type'),
      named('payroll.employment.contract'),
    ),
    start_date: toDate(fieldValue(e, 'work.startDate')),
    remote_created_at: toDate(fieldValue(e, 'root.creationDateTime')),
    termination_date: toDate(fieldValue(e, 'internal.terminationDate')),
    avatar: str(fieldValue(e, 'root.avatarUrl')),
    home_location: homeLocation(e, named),
    work_location: workLocation(e, named),
    manager: manager(fieldValue(e, 'work.reportsTo')),
    bank_account: null,
    employment_history: null,
    compensation_history: extras.salaries ? toCompensationHistory(extras.salaries) : null,
    custom_fields: customFields(e, extras.customFields ?? []),
    groups: groups(e, named),
    dependents: null,
    emergency_contacts: null,
  };
}
