import type { Employee, Group } from '../../../model/index.js';
import type { RemoteEmployment, RemoteMinimalEmployment } from '../raw.js';
import { toAddress } from './to-company.js';
import { num, opaqueId, text, toCountry, toCurrency, toDate } from './values.js';
import type { Compensation } from '../../mapping.js';

export interface EmployeeLookups {
  /** Every listed employment by id (managers' names). */
  employments: ReadonlyMap<string, RemoteMinimalEmployment>;
  /** The details of each employment, when fetched (see the adapter's `detailsMaxEmployees`). */
  details: ReadonlyMap<string, RemoteEmployment>;
}

/**
 * Remote's lifecycle: `active` employs; everything before it (created, initiated, invited, pending, review, the
 * reserve states) is onboarding → pending; `archived` and `deleted` ended → inactive.
 */
export function mapEmploymentStatus(status: unknown): Employee['employment_status'] {
  switch (status) {
    case 'active':
      return 'active';
    case 'archived':
    case 'deleted':
      return 'inactive';
    case 'created':
    case 'created_awaiting_reserve':
    case 'created_reserve_paid':
    case 'initiated':
    case 'invited':
    case 'pending':
    case 'review':
      return 'pending';
    default:
      return null;
  }
}

/** `contractor` is a contractor; Remote's employee kinds say nothing of hours, so they stay null. */
export function mapEmploymentType(type: unknown): Employee['employment_type'] {
  return type === 'contractor' ? 'contractor' : null;
}

/** Remote keeps one name; the first word is the first name and the rest the last name. */
export function splitName(full: string | null): { first: string; last: string } {
  if (full === null) return { first: '', last: '' };
  const parts = full.split(/\s+/);
  return { first: parts[0] ?? '', last: parts.slice(1).join(' ') };
}

/** The yearly salary of `contract_details` as compensation, or null without one. */
export function toCompensation(detail: RemoteEmployment | undefined): Compensation | null {
  const contract = detail?.contract_details ?? {};
  const cents = num(contract['annual_gross_salary']);
  if (cents === null || cents < 0) return null;
  return {
    pay_rate: Math.round(cents) / 100,
    pay_period: 'year',
    pay_frequency: null,
    employment_type: mapEmploymentType(detail?.type),
    currency: toCurrency(contract['salary_currency'] ?? contract['currency']),
    effective_date: toDate(detail?.provisional_start_date),
    notes: null,
  };
}

function group(raw: RemoteMinimalEmployment): Group[] | null {
  const id = text(raw.department_id);
  if (id === null) return null;
  return [{ id: opaqueId('department', id), remote_id: id, name: text(raw.department), type: 'department' }];
}

export function toEmployee(raw: RemoteMinimalEmployment, lookups: EmployeeLookups): Employee {
  const id = text(raw.id) ?? '';
  const detail = lookups.details.get(id);
  const basic = detail?.basic_information ?? {};
  const personal = detail?.personal_details ?? {};
  const emergency = detail?.emergency_contact_details ?? {};
  const fullName = text(raw.full_name) ?? text(basic['name']);
  const { first, last } = splitName(fullName);
  const country = text(raw.country?.alpha_2_code);
  const managerId = text(detail?.manager);
  const manager = managerId ? lookups.employments.get(managerId) : undefined;
  const managerName = splitName(text(manager?.full_name));
  const compensation = toCompensation(detail);
  const jobTitle = text(raw.job_title) ?? text(basic['job_title']);
  const startDate = toDate(detail?.provisional_start_date) ?? toDate(basic['provisional_start_date']);
  return {
    id: opaqueId('employment', id),
    remote_id: id,
    employee_number: null,
    first_name: first,
    last_name: last,
    display_full_name: fullName,
    nationality: toCountry(personal['nationality']) ?? text(personal['nationality']),
    job_title: jobTitle,
    work_email: text(basic['work_email']),
    personal_email: text(raw.personal_email) ?? text(basic['email']),
    mobile_phone_number: text(personal['phone_number']),
    tax_id: null,
    gender: null,
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(personal['birth_date']),
    employment_status: mapEmploymentStatus(raw.status),
    employment_type: mapEmploymentType(raw.type),
    start_date: startDate,
    remote_created_at: toDate(detail?.created_at),
    termination_date: null,
    avatar: null,
    home_location: detail ? toAddress(detail.address_details, country) : null,
    // Remote employs people where they live: it has no work locations.
    work_location: null,
    manager:
      managerId === null
        ? null
        : {
            id: opaqueId('employment', managerId),
            remote_id: managerId,
            first_name: manager ? managerName.first : null,
            last_name: manager ? managerName.last || null : null,
            work_email: null,
          },
    bank_account: null,
    employment_history:
      jobTitle === null
        ? null
        : [
            {
              job_title: jobTitle,
              effective_date: startDate,
              group_id: group(raw)?.[0]?.id ?? null,
              group_remote_id: text(raw.department_id),
              group_name: text(raw.department),
              manager_id: managerId === null ? null : opaqueId('employment', managerId),
              manager_remote_id: managerId,
            },
          ],
    compensation_history: compensation === null ? null : [compensation],
    custom_fields: null,
    groups: group(raw),
    dependents: null,
    emergency_contacts:
      text(emergency['name']) === null && text(emergency['phone_number']) === null
        ? null
        : [
            {
              // Remote's emergency contact form keeps the name in one field.
              first_name: text(emergency['name']),
              last_name: null,
              relationship: text(emergency['relationship']),
              mobile_phone_number: text(emergency['phone_number']),
              primary_contact: true,
            },
          ],
  };
}
