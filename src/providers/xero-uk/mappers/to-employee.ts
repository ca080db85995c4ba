/**
 * Xero Payroll UK employee (`GET /Employees`) → unified Employee. Compensation comes from the employee's salary and
 * wages records (`GET /Employees/{id}/SalaryAndWages`), its pay frequency from the payroll calendar the employee is on
 * (`GET /PayRunCalendars`), which is also the employee's one group (type `pay_group`).
 */
import { contractPayRate } from '../../numbers.js';
import type { Employee } from '../../../model/index.js';
import type { XeroContract, XeroEmployee, XeroPayRunCalendar, XeroSalaryAndWage } from '../raw.js';
import { toGroup } from './to-group.js';
import { str, toCountry, toDate } from './values.js';
import type { EmploymentType, PayFrequency } from '../../mapping.js';

type Compensation = NonNullable<Employee['compensation_history']>[number];

export interface EmployeeLookups {
  /** Payroll calendars by id. */
  calendars: ReadonlyMap<string, XeroPayRunCalendar>;
  /**
   * The employee's salary and wages records; undefined when they were not looked up (then `compensation_history` is
   * null, meaning unknown, not "none").
   */
  salaryAndWages?: readonly XeroSalaryAndWage[];
  /** Today in the UK (`YYYY-MM-DD`), for the employment status. */
  today: string;
}

export function mapGender(gender: string | null | undefined): Employee['gender'] {
  switch (gender) {
    case 'M':
      return 'male';
    case 'F':
      return 'female';
    default:
      return null;
  }
}

/** A contract's `contractType`; off-payroll workers (IR35) are contractors whatever their contract says. */
export function mapContractType(type: string | null | undefined): EmploymentType | null {
  switch (type) {
    case 'FullTime':
      return 'full_time';
    case 'PartTime':
      return 'part_time';
    case 'ZeroHour':
      return 'other';
    default:
      return null;
  }
}

/** The payroll calendar's `calendarType` → how often the employee is paid. */
export function mapCalendarType(type: string | null | undefined): PayFrequency | null {
  switch (type) {
    case 'Weekly':
      return 'weekly';
    case 'Fortnightly':
      return 'biweekly';
    case 'Monthly':
      return 'monthly';
    case 'Annual':
      return 'year';
    case 'FourWeekly':
    case 'Quarterly':
      return 'other';
    default:
      return null;
  }
}

/**
 * Xero does not send a status: an employee whose end date has passed has left, one whose start date is still ahead
 * has not started, everyone else is employed. Both dates are UK calendar days, compared with today's UK day.
 */
export function employmentStatus(e: XeroEmployee, today: string): Employee['employment_status'] {
  const end = toDate(e.endDate);
  if (end !== null && end < today) return 'inactive';
  const start = toDate(e.startDate);
  if (start !== null && start > today) return 'pending';
  return 'active';
}

/** The contract in force today: the latest one that has started, else the earliest one. */
export function currentContract(contracts: readonly XeroContract[], today: string): XeroContract | undefined {
  const dated = contracts
    .map((c) => ({ c, start: toDate(c.startDate) ?? '' }))
    .sort((a, b) => a.start.localeCompare(b.start));
  const started = dated.filter((d) => d.start <= today);
  return (started.at(-1) ?? dated[0])?.c;
}

function employmentType(e: XeroEmployee, today: string): EmploymentType | null {
  if (e.isOffPayrollWorker === true) return 'contractor';
  const contract = currentContract(e.contracts ?? [], today);
  return contract ? mapContractType(contract.contractType) : null;
}

/**
 * A salary and wages record → one compensation entry: a salary is `annualSalary` a year, an hourly wage `ratePerUnit`
 * an hour, both in pounds (major units, as the contract's `pay_rate`). `notes` keeps Xero's record status (Active,
 * Pending for a future change, History for a past one) and the hours a week it assumes.
 */
export function toCompensation(
  record: XeroSalaryAndWage,
  payFrequency: PayFrequency | null,
  employment: EmploymentType | null,
): Compensation | null {
  let payRate: number | null;
  let payPeriod: string;
  switch (record.paymentType) {
    case 'Salary':
      payRate = typeof record.annualSalary === 'number' ? record.annualSalary : null;
      payPeriod = 'year';
      break;
    case 'Hourly':
      payRate = typeof record.ratePerUnit === 'number' ? record.ratePerUnit : null;
      payPeriod = 'hour';
      break;
    default:
      return null;
  }
  const notes = [
    record.status ? `Xero status ${record.status}` : null,
    typeof record.numberOfUnitsPerWeek === 'number' ? `${record.numberOfUnitsPerWeek} hours a week` : null,
  ].filter((n): n is string => n !== null);
  return {
    pay_rate: contractPayRate(payRate),
    pay_period: payPeriod,
    pay_frequency: payFrequency,
    employment_type: employment,
    currency: 'gbp',
    effective_date: toDate(record.effectiveFrom),
    notes: notes.length > 0 ? notes.join('; ') : null,
  };
}

/** Newest first, as the contract's examples list compensation history. */
function compensationHistory(
  records: readonly XeroSalaryAndWage[],
  payFrequency: PayFrequency | null,
  employment: EmploymentType | null,
): Compensation[] {
  return records
    .map((r) => toCompensation(r, payFrequency, employment))
    .filter((c): c is Compensation => c !== null)
    .sort((a, b) => (b.effective_date ?? '').localeCompare(a.effective_date ?? ''));
}

export function toEmployee(e: XeroEmployee, lookups: EmployeeLookups): Employee {
  const id = e.employeeID ?? '';
  const calendar = e.payrollCalendarID ? lookups.calendars.get(e.payrollCalendarID) : undefined;
  const employment = employmentType(e, lookups.today);
  const address = e.address;
  const street = [address?.addressLine1, address?.addressLine2].filter((l): l is string => !!l).join(', ');
  const first = e.firstName ?? '';
  const last = e.lastName ?? '';
  const custom: Record<string, unknown> = {};
  if (e.title) custom['title'] = e.title;
  if (e.payrollCalendarID) custom['payroll_calendar_id'] = e.payrollCalendarID;
  if (typeof e.isOffPayrollWorker === 'boolean') custom['is_off_payroll_worker'] = e.isOffPayrollWorker;
  if (e.niCategories?.length) custom['ni_categories'] = e.niCategories;
  else if (e.niCategory) custom['ni_category'] = e.niCategory;
  if (e.contracts?.length) custom['contracts'] = e.contracts;
  return {
    id,
    remote_id: id,
    employee_number: str(e.employeeNumber),
    first_name: first,
    last_name: last,
    display_full_name: [first, last].filter(Boolean).join(' ') || null,
    nationality: null,
    job_title: null,
    // Xero keeps one email per employee (where payslips and Xero Me invitations go): the address the employer
    // recorded for work.
    work_email: str(e.email),
    personal_email: null,
    mobile_phone_number: str(e.phoneNumber),
    // The National Insurance number is the UK's personal tax reference.
    tax_id: str(e.nationalInsuranceNumber),
    gender: mapGender(e.gender),
    ethnicity: null,
    marital_status: null,
    date_of_birth: toDate(e.dateOfBirth),
    employment_status: employmentStatus(e, lookups.today),
    employment_type: employment,
    start_date: toDate(e.startDate),
    remote_created_at: toDate(e.createdDateUTC),
    termination_date: toDate(e.endDate),
    avatar: null,
    home_location: address
      ? {
          street_address: street || null,
          locality: str(address.city),
          administrative_area: str(address.county),
          country: toCountry(address.countryName),
          post_code: str(address.postCode),
        }
      : null,
    work_location: null,
    manager: null,
    bank_account: null,
    employment_history: null,
    compensation_history: lookups.salaryAndWages
      ? compensationHistory(lookups.salaryAndWages, mapCalendarType(calendar?.calendarType), employment)
      : null,
    custom_fields: Object.keys(custom).length > 0 ? custom : null,
    groups: e.payrollCalendarID ? [toGroup(calendar ?? { payrollCalendarID: e.payrollCalendarID })] : null,
    dependents: null,
    emergency_contacts: null,
  };
}
