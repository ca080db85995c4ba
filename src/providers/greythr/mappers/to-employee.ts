/** A greytHR directory row → the contract's Employee. */
import type { Employee } from '../../../model/index.js';
import type { GreytDirectoryEntry } from '../raw.js';

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const date = (v: unknown) => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null;
};

/** Active, probation and notice period are employed; resigned, terminated and absconding are not. */
export function employmentStatus(status: unknown): Employee['employment_status'] {
  switch (str(status)?.toLowerCase()) {
    case 'active':
    case 'probation':
    case 'notice period':
      return 'active';
    case 'resigned':
    case 'terminated':
    case 'absconding':
      return 'inactive';
    case 'yet to join':
      return 'pending';
    default:
      return null;
  }
}

function gender(g: unknown): Employee['gender'] {
  const s = str(g)?.toLowerCase();
  if (s === 'male') return 'male';
  if (s === 'female') return 'female';
  return s ? 'not_specified' : null;
}

export function toEmployee(e: GreytDirectoryEntry): Employee {
  const id = String(e.employeeId ?? '');
  const [first = '', ...rest] = (str(e.name) ?? '').split(/\s+/);
  const department = str(e.department);
  const managerId = e.managerId == null ? null : String(e.managerId);
  return {
    id,
    remote_id: id,
    employee_number: str(e.employeeNo),
    first_name: str(e.firstName) ?? first,
    last_name: str(e.lastName) ?? rest.join(' '),
    display_full_name: str(e.name),
    nationality: null,
    job_title: str(e.designation),
    work_email: str(e.email),
    personal_email: str(e.personalEmail),
    mobile_phone_number: str(e.mobile),
    tax_id: null,
    gender: gender(e.gender),
    ethnicity: null,
    marital_status: null,
    date_of_birth: date(e.dateOfBirth),
    employment_status: employmentStatus(e.status),
    employment_type: null,
    start_date: date(e.dateOfJoin),
    remote_created_at: null,
    termination_date: date(e.leavingDate),
    avatar: null,
    home_location: null,
    work_location: str(e.location)
      ? {
          id: str(e.location),
          remote_id: str(e.location),
          name: str(e.location),
          type: 'office',
          address: {
            street_address: null,
            locality: str(e.location),
            administrative_area: null,
            country: 'IN',
            post_code: null,
          },
        }
      : null,
    manager:
      managerId && managerId !== id
        ? { id: managerId, remote_id: managerId, first_name: null, last_name: null, work_email: null }
        : null,
    bank_account: null,
    employment_history: null,
    compensation_history: null,
    custom_fields: {},
    groups: department
      ? [{ id: department, remote_id: department, name: department, type: 'department' }]
      : null,
    dependents: null,
    emergency_contacts: null,
  };
}
