/**
 * A HiBob employee (`POST /people/search`, machine format) → the unified Employee.
 *
 * List fields (department, gender, lifecycle status, employment type and contract, nationality) hold a named-list
 * item id in machine format. Their names come from a `humanReadable` node when HiBob sent one, else from the
 * company's lists (HiBob's documented flow: the fields metadata names each field's list), else the raw value is
 * taken as the name (HiBob's own examples send names). Ids stay machine values, so a department's id here is the
 * id `groups` lists.
 */
import type { Employee } from '../../../model/index.js';
import type { HibobEmployee, HibobPersonRef, HibobSalaryEntry } from '../raw.js';
import { toCompensationHistory } from './to-compensation.js';
import { first, squash, str, toCountry, toDate } from './values.js';
import { type EmploymentStatus, type EmploymentType, type Gender, member } from '../../mapping.js';

/**
 * The HiBob field ids the employee list asks for (HiBob's fields metadata names them so; `root.*` are the basic
 * fields every employee has), and no others: HiBob sends each field twice (nested and as `/work/title`), and parsing
 * the searches is the largest part of a walk's CPU. The adapter sends only those the account's
 * `GET /company/people/fields` lists. `toEmployee` reads every one of them.
 */
export const EMPLOYEE_FIELDS = [
  'root.id',
  'root.firstName',
  'root.surname',
  'root.email',
  'root.displayName',
  'root.creationDateTime',
  'root.avatarUrl',
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

/** The object `value` is (arrays included, as `fieldValue` walks them), else undefined. */
function node(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/**
 * A field's value as `fieldValue` reads it, from its nested value and its flat wrapper already looked up: the
 * nested form when HiBob sent it, else the flat form's `value`. `toEmployee` reads each field by name through this
 * (one property read per level, the same few object shapes every time) rather than by walking the field's path.
 */
function either(nested: unknown, flat: unknown): unknown {
  return nested !== undefined ? nested : node(flat)?.value;
}

/**
 * A list field's name: humanReadable, else the company list's item, else the value itself. `value` is the field's
 * machine value (`either`), `human` the employee's humanReadable node when it has one.
 */
function nameOf(human: unknown, id: string, value: unknown, lists: ListNames | undefined): string | null {
  if (human) {
    const name = first(fieldValue(human as HibobEmployee, id));
    if (name) return name;
  }
  const machine = first(value);
  return machine === null ? null : (lists?.(id, machine) ?? machine);
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

function homeLocation(
  address: Record<string, unknown> | undefined,
  e: HibobEmployee,
  human: unknown,
  lists: ListNames | undefined,
): Employee['home_location'] {
  const line1 = str(either(address?.line1, e['/address/line1']));
  const line2 = str(either(address?.line2, e['/address/line2']));
  const street = line1 && line2 ? `${line1}, ${line2}` : (line1 ?? line2);
  const locality = str(either(address?.city, e['/address/city']));
  const area = nameOf(human, 'address.state', either(address?.state, e['/address/state']), lists);
  const country = toCountry(
    nameOf(human, 'address.country', either(address?.country, e['/address/country']), lists),
  );
  const postCode = str(either(address?.postCode, e['/address/postCode']));
  return street === null && locality === null && area === null && country === null && postCode === null
    ? null
    : {
        street_address: street,
        locality,
        administrative_area: area,
        country,
        post_code: postCode,
      };
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
  return str(either(e.id, e['/root/id']));
}

export function toEmployee(e: HibobEmployee, extras: EmployeeExtras): Employee {
  const id = employeeId(e) ?? '';
  const lists = extras.lists;
  const human = e.humanReadable;
  const work = node(e.work);
  const internal = node(e.internal);
  const personal = node(e.personal);
  const home = node(e.home);
  const employment = node(node(e.payroll)?.employment);
  const siteId = str(either(work?.siteId, e['/work/siteId']));
  const site = nameOf(human, 'work.site', either(work?.site, e['/work/site']), lists);
  const department = str(either(work?.department, e['/work/department']));
  return {
    id,
    remote_id: id,
    employee_number: str(either(work?.employeeIdInCompany, e['/work/employeeIdInCompany'])),
    // The contract's names are plain strings, never null; an employee without one (the spec's own example) keeps ''.
    first_name: str(either(e.firstName, e['/root/firstName'])) ?? '',
    last_name: str(either(e.surname, e['/root/surname'])) ?? '',
    display_full_name:
      str(either(e.displayName, e['/root/displayName'])) ?? str(either(e.fullName, e['/root/fullName'])),
    nationality: nameOf(
      human,
      'personal.nationality',
      either(personal?.nationality, e['/personal/nationality']),
      lists,
    ),
    job_title: nameOf(human, 'work.title', either(work?.title, e['/work/title']), lists),
    work_email: str(either(e.email, e['/root/email'])),
    personal_email: str(either(home?.privateEmail, e['/home/privateEmail'])),
    mobile_phone_number:
      str(either(home?.mobilePhone, e['/home/mobilePhone'])) ??
      str(either(work?.mobilePhone, e['/work/mobilePhone'])),
    tax_id: null,
    gender: mapGender(
      nameOf(human, 'personal.gender', either(personal?.gender, e['/personal/gender']), lists),
    ),
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(either(personal?.birthDate, e['/personal/birthDate'])),
    employment_status: mapEmploymentStatus(
      nameOf(
        human,
        'internal.lifecycleStatus',
        either(internal?.lifecycleStatus, e['/internal/lifecycleStatus']),
        lists,
      ),
      nameOf(human, 'internal.status', either(internal?.status, e['/internal/status']), lists),
    ),
    employment_type: mapEmploymentType(
      nameOf(
        human,
        'payroll.employment.type',
        either(employment?.type, e['/payroll/employment/type']),
        lists,
      ),
      nameOf(
        human,
        'payroll.employment.contract',
        either(employment?.contract, e['/payroll/employment/contract']),
        lists,
      ),
    ),
    start_date: toDate(either(work?.startDate, e['/work/startDate'])),
    remote_created_at: toDate(either(e.creationDateTime, e['/root/creationDateTime'])),
    termination_date: toDate(either(internal?.terminationDate, e['/internal/terminationDate'])),
    avatar: str(either(e.avatarUrl, e['/root/avatarUrl'])),
    home_location: homeLocation(node(e.address), e, human, lists),
    work_location:
      siteId || site ? { id: siteId, remote_id: siteId, name: site, type: 'site', address: null } : null,
    manager: manager(either(work?.reportsTo, e['/work/reportsTo'])),
    bank_account: null,
    employment_history: null,
    compensation_history: extras.salaries ? toCompensationHistory(extras.salaries) : null,
    custom_fields: customFields(e, extras.customFields ?? []),
    groups: department
      ? [
          {
            id: department,
            remote_id: department,
            name: nameOf(human, 'work.department', either(work?.department, e['/work/department']), lists),
            type: 'department',
          },
        ]
      : null,
    dependents: null,
    emergency_contacts: null,
  };
}
