/**
 * Factorial's own shapes, as `spec/providers/factorial/oas-2026-07-01.excerpt.yaml` (API version 2026-07-01) gives
 * them. Every property is optional here although the spec marks some required: the spec says only admins see the
 * whole payload ("regular users will get a restricted version"), so an OAuth user token may omit any of them.
 * Ids are strings on the wire; money and day/hour counts are integers "in cents" (× 100); allowance stats are decimal
 * strings (`'8.0'`).
 */

/** `_paged_index_meta`: cursor pagination facts sent with every list. */
export interface FactorialMeta {
  start_cursor?: string | null;
  end_cursor?: string | null;
  has_previous_page?: boolean;
  has_next_page?: boolean;
  limit?: number;
  total?: number;
}

export interface FactorialPage<T> {
  data?: T[];
  meta?: FactorialMeta;
}

/** `employees_employee`. */
export interface FactorialEmployee {
  id?: string;
  access_id?: string;
  first_name?: string;
  last_name?: string;
  full_name?: string;
  preferred_name?: string | null;
  birth_name?: string | null;
  gender?: string | null;
  identifier?: string | null;
  identifier_type?: string | null;
  email?: string | null;
  login_email?: string | null;
  birthday_on?: string | null;
  nationality?: string | null;
  address_line_1?: string | null;
  address_line_2?: string | null;
  postal_code?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  bank_number?: string | null;
  swift_bic?: string | null;
  bank_number_format?: string | null;
  company_id?: string;
  legal_entity_id?: string | null;
  location_id?: string | null;
  default_work_area_id?: string | null;
  created_at?: string;
  updated_at?: string;
  social_security_number?: string | null;
  is_terminating?: boolean;
  terminated_on?: string | null;
  termination_reason_type?: string | null;
  termination_reason?: string | null;
  termination_observations?: string | null;
  manager_id?: string | null;
  timeoff_manager_id?: string | null;
  phone_number?: string | null;
  company_identifier?: string | null;
  age_number?: number | null;
  termination_type_description?: string | null;
  contact_name?: string | null;
  contact_number?: string | null;
  personal_email?: string | null;
  seniority_calculation_date?: string | null;
  communications_email?: string | null;
  unconfirmed_communications_email?: string | null;
  pronouns?: string | null;
  active?: boolean;
  disability_percentage_cents?: number | null;
  identifier_expiration_date?: string | null;
  attendable?: boolean;
  country_of_birth?: string | null;
  birthplace?: string | null;
}

/** `contracts_contract_version`: one version of an employee's contract (job, dates, salary, hours). */
export interface FactorialContractVersion {
  id?: string;
  company_id?: string;
  employee_id?: string;
  effective_on?: string;
  country?: string | null;
  job_title?: string | null;
  starts_on?: string | null;
  ends_on?: string | null;
  has_payroll?: boolean;
  /** Cents of the legal entity's currency, per `salary_frequency`. */
  salary_amount?: number | null;
  /** Free text in the spec; `yearly` in its example. */
  salary_frequency?: string | null;
  working_hours?: number | null;
  working_hours_frequency?: string | null;
  /** 10000 = full time. */
  working_time_percentage_in_cents?: number | null;
  created_at?: string;
  updated_at?: string;
}

/** `teams_team`. */
export interface FactorialTeam {
  id?: string;
  name?: string;
  description?: string | null;
  avatar?: string | null;
  employee_ids?: string[];
  lead_ids?: string[];
  company_id?: string;
}

/** `locations_location` (a workplace). */
export interface FactorialLocation {
  id?: string;
  company_id?: string;
  name?: string;
  timezone?: string | null;
  country?: string | null;
  state?: string | null;
  city?: string | null;
  address_line_1?: string | null;
  address_line_2?: string | null;
  postal_code?: string | null;
  phone_number?: string | null;
  main?: boolean;
  latitude?: number | null;
  longitude?: number | null;
  radius?: number | null;
  siret?: string | null;
}

/** `companies_legal_entity`. */
export interface FactorialLegalEntity {
  id?: string;
  company_id?: string;
  /** Lower-case ISO 3166 alpha-2 ("es"). */
  country?: string;
  legal_name?: string;
  /** ISO 4217 ("EUR"). */
  currency?: string;
  tin?: string | null;
  city?: string | null;
  state?: string | null;
  postal_code?: string | null;
  address_line_1?: string | null;
  address_line_2?: string | null;
}

/** `timeoff_leave`: one time-off request. */
export interface FactorialLeave {
  id?: string;
  company_id?: string;
  employee_id?: string;
  start_on?: string;
  finish_on?: string | null;
  half_day?: string | null;
  description?: string | null;
  reason?: string | null;
  leave_type_id?: string | null;
  leave_type_name?: string | null;
  approved?: boolean | null;
  employee_full_name?: string | null;
  start_time?: string | null;
  /** Hours × 100, for leaves taken by the hour. */
  hours_amount_in_cents?: number | null;
  updated_at?: string;
  created_at?: string | null;
  deleted_at?: string | null;
  /** Typed string in the spec, an object in its example. */
  duration_attributes?: unknown;
  days_taken?: number;
}

/** `timeoff_leave_type`. */
export interface FactorialLeaveType {
  id?: string;
  name?: string;
  translated_name?: string | null;
  identifier?: string;
  active?: boolean;
  workable?: boolean;
  payable?: boolean;
  company_id?: string;
  allowance_ids?: string[];
}

/** `timeoff_allowance`: a counter of days or hours a policy grants. */
export interface FactorialAllowance {
  id?: string;
  name?: string;
  /** `days` | `hours`: the unit of every number of this allowance and of its stats. */
  allowance_type?: string;
  leave_type_ids?: string[];
  negative_counter_type?: string;
  timeoff_policy_id?: string;
}

/** `timeoff_allowance_stats_new`: one employee's counters for one allowance at a reference date. */
export interface FactorialAllowanceStat {
  id?: string;
  allowance_id?: string;
  employee_id?: string;
  year?: number;
  /** Decimal string in the allowance's unit; negative when the allowance lets the counter go below zero. */
  available_days?: string;
  total?: string;
  used_days?: string;
  used_units_until_reference_date?: string;
  outstanding_units?: string;
}

/** `attendance_shift`: one clocked period; times are local wall-clock `HH:MM` on `date`. */
export interface FactorialShift {
  id?: string;
  employee_id?: string;
  date?: string;
  reference_date?: string;
  clock_in?: string | null;
  clock_out?: string | null;
  clock_in_with_seconds?: string | null;
  observations?: string | null;
  location_type?: string | null;
  half_day?: string | null;
  /** false: a break, not worked time. */
  workable?: boolean;
  created_at?: string;
  updated_at?: string;
  workplace_id?: string | null;
  company_id?: string;
  minutes?: number;
}

/** The OAuth token endpoint's answer (`POST /oauth/token`, Doorkeeper style). */
export interface FactorialTokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  created_at?: number;
}
