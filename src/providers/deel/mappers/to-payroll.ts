/**
 * Deel Global Payroll → unified payruns and payslips. A payrun is a payroll event of one legal entity
 * (`GET /gp/legal-entities/{id}/reports`); its payslips are the rows of its gross-to-net report
 * (`GET /gp/reports/{id}/gross_to_net`), one per worker contract, with money in major units.
 */
import type { Payrun, Payslip } from '../../../model/index.js';
import type { DeelGrossToNet, DeelPayrollReport } from '../raw.js';
import { str, toCurrency, toDate, toMinorUnits } from './values.js';
import type { PayrunState } from '../../mapping.js';

/** Payroll event `status`: free text in the spec; its example is OPEN. */
export function mapReportStatus(status: string | undefined): PayrunState | null {
  switch (status?.toUpperCase()) {
    case 'OPEN':
    case 'LOCKED':
    case 'PROCESSING':
    case 'PENDING':
      return 'pending';
    case 'CLOSED':
    case 'PAID':
    case 'COMPLETED':
      return 'paid';
    default:
      return null;
  }
}

/**
 * The spec gives a payroll event a start, end and lock date but no pay date; Deel pays a cycle at its end, so
 * the end date stands in for `payment_date`.
 */
export function toPayrun(report: DeelPayrollReport): Payrun {
  const id = str(report.id) ?? '';
  return {
    id,
    remote_id: id,
    state: mapReportStatus(report.status),
    // Payroll events are the regular cycles; off-cycle payments live elsewhere in Deel.
    type: 'regular',
    start_date: toDate(report.start_date),
    end_date: toDate(report.end_date),
    payment_date: toDate(report.end_date),
  };
}

type Line = { name: string; amount: number };

function lines(
  row: DeelGrossToNet,
  currency: string | null,
  fields: ReadonlyArray<readonly [keyof DeelGrossToNet, string]>,
) {
  const out: Line[] = [];
  for (const [key, name] of fields) {
    const amount = toMinorUnits(row[key], currency);
    if (amount !== null) out.push({ name, amount });
  }
  return out;
}

const EARNINGS = [
  ['backdated_salary', 'Backdated salary'],
  ['annual_bonus', 'Annual bonus'],
  ['car_allowance', 'Car allowance'],
  ['home_allowance', 'Home allowance'],
] as const;
const CONTRIBUTIONS = [
  ['pension_contribution', 'Pension contribution'],
  ['employer_contribution', 'Employer contribution'],
  ['er_occupational_risk', 'Employer occupational risk'],
] as const;
const DEDUCTIONS = [
  ['ee_loans', 'Employee loans'],
  ['esp_deduction', 'ESP deduction'],
] as const;

/**
 * One G2N row → a payslip. `currency` comes from the worker's contract (the G2N report has none); amounts are
 * converted to that currency's minor units. The report has no gross pay column, so `gross_pay` is null.
 */
export function toPayslip(
  row: DeelGrossToNet,
  ctx: { report: DeelPayrollReport; employeeId: string; currency: string | null },
): Payslip {
  const payrun = toPayrun(ctx.report);
  const contractId = str(row.contract_id);
  const earnings = lines(row, ctx.currency, EARNINGS).map((l) => ({ ...l, hours: null }));
  const tax = toMinorUnits(row.ee_income_tax, ctx.currency);
  return {
    id: contractId ? `${payrun.id}:${contractId}` : null,
    remote_id: contractId ? `${payrun.id}:${contractId}` : null,
    employee_id: ctx.employeeId,
    employee_remote_id: ctx.employeeId,
    payrun_id: payrun.id,
    payrun_remote_id: payrun.remote_id,
    payrun_type: payrun.type,
    currency: toCurrency(ctx.currency),
    gross_pay: null,
    net_pay: toMinorUnits(row.net_pay, ctx.currency),
    start_date: payrun.start_date ?? '',
    end_date: payrun.end_date ?? '',
    payment_date: payrun.payment_date ?? '',
    earnings,
    contributions: lines(row, ctx.currency, CONTRIBUTIONS),
    deductions: lines(row, ctx.currency, DEDUCTIONS),
    taxes: tax === null ? [] : [{ name: 'Income tax', amount: tax, employer_tax: false }],
    reimbursements: [],
  };
}
