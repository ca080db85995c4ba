/**
 * Gusto's own objects, as the published spec (spec/providers/gusto/new.openapi.yaml, API version 2025-06-15) names
 * them: only the fields the mappers and the emulator use, everything optional because the spec requires almost
 * nothing. Money and hours are decimal strings in Gusto's words ("Dollar amounts are returned as string
 * representations of numeric decimals"), although a few schemas (employee compensations' gross/net, taxes) say
 * `number` and the spec's own examples mix both, so those are typed as either.
 */

/** A decimal Gusto sends as a string ("2791.25") or, in some schemas and examples, as a JSON number. */
export type GustoDecimal = string | number;

/** `POST /oauth/token` answer (`Authentication`: Create- or Refresh-Token-Authentication). */
export interface GustoTokenResponse {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  scope?: string;
  created_at?: number;
  expires_in?: number;
}

/** `GET /v1/token_info` (`Token-Info`). */
export interface GustoTokenInfo {
  scope?: string;
  resource?: { type?: string; uuid?: string } | null;
  resource_owner?: { type?: 'CompanyAdmin' | 'Employee' | 'Contractor'; uuid?: string } | null;
}

/** `Company-Address`, as listed inside `Company.locations`. */
export interface GustoCompanyAddress {
  street_1?: string;
  street_2?: string | null;
  city?: string;
  state?: string;
  zip?: string | number;
  country?: string;
  active?: boolean;
  inactive?: boolean;
}

/** `Company`. */
export interface GustoCompany {
  uuid?: string;
  name?: string;
  trade_name?: string | null;
  ein?: string;
  entity_type?: string | null;
  company_status?: string;
  is_suspended?: boolean;
  locations?: GustoCompanyAddress[];
}

/** `Location` (company locations: mailing, filing or work addresses). */
export interface GustoLocation {
  uuid?: string;
  version?: string;
  company_uuid?: string;
  phone_number?: string | number;
  street_1?: string;
  street_2?: string | null;
  city?: string;
  state?: string;
  zip?: string | number;
  country?: string;
  mailing_address?: boolean;
  filing_address?: boolean;
  created_at?: unknown;
  updated_at?: string;
  active?: boolean;
  inactive?: boolean;
}

/** `Department`. */
export interface GustoDepartment {
  uuid?: string;
  version?: string;
  company_uuid?: string;
  title?: string;
  employees?: Array<{ uuid?: string }>;
  contractors?: Array<{ uuid?: string }>;
}

export type GustoPaymentUnit = 'Hour' | 'Week' | 'Month' | 'Year' | 'Paycheck';

export type GustoFlsaStatus =
  | 'Exempt'
  | 'Salaried Nonexempt'
  | 'Nonexempt'
  | 'Owner'
  | 'Commission Only Exempt'
  | 'Commission Only Nonexempt';

/** `Compensation`: `rate` dollars per `payment_unit`. */
export interface GustoCompensation {
  uuid?: string;
  version?: string;
  job_uuid?: string;
  employee_uuid?: string;
  rate?: string;
  payment_unit?: GustoPaymentUnit;
  flsa_status?: GustoFlsaStatus;
  effective_date?: string;
  title?: string;
  adjust_for_minimum_wage?: boolean;
  minimum_wages?: Array<{ uuid?: string; wage?: string; effective_date?: string }>;
}

/** `Job`. */
export interface GustoJob {
  uuid?: string;
  version?: string;
  employee_uuid?: string;
  hire_date?: string;
  title?: string | null;
  primary?: boolean;
  rate?: string;
  payment_unit?: GustoPaymentUnit | null;
  current_compensation_uuid?: string;
  two_percent_shareholder?: boolean;
  state_wc_covered?: boolean | null;
  state_wc_class_code?: string | null;
  compensations?: GustoCompensation[];
  location_uuid?: string;
  location?: GustoLocation;
}

/** `Termination`. */
export interface GustoTermination {
  uuid?: string;
  version?: string;
  employee_uuid?: string;
  active?: boolean;
  cancelable?: boolean;
  effective_date?: string;
  run_termination_payroll?: boolean;
}

/** `Employee-Home-Address` (the `current_home_address` include). */
export interface GustoHomeAddress {
  uuid?: string;
  street_1?: string | null;
  street_2?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
  active?: boolean;
  effective_date?: string;
}

/** `Employee-Custom-Field` (the `custom_fields` include). */
export interface GustoCustomField {
  id?: string;
  company_custom_field_id?: string;
  name?: string;
  type?: string;
  description?: string | null;
  value?: string;
  selection_options?: string[] | null;
}

export type GustoEmploymentStatus =
  | 'full_time'
  | 'part_time_under_twenty_hours'
  | 'part_time_twenty_plus_hours'
  | 'variable'
  | 'seasonal';

/** `Employee`, with the `current_home_address` and `custom_fields` includes. */
export interface GustoEmployee {
  uuid?: string;
  first_name?: string;
  middle_initial?: string | null;
  last_name?: string;
  preferred_first_name?: string | null;
  email?: string | null;
  work_email?: string | null;
  phone?: string | null;
  company_uuid?: string;
  manager_uuid?: string | null;
  version?: string;
  department?: string | null;
  department_uuid?: string | null;
  terminated?: boolean;
  onboarded?: boolean;
  onboarding_status?: string | null;
  jobs?: GustoJob[];
  terminations?: GustoTermination[];
  date_of_birth?: string | null;
  has_ssn?: boolean;
  ssn?: string;
  payment_method?: 'Direct Deposit' | 'Check';
  current_employment_status?: GustoEmploymentStatus | null;
  historical?: boolean;
  employee_code?: string;
  title?: string;
  hired_at?: string;
  flsa_status?: GustoFlsaStatus;
  two_percent_shareholder?: boolean | null;
  current_home_address?: GustoHomeAddress | null;
  custom_fields?: GustoCustomField[];
}

/** `Admin`. */
export interface GustoAdmin {
  uuid?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  phone?: string | null;
}

/** `Time-Off-Policy`. */
export type GustoPolicyType =
  | 'vacation'
  | 'sick'
  | 'bereavement'
  | 'custom'
  | 'floating_holiday'
  | 'jury_duty'
  | 'learning_and_development'
  | 'parental_leave'
  | 'personal_day'
  | 'volunteer'
  | 'weather';

export interface GustoTimeOffPolicy {
  uuid?: string;
  company_uuid?: string;
  name?: string;
  policy_type?: GustoPolicyType | string;
  accrual_method?: string;
  is_active?: boolean;
  employees?: Array<{ uuid?: string; balance?: string }>;
}

/** `Embedded-Time-Off-Request`: `days` maps `YYYY-MM-DD` → hours as a decimal string. */
export interface GustoTimeOffRequest {
  uuid?: string;
  status?: 'pending' | 'approved' | 'declined' | 'consumed';
  employee_note?: string | null;
  employer_note?: string | null;
  policy_type?: string | null;
  policy_uuid?: string | null;
  days?: Record<string, GustoDecimal>;
  employee?: { uuid?: string; full_name?: string };
  initiator?: { uuid?: string; full_name?: string } | null;
  approver?: { uuid?: string; full_name?: string } | null;
}

/** `Embedded-Time-Off-Balance`: hours as decimal strings; a balance may be negative. */
export interface GustoTimeOffBalance {
  employee_uuid?: string;
  balances?: Array<{
    policy_uuid?: string;
    balance_hours?: GustoDecimal;
    accrued_hours?: GustoDecimal;
    used_hours?: GustoDecimal;
    pending_hours?: GustoDecimal | null;
  }>;
}

export type GustoOffCycleReason =
  | 'Adhoc'
  | 'Benefit reversal'
  | 'Bonus'
  | 'Correction'
  | 'Dismissed employee'
  | 'Hired employee'
  | 'Wage correction'
  | 'Tax reconciliation'
  | 'Reversal'
  | 'Disability insurance distribution'
  | 'Transition from old pay schedule';

/** `Payroll` (list items) and the header part of `Payroll-Show`. */
export interface GustoPayroll {
  uuid?: string;
  payroll_uuid?: string;
  company_uuid?: string;
  payroll_deadline?: string;
  check_date?: string;
  processed?: boolean;
  processed_date?: string | null;
  calculated_at?: string | null;
  off_cycle?: boolean;
  off_cycle_reason?: GustoOffCycleReason | null;
  auto_pilot?: boolean;
  external?: boolean;
  final_termination_payroll?: boolean;
  pay_period?: { start_date?: string; end_date?: string; pay_schedule_uuid?: string | null };
  created_at?: string;
}

/** One line of an employee compensation: `amount` is absent on hourly lines until the payroll is calculated. */
export interface GustoCompensationLine {
  name?: string;
  amount?: GustoDecimal;
  hours?: GustoDecimal;
  job_uuid?: string;
  compensation_multiplier?: number;
  flsa_status?: string;
}

/** `Payroll-Employee-Compensations-Type` with the `taxes`, `benefits` and `deductions` includes. */
export interface GustoEmployeeCompensation {
  employee_uuid?: string;
  excluded?: boolean;
  first_name?: string | null;
  preferred_first_name?: string | null;
  last_name?: string | null;
  gross_pay?: GustoDecimal | null;
  net_pay?: GustoDecimal | null;
  check_amount?: GustoDecimal | null;
  payment_method?: 'Direct Deposit' | 'Check' | 'Historical';
  memo?: string | null;
  fixed_compensations?: GustoCompensationLine[];
  hourly_compensations?: GustoCompensationLine[];
  paid_time_off?: Array<{
    name?: string;
    hours?: GustoDecimal;
    final_payout_unused_hours_input?: string | null;
  }>;
  reimbursements?: Array<{ amount?: GustoDecimal; description?: string | null; uuid?: string | null }>;
  taxes?: Array<{ name?: string; employer?: boolean; amount?: GustoDecimal }>;
  benefits?: Array<{
    name?: string;
    employee_deduction?: GustoDecimal;
    company_contribution?: GustoDecimal;
    imputed?: boolean;
  }>;
  deductions?: Array<{
    name?: string;
    amount?: GustoDecimal;
    amount_type?: 'fixed' | 'percent';
    uuid?: string;
  }>;
}

/** `Payroll-Show`: a payroll with one page of its employee compensations. */
export interface GustoPayrollShow extends GustoPayroll {
  employee_compensations?: GustoEmployeeCompensation[];
}

/** `Not-Found-Error-Object` and the other `errors` bodies. */
export interface GustoErrors {
  errors?: Array<{ error_key?: string; category?: string; message?: string }>;
}
