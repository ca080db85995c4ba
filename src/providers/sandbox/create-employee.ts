/**
 * `POST …/employee` for the sandbox: a full Employee from a CreateEmployeeRequest. References the request makes to
 * things that exist (manager id, work location id, group ids) are filled from them, so the result looks like the
 * generated employees; everything unspecified is null or an empty list.
 */
import type { CreateEmployeeRequest, Employee, Group, Location } from '../../model/index.js';
import type { SandboxDataset } from './generate.js';
import { opaqueId } from './random.js';

/** ctx.state key holding the employees created on a connection (an Employee[] in creation order). */
export const CREATED_EMPLOYEES_KEY = 'created_employees';

/** Remote ids of created employees start here, far from the generated ones (100000 + index). */
const CREATED_REMOTE_BASE = 500_000;

export function buildCreatedEmployee(
  data: SandboxDataset,
  existing: readonly Employee[],
  input: CreateEmployeeRequest,
  connectionId: string,
  ordinal: number,
  today: string,
): Employee {
  const id = opaqueId('emp', data.options.seed, 'created', connectionId, ordinal);
  const managerRef = input.manager ? existing.find((e) => e.id === input.manager?.id) : undefined;
  const manager = input.manager
    ? managerRef
      ? {
          id: managerRef.id,
          remote_id: managerRef.remote_id,
          first_name: managerRef.first_name,
          last_name: managerRef.last_name,
          work_email: managerRef.work_email,
        }
      : { ...input.manager }
    : null;

  let workLocation: Location | null = null;
  if (input.work_location) {
    const known = data.locations.find((l) => l.id !== null && l.id === input.work_location?.id);
    workLocation = known ?? {
      ...input.work_location,
      address: input.work_location.address ? { ...input.work_location.address } : null,
    };
  }

  const groups: Group[] | null = input.groups
    ? input.groups.map((g) => data.groups.find((known) => known.id !== null && known.id === g.id) ?? { ...g })
    : [];

  const status =
    input.employment_status ??
    (input.start_date && input.start_date > data.options.asOf ? 'pending' : 'active');

  return {
    id,
    remote_id: String(CREATED_REMOTE_BASE + ordinal),
    employee_number: input.employee_number ?? null,
    first_name: input.first_name,
    last_name: input.last_name,
    display_full_name: input.display_full_name ?? `${input.first_name} ${input.last_name}`,
    nationality: input.nationality ?? null,
    job_title: input.job_title ?? null,
    work_email: input.work_email ?? null,
    personal_email: input.personal_email ?? null,
    mobile_phone_number: input.mobile_phone_number ?? null,
    tax_id: input.tax_id ?? null,
    gender: input.gender ?? null,
    ethnicity: input.ethnicity ?? null,
    marital_status: input.marital_status ?? null,
    date_of_birth: input.date_of_birth ?? null,
    employment_status: status,
    employment_type: input.employment_type ?? null,
    start_date: input.start_date ?? null,
    remote_created_at: today,
    termination_date: input.termination_date ?? null,
    avatar: input.avatar ?? null,
    home_location: input.home_location ? { ...input.home_location } : null,
    work_location: workLocation,
    manager,
    bank_account: input.bank_account ? { ...input.bank_account } : null,
    employment_history: input.employment_history ? input.employment_history.map((h) => ({ ...h })) : [],
    compensation_history: input.compensation_history ? input.compensation_history.map((c) => ({ ...c })) : [],
    custom_fields: input.custom_fields ?? {},
    groups,
    dependents: input.dependents ? input.dependents.map((d) => ({ ...d })) : [],
    emergency_contacts: input.emergency_contacts ? input.emergency_contacts.map((c) => ({ ...c })) : [],
  };
}
