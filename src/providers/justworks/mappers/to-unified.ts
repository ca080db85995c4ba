/**
 * Justworks members → Employees, payrolls → payruns, pay stubs → payslips. Money arrives as decimal strings of US
 * dollars and becomes integer cents, read exactly (no float arithmetic on the digits).
 */
import type { Employee, Payrun, Payslip } from '../../../model/index.js';
import { departmentGroups, managerRef, str, webEmployee } from '../../session/web-mappers.js';
import type { JwAmountLine, JwMember, JwPayroll, JwPaystub } from '../raw.js';

const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);

/** `"1234.5"` → 123450; null when it is not a decimal amount. */
export function cents(v: unknown): number | null {
  const m = typeof v === 'string' ? /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(v.trim()) : null;
  if (!m) return null;
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0') || 0);
  return m[1] ? -value : value;
}

const STATUS: Record<string, Employee['employment_status']> = {
  active: 'active',
  terminated: 'inactive',
  onboarding: 'pending',
  leave: 'leave',
};
const TYPE: Record<string, Employee['employment_type']> = {
  full_time: 'full_time',
  part_time: 'part_time',
  contractor: 'contractor',
  intern: 'other',
};

export function toEmployee(m: JwMember): Employee {
  const first = str(m.first_name) ?? '';
  const last = str(m.last_name) ?? '';
  const office = str(m.office);
  return webEmployee({
    id: m.member_uuid ?? '',
    first_name: first,
    last_name: last,
    display_full_name: `${str(m.preferred_name) ?? first} ${last}`.trim() || null,
    job_title: str(m.title),
    work_email: str(m.work_email),
    personal_email: str(m.personal_email),
    mobile_phone_number: str(m.phone),
    date_of_birth: date(m.birth_date),
    employment_status: STATUS[m.status ?? ''] ?? null,
    employment_type: TYPE[m.employment_type ?? ''] ?? null,
    start_date: date(m.start_date),
    termination_date: date(m.end_date),
    work_location: office
      ? { id: office, remote_id: office, name: office, type: 'office', address: null }
      : null,
    manager: managerRef(str(m.manager_uuid)),
    groups: departmentGroups(str(m.department)),
  });
}

const PAYRUN_TYPES: Record<string, Payrun['type']> = {
  regular: 'regular',
  off_cycle: 'off_cycle',
  bonus: 'one_time',
  correction: 'correction',
};

export function toPayrun(p: JwPayroll): Payrun {
  const id = p.uuid ?? '';
  return {
    id,
    remote_id: id,
    state: p.status === 'processed' ? 'paid' : 'pending',
    type: PAYRUN_TYPES[p.payroll_type ?? ''] ?? null,
    start_date: date(p.period_start),
    end_date: date(p.period_end),
    payment_date: date(p.pay_date),
  };
}

const lines = (list: JwAmountLine[] | undefined) =>
  (list ?? []).flatMap((l) => {
    const amount = cents(l.amount);
    return amount === null || !str(l.name) ? [] : [{ name: str(l.name) as string, amount }];
  });

export function toPayslip(s: JwPaystub, payroll: JwPayroll): Payslip {
  const run = toPayrun(payroll);
  const end = run.end_date ?? run.payment_date ?? '';
  return {
    id: s.uuid ?? null,
    remote_id: s.uuid ?? null,
    employee_id: s.member_uuid ?? '',
    employee_remote_id: s.member_uuid ?? '',
    payrun_id: run.id,
    payrun_remote_id: run.remote_id,
    payrun_type: run.type,
    currency: 'usd',
    gross_pay: cents(s.gross_pay),
    net_pay: cents(s.net_pay),
    start_date: run.start_date ?? end,
    end_date: end,
    payment_date: run.payment_date ?? end,
    earnings: (s.earnings ?? []).flatMap((l) => {
      const amount = cents(l.amount);
      const hours = l.hours == null ? null : Number(l.hours);
      return amount === null || !str(l.name)
        ? []
        : [{ name: str(l.name) as string, amount, hours: Number.isFinite(hours) ? hours : null }];
    }),
    contributions: null,
    deductions: lines(s.deductions),
    taxes: [
      ...lines(s.employee_taxes).map((t) => ({ ...t, employer_tax: false })),
      ...lines(s.employer_taxes).map((t) => ({ ...t, employer_tax: true })),
    ],
    reimbursements: lines(s.reimbursements),
  };
}
