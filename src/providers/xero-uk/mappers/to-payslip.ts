/**
 * Xero Payroll UK payslip (`GET /Payslips?PayRunID=`) → unified Payslip. Money is pounds on the wire and integer pence
 * here (`toPence`, exact on the decimal digits). Line by line:
 *
 * - earnings: `earningsLines` (named by their `displayName`), `leaveEarningsLines` (paid leave) and
 *   `timesheetEarningsLines`, the last two named by their earnings rate; `hours` only where the rate counts hours;
 * - taxes: `employeeTaxLines` (PAYE income tax, employee National Insurance, student and postgraduate loan
 *   repayments: the statutory deductions HMRC collects) and `employerTaxLines` (employer National Insurance) with
 *   `employer_tax` true;
 * - deductions: `deductionLines` (pension, salary sacrifice…, named by their deduction type) and `courtOrderLines`
 *   (attachments of earnings, named by their earnings order);
 * - contributions: `benefitLines` (employer pension contributions: paid by the employer, not part of gross pay);
 * - reimbursements: `reimbursementLines`.
 *
 * `leaveAccrualLines` (hours accrued, no money) and `paymentLines` (how net pay was split across bank accounts) are
 * not payslip money.
 */
import { payslipIds } from '../../mapping.js';
import type { Payrun, Payslip } from '../../../model/index.js';
import type {
  XeroDeduction,
  XeroEarningsLine,
  XeroEarningsOrder,
  XeroEarningsRate,
  XeroPayslip,
  XeroTaxLine,
} from '../raw.js';
import { toPence } from './values.js';

type Earning = NonNullable<Payslip['earnings']>[number];
type Line = NonNullable<Payslip['deductions']>[number];
type Tax = NonNullable<Payslip['taxes']>[number];

export interface PayslipLookups {
  /** Earnings rates by id: names lines that carry none, and says whether their units are hours. */
  earningsRates: ReadonlyMap<string, XeroEarningsRate>;
  /** Deduction types by id. */
  deductions: ReadonlyMap<string, XeroDeduction>;
  /** Earnings orders (court orders) by id. */
  earningsOrders: ReadonlyMap<string, XeroEarningsOrder>;
}

/** The pay run a payslip belongs to, with the dates a payslip must have. */
export type PayslipRun = Pick<Payrun, 'id' | 'remote_id' | 'type'> & {
  start_date: string;
  end_date: string;
  payment_date: string;
};

/** Units of an earnings rate are hours when Xero says so (`typeOfUnits: hours`, in any case). */
function countsHours(rate: XeroEarningsRate | undefined): boolean {
  return rate?.typeOfUnits?.trim().toLowerCase() === 'hours';
}

/** A line's money: `amount`, or `fixedAmount` for fixed-amount rates that leave `amount` out. */
function lineAmount(line: { amount?: number | null; fixedAmount?: number | null }): number {
  return toPence(line.amount ?? line.fixedAmount) ?? 0;
}

function earning(line: XeroEarningsLine, lookups: PayslipLookups, fallbackName: string): Earning {
  const rate = line.earningsRateID ? lookups.earningsRates.get(line.earningsRateID) : undefined;
  return {
    name: line.displayName || rate?.name || fallbackName,
    amount: lineAmount(line),
    hours: countsHours(rate) && typeof line.numberOfUnits === 'number' ? line.numberOfUnits : null,
  };
}

function tax(line: XeroTaxLine, employerTax: boolean): Tax {
  return {
    name: line.description || (employerTax ? 'Employer tax' : 'Employee tax'),
    amount: lineAmount(line),
    employer_tax: employerTax,
  };
}

export function toPayslip(slip: XeroPayslip, run: PayslipRun, lookups: PayslipLookups): Payslip {
  const id = slip.paySlipID ?? null;
  const employeeId = slip.employeeID ?? '';
  const earnings: Earning[] = [
    ...(slip.earningsLines ?? []).map((l) => earning(l, lookups, 'Earnings')),
    ...(slip.leaveEarningsLines ?? []).map((l) => earning(l, lookups, 'Leave')),
    ...(slip.timesheetEarningsLines ?? []).map((l) => earning(l, lookups, 'Timesheet earnings')),
  ];
  const deductions: Line[] = [
    ...(slip.deductionLines ?? []).map((l) => ({
      name:
        (l.deductionTypeID ? lookups.deductions.get(l.deductionTypeID)?.deductionName : undefined) ||
        'Deduction',
      amount: lineAmount(l),
    })),
    ...(slip.courtOrderLines ?? []).map((l) => ({
      name:
        (l.courtOrderTypeID ? lookups.earningsOrders.get(l.courtOrderTypeID)?.name : undefined) ||
        'Court order',
      amount: lineAmount(l),
    })),
  ];
  const taxes: Tax[] = [
    ...(slip.employeeTaxLines ?? []).map((l) => tax(l, l.isEmployerTax === true)),
    ...(slip.employerTaxLines ?? []).map((l) => tax(l, true)),
  ];
  return {
    ...payslipIds(id, employeeId, run),
    currency: 'gbp',
    // "Same as total earnings for UK" (the spec); either may be missing.
    gross_pay: toPence(slip.grossEarnings ?? slip.totalEarnings),
    net_pay: toPence(slip.totalPay),
    start_date: run.start_date,
    end_date: run.end_date,
    payment_date: run.payment_date,
    earnings,
    contributions: (slip.benefitLines ?? []).map((l) => ({
      name: l.displayName || 'Employer contribution',
      amount: lineAmount(l),
    })),
    deductions,
    taxes,
    reimbursements: (slip.reimbursementLines ?? []).map((l) => ({
      name: l.description || 'Reimbursement',
      amount: lineAmount(l),
    })),
  };
}
