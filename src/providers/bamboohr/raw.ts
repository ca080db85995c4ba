/**
 * BambooHR's wire shapes, as its published spec (reference/providers/bamboohr/public.yaml) declares them. Only the
 * parts we read are typed; everything is optional or nullable where the spec allows it, because the real API (and
 * Prism) may leave fields out.
 */

/** `GetEmployeesEmployeeResponse` (GET /api/v1/employees): base fields plus those requested via `fields`. */
export interface BhEmployee {
  employeeId: string;
  firstName?: string | null;
  lastName?: string | null;
  preferredName?: string | null;
  photoUrl?: string | null;
  jobTitleName?: string | null;
  status?: string | null;
  _restrictedFields?: string[];
  workEmail?: string | null;
  homeEmail?: string | null;
  bestEmail?: string | null;
  middleName?: string | null;
  workPhone?: string | null;
  workPhoneExtension?: string | null;
  mobilePhone?: string | null;
  homePhone?: string | null;
  birthDate?: string | null;
  hireDate?: string | null;
  divisionName?: string | null;
  divisionId?: string | null;
  departmentName?: string | null;
  departmentId?: string | null;
  locationName?: string | null;
  locationId?: string | null;
  jobTitleId?: string | null;
  employmentStatusName?: string | null;
  employmentStatusId?: string | null;
  reportsToName?: string | null;
  reportsToId?: string | null;
  [field: string]: unknown;
}

/** `GetEmployeesResponseObject`. */
export interface BhEmployeePage {
  data: BhEmployee[];
  meta: {
    total: number;
    page: { limit: number | null; nextCursor: string | null; prevCursor: string | null };
  };
  _links: Record<string, { href?: string } | undefined>;
}

/** `CompanyInformation` (GET /api/v1/company_information). */
export interface BhCompanyInformation {
  legalName?: string;
  displayName?: string;
  address?: { line1?: string; line2?: string; city?: string; state?: string; zip?: string };
  phone?: string;
}

/** `ListFieldOption`. */
export interface BhListOption {
  id: number;
  name?: string;
  archived?: string;
  createdDate?: string | null;
  archivedDate?: string | null;
}

/** `ListFieldDetail` (GET /api/v1/meta/lists). */
export interface BhListField {
  fieldId?: string;
  name?: string;
  alias?: string;
  manageable?: string;
  multiple?: string;
  options?: BhListOption[];
}

/** `LocationResponseObject` (GET /api/v1/hris/org/locations). */
export interface BhLocation {
  id: string;
  label?: string;
  archived?: boolean;
  manageable?: boolean;
  address?: {
    address1?: string | null;
    address2?: string | null;
    city?: string | null;
    stateId?: string | null;
    state?: { id?: string; name?: string; abbreviation?: string };
    zipcode?: string | null;
    countryId?: string | null;
    country?: { id?: string; name?: string; isoCode?: string };
    timezone?: string | null;
    remoteLocation?: boolean;
  };
  createdAt?: string | null;
  archivedAt?: string | null;
}

/** `PagedLocationResponse`. */
export interface BhLocationPage {
  data?: BhLocation[];
  meta?: { page?: number; pageSize?: number; totalPages?: number; totalItems?: number };
  _links?: Record<string, { href?: string } | undefined> | null;
}

/** `TimeOffRequest` (GET /api/v1/time_off/requests). */
export interface BhTimeOffRequest {
  id: number;
  employeeId: number;
  name?: string;
  start?: string;
  end?: string;
  created?: string;
  status?: { lastChanged?: string; lastChangedByUserId?: number; status?: string };
  type?: { id?: number; name?: string; icon?: string };
  amount?: { unit?: string; amount?: number };
  actions?: Record<string, boolean>;
  dates?: Record<string, number>;
  notes?: { employee?: string; manager?: string };
}

/** `TimeOffBalanceEntry` (GET /api/v1/employees/{id}/time_off/calculator). Amounts are decimal strings. */
export interface BhTimeOffBalance {
  timeOffType?: string;
  name?: string;
  units?: string;
  balance?: string;
  end?: string;
  policyType?: 'accruing' | 'discretionary' | 'manual';
  usedYearToDate?: string;
}

/** `EmployeeTimesheetEntryTransformer` (GET /api/v1/time_tracking/timesheet_entries). */
export interface BhTimesheetEntry {
  id: number;
  employeeId: number;
  type?: string;
  date?: string;
  start?: string | null;
  end?: string | null;
  timezone?: string | null;
  hours?: number | null;
  note?: string | null;
  projectInfo?: {
    project?: { id?: number; name?: string };
    task?: { id?: number; name?: string } | null;
  } | null;
  approvedAt?: string | null;
  approved?: boolean;
  createdAt?: string;
  updatedAt?: string | null;
}

/** `ProblemDetailsResponse`: RFC 7807 errors of the newer endpoints. */
export interface BhProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  code?: string;
  fields?: Record<string, string>;
}
