/**
 * Justworks' data as its server-rendered pages embed it: `<script hydration-key="KEY" type="application/json">`
 * blocks that the page's React components hydrate from (README.md has the sources). Only read fields are typed.
 */

/** `currentMember` on every signed-in page. */
export interface JwCurrentMember {
  member_uuid?: string;
  company_name?: string;
  /** `admin`, `payroll_admin`, `manager`, `employee`. */
  role?: string;
}

/** One of `members` on the directory page. */
export interface JwMember {
  member_uuid?: string;
  first_name?: string | null;
  last_name?: string | null;
  preferred_name?: string | null;
  work_email?: string | null;
  personal_email?: string | null;
  phone?: string | null;
  title?: string | null;
  department?: string | null;
  office?: string | null;
  /** `active`, `terminated`, `onboarding`, `leave`. */
  status?: string | null;
  /** `full_time`, `part_time`, `contractor`, `intern`. */
  employment_type?: string | null;
  start_date?: string | null;
  end_date?: string | null;
  birth_date?: string | null;
  manager_uuid?: string | null;
}

/** One of `payrolls` on the payments page. */
export interface JwPayroll {
  uuid?: string;
  pay_date?: string;
  period_start?: string | null;
  period_end?: string | null;
  /** `processed`, `pending`, `draft`. */
  status?: string;
  /** `regular`, `off_cycle`, `bonus`, `correction`. */
  payroll_type?: string;
}

export interface JwAmountLine {
  name?: string;
  amount?: string;
  hours?: string | null;
}

/** One of `paystubs` on a payroll's page. */
export interface JwPaystub {
  uuid?: string;
  member_uuid?: string;
  gross_pay?: string;
  net_pay?: string;
  earnings?: JwAmountLine[];
  deductions?: JwAmountLine[];
  employee_taxes?: JwAmountLine[];
  employer_taxes?: JwAmountLine[];
  reimbursements?: JwAmountLine[];
}
