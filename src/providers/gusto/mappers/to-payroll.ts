/**
 * Gusto payrolls → the contract's payruns, and a payroll's employee compensations → payslips. Money is integer cents
 * read exactly from Gusto's decimals (see values.ts); every payslip is in US dollars (Gusto pays in the US only).
 */
import { payslipIds } from '../../mapping.js';
import type { Payrun, Payslip } from '../../../model/index.js';
import type { GustoCompensationLine, GustoEmployeeCompensation, GustoPayroll } from '../raw.js';
import { str, toCents, toDate, toHours } from './values.js';
import type { PayrunState, PayrunType } from '../../mapping.js';

type Line = { name: string; amount: number };
type Earning = NonNullable<Payslip['earnings']>[number];
type Tax = NonNullable<Payslip['taxes']>[number];

/**
 * A regular payroll is one of its pay schedule's periods (`off_cycle: false`). Off-cycle payrolls say why in
 * `off_cycle_reason`: corrections and reversals are the contract's own types, a bonus run is a one-time payment,
 * and the rest (ad hoc, hires, dismissals, tax reconciliation, …) are off-cycle runs.
 */
export function mapPayrunType(p: Pick<GustoPayroll, 'off_cycle' | 'off_cycle_reason'>): PayrunType {
  if (p.off_cycle !== true) return 'regular';
  switch (p.off_cycle_reason) {
    case 'Correction':
    case 'Wage correction':
      return 'correction';
    case 'Reversal':
    case 'Benefit reversal':
      return 'reversal';
    case 'Bonus':
      return 'one_time';
    case 'Adhoc':
    case 'Dismissed employee':
    case 'Hired employee':
    case 'Tax reconciliation':
    case 'Disability insurance distribution':
    case 'Transition from old pay schedule':
      return 'off_cycle';
    default:
      return 'off_cycle';
  }
}

/** A processed payroll has been submitted and paid out; anything else is still pending. */
export function mapPayrunState(p: Pick<GustoPayroll, 'processed'>): PayrunState {
  return p.processed === true ? 'paid' : 'pending';
}

export function payrollId(p: GustoPayroll): string {
  return str(p.payroll_uuid) ?? str(p.uuid) ?? '';
}

export function toPayrun(p: GustoPayroll): Payrun {
  const id = payrollId(p);
  return {
    id,
    remote_id: id,
    state: mapPayrunState(p),
    type: mapPayrunType(p),
    start_date: toDate(p.pay_period?.start_date),
    end_date: toDate(p.pay_period?.end_date),
    payment_date: toDate(p.check_date),
  };
}

/** Gusto lists every eligible compensation, zero when unused ("0.00"); a payslip lists what was paid. */
const paid = (l: Line) => l.amount !== 0;

/** Gusto's one-time reimbursements arrive as a fixed compensation of this name: they are not earnings. */
const REIMBURSEMENT = 'Reimbursement';

function earnings(c: GustoEmployeeCompensation): Earning[] {
  const out: Earning[] = [];
  const add = (l: GustoCompensationLine, hours: number | null) => {
    const name = str(l.name);
    // Hourly lines carry no amount until the payroll is calculated; without one there is nothing to report.
    const amount = toCents(l.amount);
    if (name && amount !== null && amount !== 0) out.push({ name, amount, hours });
  };
  for (const l of c.hourly_compensations ?? []) add(l, toHours(l.hours));
  for (const l of c.fixed_compensations ?? []) if (l.name !== REIMBURSEMENT) add(l, null);
  return out;
}

function reimbursements(c: GustoEmployeeCompensation): Line[] {
  const out: Line[] = [];
  for (const r of c.reimbursements ?? []) {
    const amount = toCents(r.amount);
    if (amount !== null) out.push({ name: str(r.description) ?? REIMBURSEMENT, amount });
  }
  for (const l of c.fixed_compensations ?? []) {
    const amount = toCents(l.amount);
    if (l.name === REIMBURSEMENT && amount !== null) out.push({ name: REIMBURSEMENT, amount });
  }
  return out.filter(paid);
}

/** Deductions and the employee's share of benefits; a `percent` deduction (unprocessed payrolls only) is no amount. */
function deductions(c: GustoEmployeeCompensation): Line[] {
  const out: Line[] = [];
  for (const d of c.deductions ?? []) {
    const name = str(d.name);
    const amount = d.amount_type === 'percent' ? null : toCents(d.amount);
    if (name && amount !== null) out.push({ name, amount });
  }
  for (const b of c.benefits ?? []) {
    const name = str(b.name);
    const amount = toCents(b.employee_deduction);
    if (name && amount !== null) out.push({ name, amount });
  }
  return out.filter(paid);
}

/** The company's share of benefits. */
function contributions(c: GustoEmployeeCompensation): Line[] {
  const out: Line[] = [];
  for (const b of c.benefits ?? []) {
    const name = str(b.name);
    const amount = toCents(b.company_contribution);
    if (name && amount !== null) out.push({ name, amount });
  }
  return out.filter(paid);
}

function taxes(c: GustoEmployeeCompensation): Tax[] {
  const out: Tax[] = [];
  for (const t of c.taxes ?? []) {
    const name = str(t.name);
    const amount = toCents(t.amount);
    if (name && amount !== null && amount !== 0) {
      out.push({ name, amount, employer_tax: typeof t.employer === 'boolean' ? t.employer : null });
    }
  }
  return out;
}

/**
 * One employee's compensation in a payroll → a payslip (null for an employee excluded from the payroll). Its id
 * joins the payroll and employee uuids: Gusto has no id of its own for it.
 */
export function toPayslip(c: GustoEmployeeCompensation, payroll: GustoPayroll): Payslip | null {
  if (c.excluded === true) return null;
  const employeeId = str(c.employee_uuid);
  if (!employeeId) return null;
  const run = toPayrun(payroll);
  const id = `${run.id}:${employeeId}`;
  const payment = run.payment_date ?? run.end_date ?? '';
  return {
    ...payslipIds(id, employeeId, run),
    currency: 'usd',
    gross_pay: toCents(c.gross_pay),
    net_pay: toCents(c.net_pay),
    start_date: run.start_date ?? payment,
    end_date: run.end_date ?? payment,
    payment_date: payment,
    earnings: earnings(c),
    contributions: contributions(c),
    deductions: deductions(c),
    taxes: taxes(c),
    reimbursements: reimbursements(c),
  };
}
