/**
 * Payslips of one payrun, generated on demand from per-(payrun, employee) sub-seeds.
 *
 * Money is in integer minor units (cents). The identities every payslip satisfies exactly:
 *   gross_pay = Σ earnings
 *   net_pay   = gross_pay − Σ taxes where employer_tax is false − Σ deductions
 * Employer taxes and `contributions` are the employer's costs: listed, never taken from net pay.
 * `reimbursements` is always empty, so it never has to be reconciled with net pay.
 *
 * Hourly people are paid for the hours of their shifts in the period (the same shifts the timesheets show; days
 * with approved time off are not worked and not paid). Salaried people get annual rate / 12, pro-rated by working
 * days when they join or leave within the period.
 */
import type { Payrun, Payslip } from '../../model/index.js';
import { toDay, workingDaysBetween } from './dates.js';
import { type EmployeeFacts, type SandboxDataset, worksOn } from './dataset.js';
import { opaqueId, Rng } from './random.js';
import { timeOffFor } from './time-off.js';
import { shiftOn } from './timesheets.js';

type Tax = NonNullable<Payslip['taxes']>[number];
type Line = { name: string; amount: number };

interface TaxRules {
  /** Income tax lines (employee): [name, rate]. The first gets +8 points on high earners. */
  income: readonly (readonly [string, number])[];
  employeeSocial: readonly (readonly [string, number])[];
  employerSocial: readonly (readonly [string, number])[];
  pension: { employee: string; employer: string; employeeRate: number; employerRate: number };
  /** Health plan: employee deduction and employer contribution per month, major units. */
  health?: { employee: string; employer: string; employeeMonthly: number; employerMonthly: number };
}

/** Rough, plausible rates; the sandbox is not a tax engine. */
function rulesFor(country: string): TaxRules {
  switch (country) {
    case 'US':
      return {
        income: [
          ['Federal Income Tax', 0.14],
          ['State Income Tax', 0.04],
        ],
        employeeSocial: [
          ['Social Security', 0.062],
          ['Medicare', 0.0145],
        ],
        employerSocial: [
          ['Social Security (Employer)', 0.062],
          ['Medicare (Employer)', 0.0145],
          ['FUTA', 0.006],
        ],
        pension: { employee: '401(k)', employer: '401(k) Match', employeeRate: 0.05, employerRate: 0.04 },
        health: {
          employee: 'Medical Insurance',
          employer: 'Medical Insurance (Employer)',
          employeeMonthly: 180,
          employerMonthly: 450,
        },
      };
    case 'CA':
      return {
        income: [
          ['Federal Income Tax', 0.15],
          ['Provincial Income Tax', 0.08],
        ],
        employeeSocial: [
          ['CPP', 0.0595],
          ['EI', 0.0166],
        ],
        employerSocial: [
          ['CPP (Employer)', 0.0595],
          ['EI (Employer)', 0.0232],
        ],
        pension: {
          employee: 'Group RRSP',
          employer: 'Group RRSP Match',
          employeeRate: 0.04,
          employerRate: 0.03,
        },
        health: {
          employee: 'Extended Health',
          employer: 'Extended Health (Employer)',
          employeeMonthly: 60,
          employerMonthly: 140,
        },
      };
    case 'GB':
      return {
        income: [['PAYE Income Tax', 0.2]],
        employeeSocial: [['Employee National Insurance', 0.08]],
        employerSocial: [['Employer National Insurance', 0.138]],
        pension: {
          employee: 'Workplace Pension',
          employer: 'Employer Pension',
          employeeRate: 0.05,
          employerRate: 0.03,
        },
      };
    case 'IE':
      return {
        income: [
          ['PAYE', 0.2],
          ['USC', 0.03],
        ],
        employeeSocial: [['PRSI (Employee)', 0.04]],
        employerSocial: [['PRSI (Employer)', 0.1105]],
        pension: {
          employee: 'Pension',
          employer: 'Employer Pension',
          employeeRate: 0.05,
          employerRate: 0.05,
        },
      };
    case 'DE':
      return {
        income: [
          ['Lohnsteuer', 0.19],
          ['Kirchensteuer', 0.01],
        ],
        employeeSocial: [
          ['Rentenversicherung AN', 0.093],
          ['Krankenversicherung AN', 0.081],
          ['Arbeitslosenversicherung AN', 0.013],
        ],
        employerSocial: [
          ['Rentenversicherung AG', 0.093],
          ['Krankenversicherung AG', 0.081],
          ['Arbeitslosenversicherung AG', 0.013],
        ],
        pension: {
          employee: 'Betriebliche Altersvorsorge',
          employer: 'bAV Arbeitgeberzuschuss',
          employeeRate: 0.02,
          employerRate: 0.015,
        },
      };
    case 'FR':
      return {
        income: [['Prélèvement à la source', 0.08]],
        employeeSocial: [['Cotisations salariales', 0.22]],
        employerSocial: [['Cotisations patronales', 0.42]],
        pension: {
          employee: 'Retraite supplémentaire',
          employer: 'Retraite (employeur)',
          employeeRate: 0.02,
          employerRate: 0.03,
        },
      };
    case 'NL':
      return {
        income: [['Loonheffing', 0.33]],
        employeeSocial: [],
        employerSocial: [['Werkgeverslasten', 0.18]],
        pension: {
          employee: 'Pensioenpremie',
          employer: 'Pensioen (werkgever)',
          employeeRate: 0.04,
          employerRate: 0.08,
        },
      };
    case 'ES':
      return {
        income: [['IRPF', 0.15]],
        employeeSocial: [['Seguridad Social (trabajador)', 0.0635]],
        employerSocial: [['Seguridad Social (empresa)', 0.3]],
        pension: {
          employee: 'Plan de pensiones',
          employer: 'Plan de pensiones (empresa)',
          employeeRate: 0.02,
          employerRate: 0.02,
        },
      };
    case 'SE':
      return {
        income: [['Preliminärskatt', 0.3]],
        employeeSocial: [],
        employerSocial: [['Arbetsgivaravgifter', 0.3142]],
        pension: {
          employee: 'Löneväxling',
          employer: 'Tjänstepension',
          employeeRate: 0.02,
          employerRate: 0.045,
        },
      };
    default:
      return {
        income: [['Income Tax', 0.2]],
        employeeSocial: [['Social Security (Employee)', 0.07]],
        employerSocial: [['Social Security (Employer)', 0.1]],
        pension: {
          employee: 'Pension',
          employer: 'Employer Pension',
          employeeRate: 0.04,
          employerRate: 0.04,
        },
      };
  }
}

/** The rate in force at the end of the worked part of the period (the latest step not after it). */
function rateAt(f: EmployeeFacts, day: number): { rate: number; period: 'year' | 'hour' } {
  let current = f.comp[0] ?? { rate: 0, period: 'year' as const };
  for (const c of f.comp) if (c.day <= day) current = c;
  return current;
}

/** Cents for an annual salary, a year's worth of hourly work (for bonuses), etc. */
function annualCents(f: EmployeeFacts, day: number): number {
  const { rate, period } = rateAt(f, day);
  return period === 'hour' ? rate * f.dailyHours * f.workDays.length * 52 * 100 : rate * 100;
}

function earningsFor(
  data: SandboxDataset,
  payrun: Payrun,
  f: EmployeeFacts,
  from: number,
  to: number,
  periodStart: number,
  periodEnd: number,
  rng: Rng,
): NonNullable<Payslip['earnings']> {
  const { rate, period } = rateAt(f, to);
  switch (payrun.type) {
    case 'off_cycle':
      return [
        {
          name: 'Annual Bonus',
          amount: Math.round(annualCents(f, to) * (0.03 + rng.int(0, 9) / 100)),
          hours: null,
        },
      ];
    case 'correction':
      return [
        {
          name: 'Salary Correction',
          amount: Math.round((annualCents(f, to) / 12) * (0.005 + rng.int(0, 25) / 1000)),
          hours: null,
        },
      ];
    default:
      break;
  }
  if (period === 'hour') {
    const off = timeOffFor(data).approvedDays.get(f.index);
    let hours = 0;
    for (let day = from; day <= to; day++) {
      if (worksOn(f, day) && !off?.has(day)) hours += shiftOn(data.options.seed, f, day).hours;
    }
    return [
      {
        name: f.contractor ? 'Contractor Fees' : 'Hourly Wages',
        amount: Math.round(rate * hours * 100),
        hours,
      },
    ];
  }
  const monthly = Math.round((rate * 100) / 12);
  const full = from === periodStart && to === periodEnd;
  const salary = full
    ? monthly
    : Math.round(
        (monthly * workingDaysBetween(from, to)) / Math.max(1, workingDaysBetween(periodStart, periodEnd)),
      );
  const earnings: NonNullable<Payslip['earnings']> = [{ name: 'Salary', amount: salary, hours: null }];
  if (!f.contractor && rng.chance(0.08)) {
    const hours = rng.int(4, 20) / 2;
    earnings.push({ name: 'Overtime', amount: Math.round((rate / 2080) * 1.5 * hours * 100), hours });
  }
  return earnings;
}

function payslipFor(data: SandboxDataset, payrun: Payrun, e: number): Payslip | null {
  const f = data.facts[e];
  const emp = data.employees[e];
  if (!f || !emp || !payrun.start_date || !payrun.end_date || !payrun.payment_date) return null;
  const periodStart = toDay(payrun.start_date);
  const periodEnd = toDay(payrun.end_date);
  // Employed during the period: started by its end and not gone before its start.
  if (f.startDay > periodEnd || (f.termDay !== null && f.termDay < periodStart)) return null;
  const from = Math.max(periodStart, f.startDay);
  const to = Math.min(periodEnd, f.termDay ?? periodEnd);
  const rng = Rng.of(data.options.seed, 'payslip', payrun.id, f.index);

  const earnings = earningsFor(data, payrun, f, from, to, periodStart, periodEnd, rng);
  const gross = earnings.reduce((s, x) => s + x.amount, 0);
  const taxes: Tax[] = [];
  const deductions: Line[] = [];
  const contributions: Line[] = [];
  if (!f.contractor) {
    const rules = rulesFor(f.country.code);
    const highEarner = annualCents(f, to) / 100 / f.country.salaryFactor > 120_000;
    rules.income.forEach(([name, rate], k) => {
      const r = k === 0 && highEarner ? rate + 0.08 : rate;
      taxes.push({ name, amount: Math.round(gross * r), employer_tax: false });
    });
    for (const [name, rate] of rules.employeeSocial)
      taxes.push({ name, amount: Math.round(gross * rate), employer_tax: false });
    for (const [name, rate] of rules.employerSocial)
      taxes.push({ name, amount: Math.round(gross * rate), employer_tax: true });
    const pensionSeed = Rng.of(data.options.seed, 'pension', f.index);
    if (pensionSeed.chance(0.85)) {
      deductions.push({
        name: rules.pension.employee,
        amount: Math.round(gross * rules.pension.employeeRate),
      });
      contributions.push({
        name: rules.pension.employer,
        amount: Math.round(gross * rules.pension.employerRate),
      });
    }
    if (rules.health && payrun.type === 'regular') {
      // Capped at 5% of gross so a short first month never goes negative.
      const cap = Math.round(gross * 0.05);
      deductions.push({
        name: rules.health.employee,
        amount: Math.min(rules.health.employeeMonthly * 100, cap),
      });
      contributions.push({ name: rules.health.employer, amount: rules.health.employerMonthly * 100 });
    }
  }
  const employeeTaxes = taxes.reduce((s, t) => s + (t.employer_tax ? 0 : t.amount), 0);
  const deducted = deductions.reduce((s, d) => s + d.amount, 0);

  return {
    id: opaqueId('ps', data.options.seed, payrun.id, f.index),
    remote_id: `${payrun.remote_id}${String(f.index).padStart(5, '0')}`,
    employee_id: emp.id,
    employee_remote_id: emp.remote_id,
    payrun_id: payrun.id,
    payrun_remote_id: payrun.remote_id,
    payrun_type: payrun.type,
    currency: f.currency,
    gross_pay: gross,
    net_pay: gross - employeeTaxes - deducted,
    start_date: payrun.start_date,
    end_date: payrun.end_date,
    payment_date: payrun.payment_date,
    earnings,
    contributions,
    deductions,
    taxes,
    reimbursements: [],
  };
}

/** All payslips of a payrun, or null when the payrun does not exist. */
export function payslipsFor(data: SandboxDataset, payrunId: string): Payslip[] | null {
  const payrun = data.payruns.find((p) => p.id === payrunId);
  if (!payrun) return null;
  const slips: Payslip[] = [];
  for (let e = 0; e < data.facts.length; e++) {
    const slip = payslipFor(data, payrun, e);
    if (slip) slips.push(slip);
  }
  return slips;
}

/** Payruns whose payment date falls in the inclusive range. */
export function filterPayruns(
  payruns: readonly Payrun[],
  range: { start_date: string; end_date: string },
): Payrun[] {
  return payruns.filter(
    (p) => p.payment_date !== null && p.payment_date >= range.start_date && p.payment_date <= range.end_date,
  );
}
