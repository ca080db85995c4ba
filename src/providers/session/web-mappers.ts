/**
 * What the xhr providers' employee mappers share: web apps show a directory row per person with few of the
 * contract's fields, so an Employee starts from every field unknown (null) and the provider's mapper fills in what
 * its pages carry. Plus the small readers of loosely typed page JSON.
 */
import type { Employee, Group } from '../../model/index.js';

/** A trimmed non-empty string, else null. */
export const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

/** A `YYYY-MM-DD` date (the first ten characters of an ISO timestamp too), else null. */
export const isoDate = (v: unknown): string | null => {
  const s = str(v)?.slice(0, 10) ?? null;
  return s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null;
};

/** A department named on the row as the employee's one group; null without one. */
export function departmentGroups(name: string | null, id: string | null = name): Group[] | null {
  return name && id ? [{ id, remote_id: id, name, type: 'department' }] : null;
}

/** A manager known only by id. */
export const managerRef = (id: string | null): Employee['manager'] =>
  id ? { id, remote_id: id, first_name: null, last_name: null, work_email: null } : null;

/** The fields a web app's directory carries; everything else of the contract's Employee is null. */
export type WebEmployeeFields = Pick<Employee, 'id' | 'first_name' | 'last_name'> & Partial<Employee>;

export function webEmployee(fields: WebEmployeeFields): Employee {
  return {
    remote_id: fields.id,
    employee_number: null,
    display_full_name: null,
    nationality: null,
    job_title: null,
    work_email: null,
    personal_email: null,
    mobile_phone_number: null,
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    date_of_birth: null,
    employment_status: null,
    employment_type: null,
    start_date: null,
    remote_created_at: null,
    termination_date: null,
    avatar: null,
    home_location: null,
    work_location: null,
    manager: null,
    bank_account: null,
    employment_history: null,
    compensation_history: null,
    custom_fields: {},
    groups: null,
    dependents: null,
    emergency_contacts: null,
    ...fields,
  };
}
