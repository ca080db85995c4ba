/** Deputy employees → Employees, operational units → groups, timesheets → Timesheets. */
import type { Employee, Group, Timesheet } from '../../../model/index.js';
import { isoDate, managerRef, str, webEmployee } from '../../session/web-mappers.js';
import type { DeputyEmployee, DeputyOperationalUnit, DeputyTimesheet } from '../raw.js';

const GENDERS: Record<number, Employee['gender']> = { 1: 'male', 2: 'female' };
const idOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

export function toEmployee(e: DeputyEmployee): Employee {
  const id = idOf(e.Id) ?? '';
  const company = e.CompanyObject;
  const companyId = idOf(company?.Id ?? e.Company);
  const manager = idOf(e.ReportTo);
  const terminated = isoDate(e.TerminationDate);
  return webEmployee({
    id,
    first_name: str(e.FirstName) ?? '',
    last_name: str(e.LastName) ?? '',
    display_full_name: str(e.DisplayName),
    job_title: str(e.Position),
    work_email: str(e.ContactObject?.Email1) ?? str(e.ContactObject?.Email),
    mobile_phone_number: str(e.ContactObject?.Mobile) ?? str(e.ContactObject?.Phone1),
    gender: e.Gender == null ? null : (GENDERS[e.Gender] ?? 'not_specified'),
    date_of_birth: isoDate(e.DateOfBirth),
    employment_status: e.Active === false || terminated ? 'inactive' : e.Active ? 'active' : null,
    start_date: isoDate(e.StartDate),
    termination_date: terminated,
    remote_created_at: isoDate(e.Created),
    work_location: companyId
      ? {
          id: companyId,
          remote_id: companyId,
          name: str(company?.CompanyName),
          type: 'office',
          address: null,
        }
      : null,
    manager: manager !== id ? managerRef(manager) : null,
  });
}

/** An operational unit (an area of a workplace) is the nearest Deputy has to a department. */
export function toGroup(u: DeputyOperationalUnit): Group {
  const id = idOf(u.Id);
  return { id, remote_id: id, name: str(u.OperationalUnitName), type: 'department' };
}

const dateTime = (seconds: unknown) =>
  typeof seconds === 'number' && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;

export function toTimesheet(t: DeputyTimesheet): Timesheet {
  const id = idOf(t.Id) ?? '';
  const employee = idOf(t.Employee) ?? '';
  return {
    id,
    remote_id: id,
    employee_id: employee,
    employee_remote_id: employee,
    start_time: dateTime(t.StartTime),
    end_time: dateTime(t.EndTime),
    hours_worked: Math.round((typeof t.TotalTime === 'number' ? t.TotalTime : 0) * 10) / 10,
    remote_created_at: isoDate(t.Created),
    remote_modified_at: isoDate(t.Modified),
  };
}
