/**
 * Remote's own types, as its published OpenAPI 3.0 spec (version 0.1.0, `spec/providers/remote/openapi.yaml`)
 * has them. Every field is optional here: the adapter never trusts a provider to send what its spec promises.
 */

/** `Country`: `code` is ISO 3166 alpha-3 (`AUS`), `alpha_2_code` the alpha-2 the contract uses. */
export interface RemoteCountry {
  code?: string;
  alpha_2_code?: string;
  name?: string;
}

/** `EmploymentStatus`. */
export type RemoteEmploymentStatus =
  | 'active'
  | 'created'
  | 'created_awaiting_reserve'
  | 'created_reserve_paid'
  | 'initiated'
  | 'invited'
  | 'pending'
  | 'review'
  | 'archived'
  | 'deleted';

export type RemoteEmploymentType = 'employee' | 'contractor' | 'direct_employee' | 'global_payroll_employee';

/** `MinimalEmployment`: one record of `GET /v1/employments`. */
export interface RemoteMinimalEmployment {
  id?: string;
  full_name?: string;
  job_title?: string;
  personal_email?: string;
  status?: RemoteEmploymentStatus | string;
  type?: RemoteEmploymentType | string;
  country?: RemoteCountry;
  department?: string | null;
  department_id?: string | null;
}

/**
 * `Employment` (`GET /v1/employments/{id}`). The `*_details` objects are country-specific JSON-schema forms; the
 * keys read here are those of Remote's forms (`basic_information.name`, `contract_details.annual_gross_salary` in
 * cents a year, `address_details.address`…).
 */
export interface RemoteEmployment extends RemoteMinimalEmployment {
  company_id?: string;
  created_at?: string;
  updated_at?: string;
  provisional_start_date?: string;
  seniority_date?: string;
  manager?: string;
  basic_information?: Record<string, unknown>;
  personal_details?: Record<string, unknown>;
  contract_details?: Record<string, unknown>;
  address_details?: Record<string, unknown>;
  emergency_contact_details?: Record<string, unknown>;
  bank_account_details?: unknown[];
}

/** `Company` (`GET /v1/companies`). `country_code` is alpha-3. */
export interface RemoteCompany {
  id?: string;
  name?: string;
  country_code?: string;
  desired_currency?: string;
  tax_number?: string | null;
  registration_number?: string | null;
  status?: string;
  address_details?: Record<string, unknown>;
  created_at?: string;
  updated_at?: string;
}

/** `CompanyDepartment`. */
export interface RemoteDepartment {
  id?: string;
  name?: string;
  company_id?: string;
}

/** `TimeoffType`. */
export type RemoteTimeoffType =
  | 'paid_time_off'
  | 'sick_leave'
  | 'public_holiday'
  | 'unpaid_leave'
  | 'extended_leave'
  | 'in_lieu_time'
  | 'maternity_leave'
  | 'paternity_leave'
  | 'parental_leave'
  | 'bereavement'
  | 'military_leave'
  | 'other';

/** `Timeoff`: `timeoff_days` lists each day and the hours taken on it. */
export interface RemoteTimeoff {
  id?: string;
  employment_id?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  timeoff_type?: RemoteTimeoffType | string;
  timeoff_days?: Array<{ day?: string; hours?: number }>;
  notes?: string | null;
  timezone?: string;
  approved_at?: string | null;
  approver_id?: string | null;
  cancelled_at?: string | null;
}

/** A duration as Remote gives it in balances: `{days, hours}` (the spec's own example). */
export interface RemoteDuration {
  days?: number;
  hours?: number;
}

export interface RemoteTimeoffEntitlement {
  name?: string | null;
  type?: string;
  entitled?: RemoteDuration | number;
  taken?: RemoteDuration | number;
  remaining?: RemoteDuration | number;
  expiry_date?: string | null;
  can_expire?: boolean;
}

/**
 * `TimeoffBalance`. The schema names the list `timeoff_entitlements`; the spec's own example calls it
 * `leave_entitlements`. Both are read.
 */
export interface RemoteTimeoffBalance {
  taken?: RemoteDuration | number;
  working_hours_per_day?: number;
  total_entitled_days?: number;
  contractual_entitled?: RemoteDuration | number;
  timeoff_entitlements?: RemoteTimeoffEntitlement[];
  leave_entitlements?: RemoteTimeoffEntitlement[];
}

/** The page envelope of Remote's lists: records under `data.<key>`, and page counters beside them. */
export interface RemotePage {
  current_page?: number;
  total_count?: number;
  total_pages?: number;
}
