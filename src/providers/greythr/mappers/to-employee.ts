/** A greytHR directory row → the contract's Employee. */
import type { Employee } from '../../../model/index.js';
import {
  departmentGroups,
  isoDate as date,
  managerRef,
  str,
  webEmployee,
} from '../../session/web-mappers.js';
import type { GreytDirectoryEntry } from '../raw.js';

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
  const managerId = e.managerId == null ? null : String(e.managerId);
  const location = str(e.location);
  return webEmployee({
    id,
    employee_number: str(e.employeeNo),
    first_name: str(e.firstName) ?? first,
    last_name: str(e.lastName) ?? rest.join(' '),
    display_full_name: str(e.name),
    job_title: str(e.designation),
    work_email: str(e.email),
    personal_email: str(e.personalEmail),
    mobile_phone_number: str(e.mobile),
    gender: gender(e.gender),
    date_of_birth: date(e.dateOfBirth),
    employment_status: employmentStatus(e.status),
    start_date: date(e.dateOfJoin),
    termination_date: date(e.leavingDate),
    work_location: location
      ? {
          id: location,
          remote_id: location,
          name: location,
          type: 'office',
          address: {
            street_address: null,
            locality: location,
            administrative_area: null,
            country: 'IN',
            post_code: null,
          },
        }
      : null,
    manager: managerId !== id ? managerRef(managerId) : null,
    groups: departmentGroups(str(e.department)),
  });
}
