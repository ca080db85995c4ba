/**
 * Deputy's JSON as its web app's pages fetch it: the `/api/v1` endpoints of its published API reference, called
 * with the browser session instead of a bearer token (README.md has the sources). Deputy names fields in Hungarian
 * notation on its management endpoints and in plain PascalCase on its Resource API (`/api/v1/resource/{Object}`),
 * which these are. Only read fields are typed; all optional, as an internal API owes us nothing.
 */

/** `GET /api/v1/me` ("Who am I"). */
export interface DeputyMe {
  Login?: string;
  Name?: string;
  UserId?: number;
  EmployeeId?: number;
  PrimaryEmail?: string;
  /** The workplaces (Deputy "Company" = location) the login may see; empty for an account with none. */
  Company?: number | null;
  /** Deputy's access level of the login: `System Administrator`, `Supervisor`, `Location Manager`, `Employee`. */
  Role?: string;
  InProgressTS?: number | null;
}

/** The `ContactObject` join of an Employee (its Contact record). */
export interface DeputyContact {
  Id?: number;
  Email?: string | null;
  Email1?: string | null;
  Phone1?: string | null;
  Mobile?: string | null;
}

/** The `CompanyObject` join of an Employee: the workplace (location). */
export interface DeputyCompany {
  Id?: number;
  Code?: string | null;
  CompanyName?: string | null;
  Active?: boolean;
}

/** One row of `POST /api/v1/resource/Employee/QUERY`. */
export interface DeputyEmployee {
  Id?: number;
  Company?: number | null;
  FirstName?: string | null;
  LastName?: string | null;
  DisplayName?: string | null;
  OtherName?: string | null;
  /** 0 unspecified, 1 male, 2 female, 3 non-binary (the management endpoints' `intGender`). */
  Gender?: number | null;
  DateOfBirth?: string | null;
  StartDate?: string | null;
  TerminationDate?: string | null;
  Active?: boolean;
  Position?: string | null;
  /** The Employee record of the person's manager (the "Report to" field). */
  ReportTo?: number | null;
  Contact?: number | null;
  Created?: string | null;
  Modified?: string | null;
  ContactObject?: DeputyContact | null;
  CompanyObject?: DeputyCompany | null;
}

/** One row of `GET /api/v1/resource/OperationalUnit` (an "area" of a workplace, Deputy's department). */
export interface DeputyOperationalUnit {
  Id?: number;
  Company?: number;
  OperationalUnitName?: string | null;
  Active?: boolean;
}

/** One row of `POST /api/v1/resource/Timesheet/QUERY`. Times are Unix seconds; `TotalTime` is hours. */
export interface DeputyTimesheet {
  Id?: number;
  Employee?: number;
  Date?: string | null;
  StartTime?: number | null;
  EndTime?: number | null;
  TotalTime?: number | null;
  Discarded?: boolean | null;
  IsInProgress?: boolean | null;
  Created?: string | null;
  Modified?: string | null;
}

/** The body of a Resource API `QUERY`: search conditions `s1…`, joins, and the page (`start`, `max` ≤ 500). */
export interface DeputyQuery {
  search?: Record<string, { field: string; type: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; data: unknown }>;
  join?: string[];
  sort?: Record<string, 'asc' | 'desc'>;
  start?: number;
  max?: number;
}
