/**
 * The Deel REST API v2 objects we read, as the published spec (letsdeel/deel-api-java-sdk api/openapi.yaml) shapes
 * them. Every field is optional: provider data is untrusted, and the spec's own examples disagree with its schemas
 * (e.g. `nationalities` is an array in the schema and a string in the example), so mappers must be lenient.
 */

export interface DeelListPage {
  offset?: number;
  total_rows?: number;
  items_per_page?: number;
}

export interface DeelEmail {
  type?: string;
  value?: string;
}

export interface DeelAddress {
  region?: string;
  country?: string;
  locality?: string;
  postalCode?: string;
  streetAddress?: string;
}

export interface DeelRef {
  id?: string;
  name?: string;
}

export interface DeelPayment {
  rate?: number;
  scale?: string;
  currency?: string;
  contract_name?: string;
}

/** `getPeopleList_200_response_data_inner_employments_inner`: one contract of a person. */
export interface DeelEmployment {
  id?: string;
  name?: string;
  team?: DeelRef;
  email?: string;
  state?: string;
  country?: string;
  payment?: DeelPayment;
  is_ended?: boolean;
  timezone?: string;
  job_title?: string;
  seniority?: string;
  start_date?: string;
  work_email?: string;
  hiring_type?: string;
  hiring_status?: string;
  completion_date?: string;
  contract_status?: string;
  client_legal_entity?: DeelRef;
  termination_last_day?: string;
  [key: string]: unknown;
}

export interface DeelManagerRef {
  id?: string;
  first_name?: string;
  last_name?: string;
  work_email?: string;
  worker_id?: string;
}

/** `GET /people` item. */
export interface DeelPerson {
  id?: string;
  state?: string;
  emails?: DeelEmail[];
  country?: string;
  timezone?: string;
  addresses?: DeelAddress[];
  full_name?: string;
  job_title?: string;
  last_name?: string;
  seniority?: string;
  worker_id?: number;
  birth_date?: string;
  created_at?: string;
  department?: { id?: string; name?: string; parent?: string };
  first_name?: string;
  start_date?: string;
  updated_at?: string | null;
  employments?: DeelEmployment[];
  external_id?: string;
  hiring_type?: string;
  hiring_status?: string;
  nationalities?: string[] | string;
  work_location?: string;
  direct_manager?: DeelManagerRef;
  direct_reports?: DeelManagerRef[];
  completion_date?: string | null;
  new_hiring_status?: string;
  client_legal_entity?: DeelRef;
  preferred_last_name?: string;
  direct_reports_count?: number;
  preferred_first_name?: string;
  direct_employee_termination_last_day?: string;
  [key: string]: unknown;
}

/** `GET /departments` item: the id is a number in the spec. */
export interface DeelDepartment {
  id?: number | string;
  name?: string;
  parent?: string | null;
}

/** `GET /groups` item. */
export interface DeelGroup {
  id?: string;
  name?: string;
  created_at?: string;
  updated_at?: string;
  archived_at?: string | null;
}

export interface DeelWorkingLocation {
  id?: string;
  name?: string;
}

export interface DeelLegalEntity {
  id?: string;
  name?: string;
  vat_id?: string | null;
  country?: string;
  entity_type?: string;
  entity_subtype?: string;
  registrationNumber?: string | null;
}

export interface DeelOrganization {
  id?: string;
  name?: string;
}

/** `GET /people/me`: a bare object, not wrapped in `data`. */
export interface DeelMe {
  id?: number;
  email?: string;
  full_name?: string;
  first_name?: string;
  last_name?: string;
  organization_name?: string | null;
}

export interface DeelTimeOff {
  id?: string;
  amount?: number;
  reason?: string;
  status?: string;
  is_paid?: boolean;
  end_date?: string;
  start_date?: string;
  created_at?: string;
  updated_at?: string;
  approved_at?: string | null;
  description?: string;
  contract_oid?: string;
  requested_at?: string;
  time_off_type_id?: string;
  recipient_profile?: { hris_profile_id?: string; organization_id?: string; client_profile_id?: string };
  other_type_description?: string;
}

export interface DeelPolicyType {
  id?: number;
  name?: string;
}

export interface DeelPolicy {
  id?: string;
  name?: string;
  created_at?: string;
  updated_at?: string;
  leave_type?: string;
  description?: string;
  policy_type?: DeelPolicyType;
  tracking_unit?: string;
  policy_type_id?: string;
  time_off_types?: DeelRef[];
}

export interface DeelEntitlement {
  id?: string;
  used?: string;
  policy?: DeelPolicy;
  accrued?: string | null;
  approved?: string;
  allowance?: string | null;
  available?: string | null;
  requested?: string;
  accrual_unit?: string;
  tracking_period?: string;
  total_entitlements?: string;
  tracking_period_end_date?: string;
}

export interface DeelTimesheet {
  id?: string;
  type?: string;
  scale?: string | null;
  status?: string | null;
  contract?: { id?: string; type?: string; title?: string };
  quantity?: number | null;
  worksheet?: { days?: number; hours?: number; weeks?: number; minutes?: number } | null;
  created_at?: string;
  description?: string;
  reported_by?: { id?: string; full_name?: string };
  reviewed_by?: { id?: string; remarks?: string; full_name?: string; reviewed_at?: string } | null;
  total_amount?: string;
  currency_code?: string;
  payment_cycle?: { start_date?: string; end_date?: string };
  date_submitted?: string;
}

/** `GET /gp/legal-entities/{id}/reports` item: a payroll event (one pay cycle of one legal entity). */
export interface DeelPayrollReport {
  id?: string;
  status?: string;
  end_date?: string;
  lock_date?: string;
  start_date?: string;
}

/** `GET /gp/reports/{id}/gross_to_net` item: one worker's line in the G2N report. Money as strings or numbers. */
export interface DeelGrossToNet {
  net_pay?: string | null;
  ee_loans?: string | null;
  contract_id?: string;
  cost_center?: string | null;
  annual_bonus?: number | null;
  car_allowance?: number | null;
  ee_income_tax?: string | null;
  employee_name?: string | null;
  employer_cost?: string | null;
  esp_deduction?: number | null;
  funding_amount?: number | null;
  home_allowance?: string | null;
  employee_number?: number | null;
  backdated_salary?: string | null;
  employee_division?: string | null;
  employee_job_title?: string | null;
  employee_department?: string | null;
  er_occupational_risk?: string | null;
  pension_contribution?: number | null;
  employer_contribution?: string | null;
  employment_status_tag_internal?: string | null;
}
