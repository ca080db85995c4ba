import { describe, expect, it } from 'vitest';
import type { Payslip } from '../../model/index.js';
import { toDay } from './dates.js';
import { generateDataset } from './generate.js';
import { filterPayruns, payslipsFor } from './payslips.js';
import { filterTimesheets, timesheetsFor } from './timesheets.js';

const d = generateDataset({ seed: 'payroll', employees: 1000, asOf: '2025-06-01' });
const sum = (xs: readonly { amount: number }[] | null) => (xs ?? []).reduce((s, x) => s + x.amount, 0);

function checkMoney(p: Payslip): void {
  const amounts = [
    p.gross_pay,
    p.net_pay,
    ...[p.earnings, p.taxes, p.deductions, p.contributions, p.reimbursements].flatMap((xs) =>
      (xs ?? []).map((x) => x.amount),
    ),
  ];
  for (const a of amounts) expect(Number.isInteger(a), `${p.id} integer cents`).toBe(true);
  expect(p.gross_pay).toBe(sum(p.earnings));
  const employeeTaxes = (p.taxes ?? []).filter((t) => t.employer_tax !== true);
  expect(p.net_pay).toBe((p.gross_pay ?? 0) - sum(employeeTaxes) - sum(p.deductions));
  expect(p.net_pay).toBeGreaterThanOrEqual(0);
  expect(p.net_pay).toBeLessThanOrEqual(p.gross_pay ?? 0);
  expect(p.reimbursements).toEqual([]);
}

describe('sandbox payslips', () => {
  const pick = [
    d.payruns[0]!,
    d.payruns.find((p) => p.type === 'off_cycle')!,
    d.payruns.find((p) => p.type === 'correction')!,
    d.payruns.filter((p) => p.type === 'regular').at(-2)!,
    d.payruns.at(-1)!,
  ];

  it.each(pick.map((p) => [`${p.type} ${p.start_date}`, p] as const))(
    'money adds up exactly on every payslip of %s',
    (_, payrun) => {
      const slips = payslipsFor(d, payrun.id);
      expect(slips).not.toBeNull();
      expect(slips!.length).toBeGreaterThan(500);
      for (const p of slips!) checkMoney(p);
      // Employer taxes and contributions exist and are not part of net pay.
      expect(slips!.some((p) => (p.taxes ?? []).some((t) => t.employer_tax === true))).toBe(true);
      expect(slips!.some((p) => (p.contributions ?? []).length > 0)).toBe(true);
    },
  );

  it('covers exactly the people employed in the period, in their compensation currency', () => {
    const payrun = d.payruns.filter((p) => p.type === 'regular')[6]!;
    const start = toDay(payrun.start_date!);
    const end = toDay(payrun.end_date!);
    const expected = d.facts
      .filter((f) => f.startDay <= end && (f.termDay === null || f.termDay >= start))
      .map((f) => d.employees[f.index]!.id);
    const slips = payslipsFor(d, payrun.id)!;
    expect(slips.map((p) => p.employee_id)).toEqual(expected);
    expect(expected.length).toBeLessThan(d.employees.length);
    const byId = new Map(d.employees.map((e) => [e.id, e]));
    for (const p of slips) {
      const e = byId.get(p.employee_id)!;
      expect(p.employee_remote_id).toBe(e.remote_id);
      expect(p.currency).toBe(e.compensation_history?.at(-1)?.currency);
      expect(p.payrun_id).toBe(payrun.id);
      expect(p.payrun_remote_id).toBe(payrun.remote_id);
      expect([p.start_date, p.end_date, p.payment_date]).toEqual([
        payrun.start_date,
        payrun.end_date,
        payrun.payment_date,
      ]);
    }
  });

  it('a full month of salary is annual pay_rate / 12 in cents', () => {
    const payrun = d.payruns.filter((p) => p.type === 'regular').at(-2)!;
    const slips = payslipsFor(d, payrun.id)!;
    let checked = 0;
    for (const p of slips) {
      const e = d.employees.find((x) => x.id === p.employee_id)!;
      const comp = e.compensation_history?.at(-1);
      const full = e.start_date! < payrun.start_date! && e.termination_date === null;
      const lastChange = comp?.effective_date ?? '';
      if (comp?.pay_period !== 'year' || !full || lastChange > payrun.end_date!) continue;
      expect(p.earnings?.find((x) => x.name === 'Salary')?.amount).toBe(
        Math.round((comp.pay_rate! * 100) / 12),
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('hourly pay uses the same hours as the timesheets of the period', () => {
    const payrun = d.payruns.filter((p) => p.type === 'regular').at(-2)!; // May 2025, inside the 90-day window
    const sheets = filterTimesheets(timesheetsFor(d), {
      start_date: payrun.start_date!,
      end_date: payrun.end_date!,
    });
    const hours = new Map<string, number>();
    for (const t of sheets) hours.set(t.employee_id, (hours.get(t.employee_id) ?? 0) + t.hours_worked);
    let checked = 0;
    for (const p of payslipsFor(d, payrun.id)!) {
      const wage = p.earnings?.find((x) => x.hours !== null && x.name !== 'Overtime');
      if (!wage) continue;
      expect(wage.hours).toBe(hours.get(p.employee_id) ?? 0);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('is deterministic and null for an unknown payrun', () => {
    const id = d.payruns[3]!.id;
    expect(JSON.stringify(payslipsFor(d, id))).toBe(JSON.stringify(payslipsFor(d, id)));
    expect(payslipsFor(d, 'pr_doesnotexist')).toBeNull();
  });

  it('payrun filter uses payment_date with inclusive ends', () => {
    const may = d.payruns.find((p) => p.type === 'regular' && p.start_date === '2025-05-01')!;
    const day = may.payment_date!;
    expect(filterPayruns(d.payruns, { start_date: day, end_date: day })).toEqual([may]);
    expect(filterPayruns(d.payruns, { start_date: '2025-05-01', end_date: '2025-05-31' })).toEqual([may]);
    expect(filterPayruns(d.payruns, { start_date: '2020-01-01', end_date: '2020-12-31' })).toEqual([]);
    expect(filterPayruns(d.payruns, { start_date: '2000-01-01', end_date: '2100-01-01' })).toHaveLength(26);
  });
});
