/** BambooHR employees (GET /api/v1/employees with `fields`) → unified Employee. */
import { member } from '../../mapping.js';
import type { Employee, Group } from '../../../model/index.js';
import type { BhEmployee } from '../raw.js';
import { groupId, groupType } from './to-group.js';
import { str, toDate } from './values.js';

/** Optional fields we ask for (`EmployeeOptionalField` in the spec). */
export const EMPLOYEE_FIELDS = [
  'workEmail',
  'homeEmail',
  'middleName',
  'workPhone',
  'mobilePhone',
  'birthDate',
  'hireDate',
  'divisionName',
  'divisionId',
  'departmentName',
  'departmentId',
  'locationName',
  'locationId',
  'employmentStatusName',
  'reportsToId',
] as const;

/** Raw fields the mapper turns into unified fields; everything else goes to `custom_fields`. */
const CONSUMED = new Set<string>([
  'employeeId',
  'firstName',
  'lastName',
  'photoUrl',
  'jobTitleName',
  'status',
  'workEmail',
  'homeEmail',
  'mobilePhone',
  'birthDate',
  'hireDate',
  'divisionName',
  'divisionId',
  'departmentName',
  'departmentId',
  'locationName',
  'locationId',
  'employmentStatusName',
  'reportsToId',
  'reportsToName',
]);

/** `status` of list-employees: "Active" / "Inactive" (the filter takes them lower-case). */
export function toEmploymentStatus(status: string | null | undefined): Employee['employment_status'] {
  return member(['active', 'inactive'], status?.trim().toLowerCase());
}

/**
 * `employmentStatusName` is a company-editable list; these are BambooHR's default options. Anything else
 * (Intern, Seasonal, a company's own label) is `other`.
 */
export function toEmploymentType(name: string | null | undefined): Employee['employment_type'] {
  if (!name) return null;
  switch (
    name
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
  ) {
    case 'full-time':
      return 'full_time';
    case 'part-time':
      return 'part_time';
    case 'contractor':
    case 'contract':
      return 'contractor';
    default:
      return 'other';
  }
}

export interface EmployeeLookup {
  /** Every employee of the company by id, to fill the manager's name and email. */
  byId: ReadonlyMap<string, BhEmployee>;
}

function groupsOf(raw: BhEmployee): Group[] {
  const groups: Group[] = [];
  const dep = str(raw.departmentId);
  if (dep)
    groups.push({
      id: groupId('department', dep),
      remote_id: dep,
      name: str(raw.departmentName),
      type: groupType('department'),
    });
  const div = str(raw.divisionId);
  if (div)
    groups.push({
      id: groupId('division', div),
      remote_id: div,
      name: str(raw.divisionName),
      type: groupType('division'),
    });
  return groups;
}

export function toEmployee(raw: BhEmployee, lookup: EmployeeLookup): Employee {
  const id = String(raw.employeeId);
  const firstName = str(raw.firstName) ?? '';
  const lastName = str(raw.lastName) ?? '';
  const preferred = str(raw.preferredName);
  const managerId = str(raw.reportsToId);
  const manager = managerId ? lookup.byId.get(managerId) : undefined;
  const locationId = str(raw.locationId);
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!CONSUMED.has(k) && v !== undefined) custom[k] = v;
  return {
    id,
    remote_id: id,
    employee_number: null,
    first_name: firstName,
    last_name: lastName,
    display_full_name: [preferred ?? firstName, lastName].filter((s) => s !== '').join(' ') || null,
    nationality: null,
    job_title: str(raw.jobTitleName),
    work_email: str(raw.workEmail),
    personal_email: str(raw.homeEmail),
    mobile_phone_number: str(raw.mobilePhone),
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(raw.birthDate),
    employment_status: toEmploymentStatus(raw.status),
    employment_type: toEmploymentType(raw.employmentStatusName),
    start_date: toDate(raw.hireDate),
    remote_created_at: null,
    termination_date: null,
    avatar: str(raw.photoUrl),
    home_location: null,
    work_location: locationId
      ? { id: locationId, remote_id: locationId, name: str(raw.locationName), type: null, address: null }
      : null,
    manager: managerId
      ? {
          id: managerId,
          remote_id: managerId,
          first_name: manager ? str(manager.firstName) : null,
          last_name: manager ? str(manager.lastName) : null,
          work_email: manager ? str(manager.workEmail) : null,
        }
      : null,
    bank_account: null,
    employment_history: null,
    compensation_history: null,
    custom_fields: Object.keys(custom).length > 0 ? custom : null,
    groups: groupsOf(raw),
    dependents: null,
    emergency_contacts: null,
  };
}

export function toEmployees(raws: readonly BhEmployee[]): Employee[] {
  const byId = new Map(raws.map((e) => [String(e.employeeId), e]));
  return raws.map((e) => toEmployee(e, { byId }));
}

/**
 * Fills each manager's name and email once the whole company is known; pages can then be mapped as they arrive
 * with an empty lookup.
 */
export type ManagerFacts = Pick<BhEmployee, 'firstName' | 'lastName' | 'workEmail'>;

export function fillManagers(employees: Employee[], byId: ReadonlyMap<string, ManagerFacts>): void {
  for (const e of employees) {
    const m = e.manager?.id ? byId.get(e.manager.id) : undefined;
    if (!e.manager || !m) continue;
    e.manager.first_name = str(m.firstName);
    e.manager.last_name = str(m.lastName);
    e.manager.work_email = str(m.workEmail);
  }
}
