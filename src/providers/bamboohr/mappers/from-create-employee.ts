/**
 * Unified CreateEmployeeRequest → BambooHR's `postNewEmployee` body (POST /api/v1/employees). The spec lists the
 * common keys and allows any employee field name as a key; the names below are BambooHR's field aliases.
 * Tables (job and compensation history, dependents, emergency contacts, bank) are separate BambooHR endpoints and
 * are not written here.
 */
import type { CreateEmployeeRequest } from '../../../model/index.js';

type Value = string | number | boolean | null;

function gender(g: CreateEmployeeRequest['gender']): string | undefined {
  switch (g) {
    case 'male':
      return 'Male';
    case 'female':
      return 'Female';
    case 'not_specified':
    case null:
    case undefined:
      return undefined;
  }
}

function maritalStatus(m: CreateEmployeeRequest['marital_status']): string | undefined {
  switch (m) {
    case 'single':
      return 'Single';
    case 'married':
      return 'Married';
    case 'divorced':
      return 'Divorced';
    case 'other':
    case 'not_specified':
    case null:
    case undefined:
      return undefined;
  }
}

function status(s: CreateEmployeeRequest['employment_status']): string | undefined {
  switch (s) {
    case 'active':
    case 'leave':
      return 'Active';
    case 'inactive':
      return 'Inactive';
    case 'pending':
    case null:
    case undefined:
      return undefined;
  }
}

function employmentType(t: CreateEmployeeRequest['employment_type']): string | undefined {
  switch (t) {
    case 'full_time':
      return 'Full-Time';
    case 'part_time':
      return 'Part-Time';
    case 'contractor':
      return 'Contractor';
    case 'other':
    case null:
    case undefined:
      return undefined;
  }
}

export function toNewEmployeeBody(input: CreateEmployeeRequest): Record<string, Value> {
  const body: Record<string, Value | undefined> = {
    // custom_fields first so the unified fields win on a clash.
    ...((input.custom_fields ?? {}) as Record<string, Value>),
    firstName: input.first_name,
    lastName: input.last_name,
    employeeNumber: input.employee_number ?? undefined,
    jobTitle: input.job_title ?? undefined,
    workEmail: input.work_email ?? undefined,
    homeEmail: input.personal_email ?? undefined,
    mobilePhone: input.mobile_phone_number ?? undefined,
    ssn: input.tax_id ?? undefined,
    gender: gender(input.gender),
    maritalStatus: maritalStatus(input.marital_status),
    dateOfBirth: input.date_of_birth ?? undefined,
    hireDate: input.start_date ?? undefined,
    terminationDate: input.termination_date ?? undefined,
    status: status(input.employment_status),
    employmentHistoryStatus: employmentType(input.employment_type),
    address1: input.home_location?.street_address ?? undefined,
    city: input.home_location?.locality ?? undefined,
    state: input.home_location?.administrative_area ?? undefined,
    zipcode: input.home_location?.post_code ?? undefined,
    country: input.home_location?.country ?? undefined,
    location: input.work_location?.name ?? undefined,
    department: input.groups?.find((g) => g.type === 'department')?.name ?? undefined,
    // BambooHR's supervisor field takes the manager's employee id.
    supervisorEId: input.manager?.remote_id ?? input.manager?.id ?? undefined,
  };
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(body)) if (v !== undefined) out[k] = v;
  return out;
}
