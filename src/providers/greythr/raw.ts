/**
 * greytHR's internal JSON as its web app's pages fetch it (see README.md for the sources). Only the fields the
 * adapter reads are typed; everything is optional because an undocumented API owes us nothing.
 */

/** `GET /v3/api/user-info`: who is signed in (the page header's data). */
export interface GreytUserInfo {
  employeeId?: number;
  employeeNo?: string;
  name?: string;
  email?: string;
  companyName?: string;
  /** `ESS` for every employee; `HR_ADMIN` / `PAYROLL_ADMIN` for those who may read everyone's data. */
  roles?: string[];
}

/** One row of `GET /v3/api/empinfo/empdir` (the employee directory page). */
export interface GreytDirectoryEntry {
  employeeId?: number;
  employeeNo?: string | null;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  personalEmail?: string | null;
  mobile?: string | null;
  designation?: string | null;
  department?: string | null;
  location?: string | null;
  gender?: string | null;
  dateOfBirth?: string | null;
  dateOfJoin?: string | null;
  leavingDate?: string | null;
  /** `Active`, `Resigned`, `Notice Period`, `Probation`. */
  status?: string | null;
  managerId?: number | null;
}

export interface GreytDirectoryPage {
  employees?: GreytDirectoryEntry[];
  totalElements?: number;
  page?: number;
  size?: number;
}

/** One period of `GET /v3/api/payroll/months/{profileId}/published?type=payslip`. */
export interface GreytPayslipMonth {
  id?: number;
  month?: string;
  fromDate?: string;
  toDate?: string;
  paidOn?: string | null;
  released?: boolean;
}

export interface GreytMonths {
  months?: GreytPayslipMonth[];
  employeeInfo?: { employeeId?: number; email?: string };
}

/** One line of `GET /v3/api/payroll/payslip/{profileId}/{payslipId}/published`. */
export interface GreytPayslipItem {
  item?: {
    id?: number;
    parent?: string;
    name?: string;
    description?: string;
    salaryType?: number;
    show?: boolean;
  };
  value?: number;
}

export interface GreytPayslip {
  content?: GreytPayslipItem[];
  netPayInWords?: string;
  ctcTypeText?: string;
}
