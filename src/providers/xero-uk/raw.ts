/**
 * Xero Payroll UK wire shapes, from the published spec (spec/providers/xero-uk/xero-payroll-uk.yaml). Only what the
 * adapter reads is typed. Every field may be absent or null: the spec marks few response fields required, and its own
 * examples send `null` for fields it types as plain strings (`email: null`, `fixedTermEndDate: null`).
 *
 * Dates: the schema says `format: date` (YYYY-MM-DD) but every example sends a midnight timestamp
 * (`2020-02-03T00:00:00`); `…UTC` timestamps come without a zone (`2020-02-13T16:23:31`). Money is a JSON number in
 * pounds (`480.77`).
 */

type Maybe<T> = T | null | undefined;

/** `Pagination`: present on list responses; `pageSize` is 100 on every payroll list. */
export interface XeroPagination {
  page?: Maybe<number>;
  pageSize?: Maybe<number>;
  pageCount?: Maybe<number>;
  itemCount?: Maybe<number>;
}

/** `Problem` (RFC 7807 shaped): what Xero sends with a 4xx. */
export interface XeroProblem {
  type?: Maybe<string>;
  title?: Maybe<string>;
  status?: Maybe<string | number>;
  detail?: Maybe<string>;
  instance?: Maybe<string>;
  invalidFields?: Maybe<Array<{ name?: Maybe<string>; reason?: Maybe<string> }>>;
}

/**
 * The envelope every payroll response carries. `id`, `providerName`, `dateTimeUTC` and `httpStatusCode` are in every
 * example but not in the schema.
 */
export interface XeroEnvelope {
  id?: Maybe<string>;
  providerName?: Maybe<string>;
  dateTimeUTC?: Maybe<string>;
  httpStatusCode?: Maybe<string>;
  pagination?: Maybe<XeroPagination>;
  problem?: Maybe<XeroProblem>;
}

export interface XeroAddress {
  addressLine1?: Maybe<string>;
  addressLine2?: Maybe<string>;
  city?: Maybe<string>;
  /** Not in the schema; in every example. */
  county?: Maybe<string>;
  postCode?: Maybe<string>;
  countryName?: Maybe<string>;
}

export type XeroContractType = 'FullTime' | 'PartTime' | 'ZeroHour' | 'Unspecified';
export type XeroEmploymentStatus = 'Employee' | 'Worker' | 'Unspecified';

export interface XeroContract {
  publicKey?: Maybe<string>;
  startDate?: Maybe<string>;
  employmentStatus?: Maybe<XeroEmploymentStatus | string>;
  contractType?: Maybe<XeroContractType | string>;
  isFixedTerm?: Maybe<boolean>;
  fixedTermEndDate?: Maybe<string>;
  developmentalRoleDetails?: Maybe<{
    startDate?: Maybe<string>;
    endDate?: Maybe<string>;
    developmentalRole?: Maybe<string>;
  }>;
}

export interface XeroNiCategory {
  startDate?: Maybe<string>;
  niCategory?: Maybe<string>;
  niCategoryID?: Maybe<number>;
  workplacePostcode?: Maybe<string>;
  dateFirstEmployedAsCivilian?: Maybe<string>;
}

export interface XeroEmployee {
  employeeID?: Maybe<string>;
  title?: Maybe<string>;
  firstName?: Maybe<string>;
  lastName?: Maybe<string>;
  dateOfBirth?: Maybe<string>;
  address?: Maybe<XeroAddress>;
  email?: Maybe<string>;
  gender?: Maybe<'M' | 'F' | string>;
  phoneNumber?: Maybe<string>;
  startDate?: Maybe<string>;
  endDate?: Maybe<string>;
  payrollCalendarID?: Maybe<string>;
  updatedDateUTC?: Maybe<string>;
  createdDateUTC?: Maybe<string>;
  niCategory?: Maybe<string>;
  niCategories?: Maybe<XeroNiCategory[]>;
  nationalInsuranceNumber?: Maybe<string>;
  isOffPayrollWorker?: Maybe<boolean>;
  contracts?: Maybe<XeroContract[]>;
  /** Not in the `Employee` schema (it is `Employment`'s); the single-employee example carries it. */
  employeeNumber?: Maybe<string>;
}

export type XeroSalaryStatus = 'Active' | 'Pending' | 'History';
export type XeroPaymentType = 'Salary' | 'Hourly';

/** `SalaryAndWage`: the employee's salary or hourly wage from `effectiveFrom`. */
export interface XeroSalaryAndWage {
  salaryAndWagesID?: Maybe<string>;
  earningsRateID?: Maybe<string>;
  numberOfUnitsPerWeek?: Maybe<number>;
  ratePerUnit?: Maybe<number>;
  numberOfUnitsPerDay?: Maybe<number>;
  daysPerWeek?: Maybe<number>;
  effectiveFrom?: Maybe<string>;
  annualSalary?: Maybe<number>;
  status?: Maybe<XeroSalaryStatus | string>;
  paymentType?: Maybe<XeroPaymentType | string>;
}

export type XeroCalendarType = 'Weekly' | 'Fortnightly' | 'FourWeekly' | 'Monthly' | 'Annual' | 'Quarterly';

export interface XeroPayRunCalendar {
  payrollCalendarID?: Maybe<string>;
  name?: Maybe<string>;
  calendarType?: Maybe<XeroCalendarType | string>;
  periodStartDate?: Maybe<string>;
  periodEndDate?: Maybe<string>;
  paymentDate?: Maybe<string>;
  updatedDateUTC?: Maybe<string>;
}

export type XeroPayRunStatus = 'Draft' | 'Posted';
export type XeroPayRunType = 'Scheduled' | 'Unscheduled' | 'EarlierYearUpdate';

export interface XeroPayRun {
  payRunID?: Maybe<string>;
  payrollCalendarID?: Maybe<string>;
  periodStartDate?: Maybe<string>;
  periodEndDate?: Maybe<string>;
  paymentDate?: Maybe<string>;
  totalCost?: Maybe<number>;
  totalPay?: Maybe<number>;
  payRunStatus?: Maybe<XeroPayRunStatus | string>;
  payRunType?: Maybe<XeroPayRunType | string>;
  calendarType?: Maybe<XeroCalendarType | string>;
  postedDateTime?: Maybe<string>;
  paySlips?: Maybe<XeroPayslip[]>;
}

export interface XeroEarningsLine {
  earningsLineID?: Maybe<string>;
  earningsRateID?: Maybe<string>;
  displayName?: Maybe<string>;
  ratePerUnit?: Maybe<number>;
  numberOfUnits?: Maybe<number>;
  fixedAmount?: Maybe<number>;
  amount?: Maybe<number>;
  isLinkedToTimesheet?: Maybe<boolean>;
  isAverageDailyPayRate?: Maybe<boolean>;
}

export interface XeroDeductionLine {
  deductionTypeID?: Maybe<string>;
  amount?: Maybe<number>;
  subjectToTax?: Maybe<boolean>;
  percentage?: Maybe<number>;
}

export interface XeroReimbursementLine {
  reimbursementTypeID?: Maybe<string>;
  description?: Maybe<string>;
  amount?: Maybe<number>;
}

export interface XeroBenefitLine {
  benefitTypeID?: Maybe<string>;
  displayName?: Maybe<string>;
  amount?: Maybe<number>;
  fixedAmount?: Maybe<number>;
  percentage?: Maybe<number>;
}

export interface XeroTaxLine {
  taxLineID?: Maybe<string>;
  description?: Maybe<string>;
  isEmployerTax?: Maybe<boolean>;
  amount?: Maybe<number>;
  globalTaxTypeID?: Maybe<string | number>;
  manualAdjustment?: Maybe<boolean>;
}

export interface XeroCourtOrderLine {
  courtOrderTypeID?: Maybe<string>;
  amount?: Maybe<number>;
}

export interface XeroPayslip {
  paySlipID?: Maybe<string>;
  employeeID?: Maybe<string>;
  payRunID?: Maybe<string>;
  lastEdited?: Maybe<string>;
  firstName?: Maybe<string>;
  lastName?: Maybe<string>;
  totalEarnings?: Maybe<number>;
  grossEarnings?: Maybe<number>;
  totalPay?: Maybe<number>;
  totalEmployerTaxes?: Maybe<number>;
  totalEmployeeTaxes?: Maybe<number>;
  totalDeductions?: Maybe<number>;
  totalReimbursements?: Maybe<number>;
  totalCourtOrders?: Maybe<number>;
  totalBenefits?: Maybe<number>;
  bacsHash?: Maybe<string>;
  paymentMethod?: Maybe<string>;
  earningsLines?: Maybe<XeroEarningsLine[]>;
  leaveEarningsLines?: Maybe<XeroEarningsLine[]>;
  timesheetEarningsLines?: Maybe<XeroEarningsLine[]>;
  deductionLines?: Maybe<XeroDeductionLine[]>;
  reimbursementLines?: Maybe<XeroReimbursementLine[]>;
  leaveAccrualLines?: Maybe<Array<{ leaveTypeID?: Maybe<string>; numberOfUnits?: Maybe<number> }>>;
  benefitLines?: Maybe<XeroBenefitLine[]>;
  paymentLines?: Maybe<Array<{ paymentLineID?: Maybe<string>; amount?: Maybe<number> }>>;
  employeeTaxLines?: Maybe<XeroTaxLine[]>;
  employerTaxLines?: Maybe<XeroTaxLine[]>;
  courtOrderLines?: Maybe<XeroCourtOrderLine[]>;
}

/** `EarningsRate`: names the earnings lines that carry no name and says what their units are. */
export interface XeroEarningsRate {
  earningsRateID?: Maybe<string>;
  name?: Maybe<string>;
  earningsType?: Maybe<string>;
  rateType?: Maybe<'RatePerUnit' | 'MultipleOfOrdinaryEarningsRate' | 'FixedAmount' | string>;
  /** Free text: `hours` in the examples, null for rates without units. */
  typeOfUnits?: Maybe<string>;
  currentRecord?: Maybe<boolean>;
  ratePerUnit?: Maybe<number>;
  multipleOfOrdinaryEarningsRate?: Maybe<number>;
  fixedAmount?: Maybe<number>;
}

export interface XeroDeduction {
  deductionId?: Maybe<string>;
  deductionName?: Maybe<string>;
  deductionCategory?: Maybe<string>;
}

/** `EarningsOrder` (a court order or other statutory deduction), listed under `statutoryDeductions`. */
export interface XeroEarningsOrder {
  id?: Maybe<string>;
  name?: Maybe<string>;
  statutoryDeductionCategory?: Maybe<string>;
}

export interface XeroLeaveType {
  leaveTypeID?: Maybe<string>;
  name?: Maybe<string>;
  isPaidLeave?: Maybe<boolean>;
  showOnPayslip?: Maybe<boolean>;
  updatedDateUTC?: Maybe<string>;
  isActive?: Maybe<boolean>;
  isStatutoryLeave?: Maybe<boolean>;
}

export interface XeroLeavePeriod {
  periodStartDate?: Maybe<string>;
  periodEndDate?: Maybe<string>;
  numberOfUnits?: Maybe<number>;
  periodStatus?: Maybe<'Approved' | 'Completed' | string>;
}

/** `EmployeeLeave`: one leave record; its units are the leave type's, as the employee's leave balance names them. */
export interface XeroLeave {
  leaveID?: Maybe<string>;
  leaveTypeID?: Maybe<string>;
  description?: Maybe<string>;
  startDate?: Maybe<string>;
  endDate?: Maybe<string>;
  periods?: Maybe<XeroLeavePeriod[]>;
  updatedDateUTC?: Maybe<string>;
}

export interface XeroLeaveBalance {
  name?: Maybe<string>;
  leaveTypeID?: Maybe<string>;
  balance?: Maybe<number>;
  /** Free text: `Hours` in the example, `hours` in the schema's example. */
  typeOfUnits?: Maybe<string>;
}

export interface XeroTimesheetLine {
  timesheetLineID?: Maybe<string>;
  date?: Maybe<string>;
  earningsRateID?: Maybe<string>;
  trackingItemID?: Maybe<string>;
  numberOfUnits?: Maybe<number>;
}

export interface XeroTimesheet {
  timesheetID?: Maybe<string>;
  payrollCalendarID?: Maybe<string>;
  employeeID?: Maybe<string>;
  startDate?: Maybe<string>;
  endDate?: Maybe<string>;
  status?: Maybe<'Draft' | 'Approved' | 'Completed' | string>;
  totalHours?: Maybe<number>;
  updatedDateUTC?: Maybe<string>;
  /** Only `GET /Timesheets/{id}` is documented with lines; the list example has none. */
  timesheetLines?: Maybe<XeroTimesheetLine[]>;
}

/** `POST https://identity.xero.com/connect/token` (refresh_token grant), RFC 6749 §5.1. */
export interface XeroTokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  token_type?: unknown;
  scope?: unknown;
  id_token?: unknown;
}
