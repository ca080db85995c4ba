/**
 * HiBob's own shapes, as the published spec (spec/providers/hibob/hibob-public-api.generated.yml) gives them, with
 * every field optional: the spec marks almost nothing required and its own examples leave most fields out.
 *
 * People come back in HiBob's "machine format": list fields (department, gender, employment type …) hold the id
 * of a named-list item, not its name; `humanReadable: 'APPEND'` adds a `humanReadable` node with the names. Each
 * requested field also appears flattened under its path (`"/work/title": { "value": … }`) next to the nested form
 * (HiBob's "How to work with lists" guide shows both).
 */

/** A reference to another employee (`work.reportsTo`). */
export interface HibobPersonRef {
  id?: string | null;
  firstName?: string | null;
  surname?: string | null;
  email?: string | null;
  displayName?: string | null;
}

export interface HibobWork {
  title?: string | null;
  /** Named-list item id (machine format) or the department's name (human readable). */
  department?: string | null;
  site?: string | null;
  siteId?: number | string | null;
  startDate?: string | null;
  reportsTo?: HibobPersonRef | string | null;
  employeeIdInCompany?: number | string | null;
  mobilePhone?: string | null;
  custom?: Record<string, unknown> | null;
  [key: string]: unknown;
}

export interface HibobInternal {
  /** `Active` or `Inactive`. */
  status?: string | null;
  terminationDate?: string | null;
  /** `hired`, `employed`, `terminated`, `garden leave` … (a list field in machine format). */
  lifecycleStatus?: string | null;
  [key: string]: unknown;
}

export interface HibobPersonal {
  gender?: string | null;
  birthDate?: string | null;
  /** Countries of citizenship. */
  nationality?: string[] | string | null;
  [key: string]: unknown;
}

export interface HibobHome {
  mobilePhone?: string | null;
  privateEmail?: string | null;
  [key: string]: unknown;
}

export interface HibobAddress {
  line1?: string | null;
  line2?: string | null;
  city?: string | null;
  postCode?: string | null;
  state?: string | null;
  country?: string | null;
  [key: string]: unknown;
}

export interface HibobPayroll {
  employment?: {
    /** Permanent, Temporary, Apprentice, Contractor or a custom value (list `payrollEmploymentType`). */
    type?: string | null;
    /** Full-Time, Part-Time or Shifts. */
    contract?: string | null;
    [key: string]: unknown;
  } | null;
  [key: string]: unknown;
}

/** The categories we read, nested as HiBob nests them. */
export interface HibobEmployeeParts {
  id?: string | null;
  firstName?: string | null;
  surname?: string | null;
  email?: string | null;
  displayName?: string | null;
  fullName?: string | null;
  companyId?: number | string | null;
  creationDateTime?: string | null;
  avatarUrl?: string | null;
  work?: HibobWork | null;
  internal?: HibobInternal | null;
  personal?: HibobPersonal | null;
  home?: HibobHome | null;
  address?: HibobAddress | null;
  payroll?: HibobPayroll | null;
}

/** One item of `POST /people/search` → `employees`. */
export interface HibobEmployee extends HibobEmployeeParts {
  humanReadable?: HibobEmployeeParts | null;
  /** The flat form, `"/work/title": { value }`, and anything else HiBob adds. */
  [key: string]: unknown;
}

export interface HibobSearchResponse {
  employees?: HibobEmployee[];
}

/** `POST /people/search` body (`ReadEmployeesRequestReference`). */
export interface HibobSearchRequest {
  fields?: string[];
  filters?: Array<{ fieldPath: 'root.id' | 'root.email'; operator: 'equals'; values: string[] }>;
  showInactive?: boolean;
  humanReadable?: '' | 'APPEND' | 'REPLACE';
}

/** `GET /company/people/fields` item (`Field`). */
export interface HibobField {
  id?: string;
  categoryId?: string;
  category?: string;
  name?: string;
  jsonPath?: string;
  type?: string;
  typeData?: { listId?: string };
  historical?: boolean;
}

/** `GET /company/named-lists/{listName}` (`List`); items may nest (`children`). */
export interface HibobListItem {
  id?: number | string;
  value?: string;
  name?: string;
  archived?: boolean;
  children?: HibobListItem[];
}

export interface HibobNamedList {
  name?: string;
  items?: HibobListItem[];
}

/** `SalaryEntry` of the payroll (salaries) table. */
export interface HibobSalaryEntry {
  id?: number;
  effectiveDate?: string | null;
  endEffectiveDate?: string | null;
  isCurrent?: boolean;
  base?: { value?: number | null; currency?: string | null } | null;
  /** Annual, Hourly, Daily, Weekly or Monthly. */
  payPeriod?: string | null;
  /** Monthly, Semi Monthly, Weekly or Bi-Weekly. */
  payFrequency?: string | null;
  change?: { reason?: string | null; changedBy?: string | null; changedById?: string | null } | null;
  creationDate?: string | null;
  modificationDate?: string | null;
  [key: string]: unknown;
}

/**
 * `GET /bulk/people/salaries` (`BulkSalariesTableResponse`). The spec nests each employee's entries one level deeper
 * than the entries endpoint (`values: [{ values: [SalaryEntry] }]`); a plain `values: [SalaryEntry]` satisfies the
 * same schema, so both are read.
 */
export interface HibobBulkSalaries {
  results?: Array<{
    employeeId?: string;
    values?: Array<HibobSalaryEntry | { values?: HibobSalaryEntry[] }>;
  }>;
  response_metadata?: { cursor?: string | null };
  errors?: Array<{ employeeId?: { error?: string; message?: string } | string }>;
}

/** The request duration types; the spec lists the first four, HiBob's current docs add the rest. */
export type HibobRequestType =
  | 'days'
  | 'hours'
  | 'portionOnRange'
  | 'hoursOnRange'
  | 'differentDayDurations'
  | 'specificHoursDayDurations'
  | 'differentSpecificHoursDayDurations'
  | 'percentageOnRange'
  | 'openEnded';

/** `GET /timeoff/whosout` → `outs` item (`Request`). */
export interface HibobOut {
  requestId?: number;
  employeeId?: string;
  policyType?: string;
  policyTypeDisplayName?: string;
  type?: HibobRequestType | string;
  startDate?: string | null;
  /** all_day, morning or afternoon. */
  startPortion?: string | null;
  endDate?: string | null;
  endPortion?: string | null;
  /** morning or afternoon (portionOnRange). */
  dayPortion?: string | null;
  /** The day of an `hours` request. */
  date?: string | null;
  hoursOnDate?: number | null;
  minutes?: number | null;
  dailyHours?: number | null;
  /** Approved or Pending. */
  status?: string | null;
  employeeDisplayName?: string;
  visibility?: string;
  /** Not in the spec's schema; HiBob's current docs say every request now carries them. */
  totalCost?: number | null;
  durationUnit?: 'days' | 'hours' | string | null;
}

export interface HibobWhosOut {
  outs?: HibobOut[];
}

/** `GET /timeoff/policy-types/{policyType}` (`PolicyType`). */
export interface HibobPolicyType {
  name?: string;
  activity?: string;
  unit?: 'days' | 'hours' | string;
}

/** `GET /timeoff/employees/{id}/balance` (`BalanceResult`). */
export interface HibobBalance {
  employeeId?: string;
  totalBalanceAsOfDate?: number | null;
  totalRoundedBalanceAsOfDate?: number | null;
  pointInTime?: string | null;
  startingBalance?: number | null;
  startingBalanceAsOf?: string | null;
  totalTaken?: number | null;
  totalAdminAdjustments?: number | null;
  totalSystemAdjustments?: number | null;
  annualAllowance?: number | null;
  policy?: string | null;
}

/** The `default` error body every endpoint documents (`Error`). */
export interface HibobError {
  key?: string;
  error?: string;
}
