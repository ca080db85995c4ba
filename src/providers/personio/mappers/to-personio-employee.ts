/** Unified CreateEmployeeRequest → the body of Personio's `POST /company/employees` (`{employee: …}`). */
import type { CreateEmployeeRequest } from '../../../model/index.js';
import { ProviderError } from '../../errors.js';
import { decodeOpaqueId } from './ids.js';

export interface PersonioCreateEmployee {
  email: string;
  first_name: string;
  last_name: string;
  preferred_name?: string;
  gender?: string;
  position?: string;
  department?: string;
  office?: string;
  hire_date?: string;
  status?: string;
  supervisor_id?: number;
  custom_attributes?: Record<string, string>;
}

/** Contract employment status → Personio status (`pending` is Personio's `onboarding`). */
export function toPersonioStatus(v: CreateEmployeeRequest['employment_status']): string | undefined {
  switch (v) {
    case 'active':
      return 'active';
    case 'inactive':
      return 'inactive';
    case 'pending':
      return 'onboarding';
    case 'leave':
      return 'leave';
    default:
      return undefined;
  }
}

/** Only male and female have a Personio counterpart; `not_specified` is not `diverse`, so it is left out. */
export function toPersonioGender(v: CreateEmployeeRequest['gender']): string | undefined {
  switch (v) {
    case 'male':
      return 'male';
    case 'female':
      return 'female';
    default:
      return undefined;
  }
}

/**
 * Personio names department and office by their (predefined) names and the supervisor by numeric id. Custom
 * fields whose key is a Personio dynamic attribute (`dynamic_123`) are passed on as `custom_attributes`.
 */
export function toPersonioEmployee(input: CreateEmployeeRequest): PersonioCreateEmployee {
  const email = input.work_email ?? input.personal_email;
  if (!email) {
    throw new ProviderError(
      'bad_response',
      'Personio needs an email address (work_email) to create an employee',
    );
  }
  const out: PersonioCreateEmployee = { email, first_name: input.first_name, last_name: input.last_name };
  if (input.display_full_name) out.preferred_name = input.display_full_name;
  const gender = toPersonioGender(input.gender);
  if (gender) out.gender = gender;
  if (input.job_title) out.position = input.job_title;
  const department =
    input.groups?.find((g) => g.type === 'department')?.name ??
    input.employment_history?.[0]?.group_name ??
    null;
  if (department) out.department = department;
  if (input.work_location?.name) out.office = input.work_location.name;
  if (input.start_date) out.hire_date = input.start_date;
  const status = toPersonioStatus(input.employment_status);
  if (status) out.status = status;
  const manager = input.manager;
  const supervisor = manager ? (manager.remote_id ?? decodeOpaqueId('employee', manager.id)) : null;
  if (supervisor !== null && supervisor !== undefined) {
    const n = Number(supervisor);
    if (!Number.isInteger(n))
      throw new ProviderError('bad_response', 'manager is not a Personio employee id');
    out.supervisor_id = n;
  }
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.custom_fields ?? {})) {
    if (/^dynamic_\d+$/.test(k) && (typeof v === 'string' || typeof v === 'number')) custom[k] = String(v);
  }
  if (Object.keys(custom).length > 0) out.custom_attributes = custom;
  return out;
}
