/**
 * Seeded data for the Xero Payroll UK emulator, shaped as the published spec's response objects (and dated the way
 * its examples are: `2020-02-03T00:00:00`, UTC timestamps without a zone). Every reference resolves: employees'
 * payroll calendars, pay runs' calendars, payslips' earnings rates, deduction types and earnings orders, leave's
 * leave types, timesheets' employees and earnings rates.
 *
 * Money is generated in integer pence and written as pounds (`48077` → `480.77`), so tests can compare what the
 * adapter made of the wire value with the exact amount. Employees are made eagerly; everything per employee or per
 * pay run is made on first use from a per-record seed, so a 10,000-employee tenant starts quickly and small.
 */
import { seededRandom } from '../../emulator-data.js';
import { base, en, en_GB, Faker } from '@faker-js/faker';
import type {
  XeroContract,
  XeroEarningsLine,
  XeroEmployee,
  XeroLeave,
  XeroLeaveBalance,
  XeroLeaveType,
  XeroPayRun,
  XeroPayRunCalendar,
  XeroPayslip,
  XeroSalaryAndWage,
  XeroTaxLine,
  XeroTimesheet,
} from '../raw.js';

/** The emulator's "today" (a Tuesday): data is dated relative to it so runs are reproducible. */
export const EMULATOR_TODAY = '2026-06-30';

export interface XeroDataOptions {
  employees?: number;
  seed?: number;
}

/** A payslip as served, with its money in exact pence alongside (what the wire's pounds must map back to). */
export interface EmulatorPayslip {
  wire: XeroPayslip;
  pence: {
    gross: number;
    net: number;
    earnings: number[];
    deductions: number[];
    courtOrders: number[];
    employeeTaxes: number[];
    employerTaxes: number[];
    benefits: number[];
    reimbursements: number[];
  };
}

/** Spec shapes the adapter does not read but the emulator serves in full. */
export interface EmulatorEarningsRate {
  earningsRateID: string;
  name: string;
  earningsType: string;
  rateType: string;
  typeOfUnits: string;
  currentRecord: boolean;
  expenseAccountID: string;
  ratePerUnit?: number;
  multipleOfOrdinaryEarningsRate?: number;
  fixedAmount?: number;
}
export interface EmulatorDeduction {
  deductionId: string;
  deductionName: string;
  deductionCategory: string;
  liabilityAccountId: string;
  currentRecord: boolean;
  calculationType: string;
  percentage?: number;
  standardAmount?: number;
}
export interface EmulatorEarningsOrder {
  id: string;
  name: string;
  statutoryDeductionCategory: string;
  liabilityAccountId: string;
  currentRecord: boolean;
}

export interface XeroEmulatorData {
  tenantId: string;
  calendars: XeroPayRunCalendar[];
  earningsRates: EmulatorEarningsRate[];
  deductions: EmulatorDeduction[];
  earningsOrders: EmulatorEarningsOrder[];
  leaveTypes: XeroLeaveType[];
  employees: XeroEmployee[];
  /** Every pay run, newest payment first (made on first use). */
  payRuns(): XeroPayRun[];
  /** A pay run's payslips; undefined for an unknown pay run. */
  payslips(payRunId: string): EmulatorPayslip[] | undefined;
  /** Every timesheet with its lines (made on first use); the list endpoint leaves the lines out. */
  timesheets(): XeroTimesheet[];
  salaryAndWages(employeeId: string): XeroSalaryAndWage[] | undefined;
  leave(employeeId: string): XeroLeave[] | undefined;
  leaveBalances(employeeId: string): XeroLeaveBalance[] | undefined;
}

// ---- small deterministic helpers (faker is only used for names and addresses: reseeding it per record is slow) ----

class Rng {
  private readonly next: () => number;
  constructor(...parts: number[]) {
    let h = 2166136261;
    for (const p of parts) h = Math.imul(h ^ (p >>> 0), 16777619) ^ (p >>> 16);
    this.next = seededRandom(h);
  }
  float(): number {
    return this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = (8 + Math.floor(this.next() * 4)).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

const DAY_MS = 86_400_000;
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const addDays = (day: string, days: number) => toDay(dayMs(day) + days * DAY_MS);
/** Dates as Xero's examples write them. */
const xeroDate = (day: string) => `${day}T00:00:00`;
/** UTC timestamps as Xero's examples write them: no zone. */
const xeroUtc = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const pounds = (pence: number) => pence / 100;

const ACCOUNT = {
  wagesExpense: '81da553d-c6c6-411e-95df-cc4ac8f7e1c2',
  liability: 'd659ebbf-0760-4e07-a1fb-8de6b9ecdff9',
};

type CalendarKind = 'Weekly' | 'Fortnightly' | 'Monthly';
const PERIODS_PER_YEAR: Record<CalendarKind, number> = { Weekly: 52, Fortnightly: 26, Monthly: 12 };
const WEEKS_PER_PERIOD: Record<CalendarKind, number> = { Weekly: 1, Fortnightly: 2, Monthly: 52 / 12 };

interface Period {
  start: string;
  end: string;
  payment: string;
}

/** Pay periods of a calendar whose end falls within [from, to]. */
function periodsOf(kind: CalendarKind, from: string, to: string): Period[] {
  const out: Period[] = [];
  if (kind === 'Monthly') {
    const [y, m] = from.split('-').map(Number) as [number, number];
    for (let i = 0; ; i++) {
      const start = toDay(Date.UTC(y, m - 1 + i, 1));
      const end = toDay(Date.UTC(y, m + i, 0));
      if (end > to) break;
      if (end >= from) out.push({ start, end, payment: addDays(start, 27) });
    }
    return out;
  }
  const length = kind === 'Weekly' ? 7 : 14;
  // Periods run Monday to Sunday; 2026-01-05 is a Monday.
  const anchor = dayMs('2026-01-05');
  let start = toDay(anchor + Math.floor((dayMs(from) - anchor) / (length * DAY_MS)) * length * DAY_MS);
  for (;;) {
    const end = addDays(start, length - 1);
    if (end > to) break;
    if (end >= from) out.push({ start, end, payment: addDays(end, 1) });
    start = addDays(start, length);
  }
  return out;
}

interface EmployeeFacts {
  index: number;
  calendar: CalendarKind;
  hourly: boolean;
  /** Pence a year (salaried) or pence an hour (hourly), current record. */
  rate: number;
  unitsPerWeek: number;
  pension: boolean;
  studentLoan: boolean;
  cycleToWork: boolean;
  courtOrder: boolean;
  holidayInDays: boolean;
  start: string;
  end: string | null;
}

const LEAVE_TYPE_DEFS = [
  { name: 'Holiday', paid: true, statutory: false },
  { name: 'Sick Leave', paid: true, statutory: false },
  { name: 'Parental Leave', paid: true, statutory: false },
  { name: 'Compassionate Leave', paid: true, statutory: false },
  { name: 'Jury Service', paid: false, statutory: false },
  { name: 'Unpaid Leave', paid: false, statutory: false },
] as const;

export function generateXeroData(options: XeroDataOptions = {}): XeroEmulatorData {
  const count = Math.max(1, Math.min(10_000, options.employees ?? 100));
  const seed = options.seed ?? 42;
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(seed);
  const r = new Rng(seed, 1);

  const tenantId = r.uuid();
  const calendarIds: Record<CalendarKind, string> = {
    Weekly: r.uuid(),
    Fortnightly: r.uuid(),
    Monthly: r.uuid(),
  };
  const calendars: XeroPayRunCalendar[] = (['Weekly', 'Fortnightly', 'Monthly'] as const).map((kind) => {
    const current = periodsOf(kind, EMULATOR_TODAY, addDays(EMULATOR_TODAY, 40))[0] as Period;
    return {
      payrollCalendarID: calendarIds[kind],
      // Xero's own examples pad calendar names with a space.
      name: `${kind} `,
      calendarType: kind,
      periodStartDate: xeroDate(current.start),
      periodEndDate: xeroDate(current.end),
      paymentDate: xeroDate(current.payment),
      updatedDateUTC: xeroUtc(dayMs('2024-01-15') + 36_000_000),
    };
  });

  const rate = (name: string, extra: Partial<EmulatorEarningsRate>): EmulatorEarningsRate => ({
    earningsRateID: r.uuid(),
    name,
    earningsType: 'RegularEarnings',
    rateType: 'RatePerUnit',
    typeOfUnits: 'hours',
    currentRecord: true,
    expenseAccountID: ACCOUNT.wagesExpense,
    ...extra,
  });
  const RATES = {
    regular: rate('Regular Hours', {}),
    overtime: rate('Overtime Hours', {
      earningsType: 'OvertimeEarnings',
      rateType: 'MultipleOfOrdinaryEarningsRate',
      multipleOfOrdinaryEarningsRate: 1.5,
    }),
    bonus: rate('Bonus', { earningsType: 'Bonus', rateType: 'FixedAmount', typeOfUnits: 'fixed amount' }),
    holidayPay: rate('Holiday Pay', {}),
    ssp: rate('Statutory Sick Pay', {
      earningsType: 'StatutorySickPay',
      typeOfUnits: 'days',
      ratePerUnit: 23.35,
    }),
  };
  const earningsRates = Object.values(RATES);
  const DEDUCTIONS = {
    pension: {
      deductionId: r.uuid(),
      deductionName: 'Employee Pension',
      deductionCategory: 'StakeholderPension',
      liabilityAccountId: ACCOUNT.liability,
      currentRecord: true,
      calculationType: 'PercentageOfGross',
      percentage: 5,
    },
    cycle: {
      deductionId: r.uuid(),
      deductionName: 'Cycle to Work',
      deductionCategory: 'SalarySacrifice',
      liabilityAccountId: ACCOUNT.liability,
      currentRecord: true,
      calculationType: 'FixedAmount',
      standardAmount: 20,
    },
  } satisfies Record<string, EmulatorDeduction>;
  const deductions = Object.values(DEDUCTIONS);
  const courtOrder: EmulatorEarningsOrder = {
    id: r.uuid(),
    name: 'Attachment of Earnings Order',
    statutoryDeductionCategory: 'PriorityOrder',
    liabilityAccountId: ACCOUNT.liability,
    currentRecord: true,
  };
  const earningsOrders = [courtOrder];
  const benefitTypeId = r.uuid();
  const reimbursementTypeId = r.uuid();
  const leaveTypes: XeroLeaveType[] = LEAVE_TYPE_DEFS.map((def, i) => ({
    leaveTypeID: r.uuid(),
    name: def.name,
    isPaidLeave: def.paid,
    showOnPayslip: def.paid,
    updatedDateUTC: `${xeroUtc(dayMs('2024-02-01') + i * DAY_MS)}Z`,
    isStatutoryLeave: def.statutory,
    isActive: true,
  }));
  const leaveTypeId = (name: string) => leaveTypes.find((t) => t.name === name)?.leaveTypeID ?? '';

  // ---- employees ----
  const employees: XeroEmployee[] = [];
  const facts = new Map<string, EmployeeFacts>();
  for (let i = 0; i < count; i++) {
    const e = new Rng(seed, 2, i);
    const gender = e.chance(0.5) ? 'F' : 'M';
    const first = faker.person.firstName(gender === 'F' ? 'female' : 'male');
    const last = faker.person.lastName();
    const hourly = i !== 0 && e.chance(0.3);
    const calendar: CalendarKind = hourly ? 'Weekly' : e.chance(0.25) ? 'Fortnightly' : 'Monthly';
    const roll = e.int(1, 100);
    // The first employee is always a current full-time employee with a salary, for predictable tests.
    const status = i === 0 ? 'active' : roll <= 85 ? 'active' : roll <= 92 ? 'leaver' : 'starter';
    const start =
      status === 'starter'
        ? addDays(EMULATOR_TODAY, e.int(3, 60))
        : addDays(EMULATOR_TODAY, -e.int(200, 3_000));
    const end = status === 'leaver' ? addDays(EMULATOR_TODAY, -e.int(5, 150)) : null;
    const id = e.uuid();
    const created = dayMs(start) - e.int(5, 40) * DAY_MS + e.int(0, 86_399) * 1000;
    const contracts: XeroContract[] = [
      {
        publicKey: e.uuid(),
        isFixedTerm: false,
        employmentStatus: 'Employee',
        contractType: hourly ? e.pick(['PartTime', 'ZeroHour'] as const) : 'FullTime',
        startDate: xeroDate(start),
      },
    ];
    if (!hourly && e.chance(0.1)) {
      // A later fixed-term contract, as in Xero's own example.
      const later = addDays(start, e.int(100, 180));
      contracts.push({
        publicKey: e.uuid(),
        isFixedTerm: true,
        employmentStatus: 'Employee',
        contractType: 'PartTime',
        startDate: xeroDate(later),
        fixedTermEndDate: xeroDate(addDays(later, 365)),
      });
    }
    const employee: XeroEmployee = {
      employeeID: id,
      title: gender === 'F' ? e.pick(['Ms', 'Mrs', 'Miss', 'Dr']) : e.pick(['Mr', 'Dr']),
      firstName: first,
      lastName: last,
      dateOfBirth: xeroDate(addDays('1960-01-01', e.int(0, 15_000))),
      gender,
      ...(e.chance(0.9)
        ? { email: `${first}.${last}.${i}@acme-payroll.example`.toLowerCase().replace(/[^a-z0-9.@-]/g, '') }
        : {}),
      ...(e.chance(0.8) ? { phoneNumber: `07${String(e.int(100_000_000, 999_999_999))}` } : {}),
      startDate: xeroDate(start),
      ...(end ? { endDate: xeroDate(end) } : {}),
      address: {
        addressLine1: faker.location.streetAddress(),
        ...(e.chance(0.2) ? { addressLine2: `Flat ${e.int(1, 40)}` } : {}),
        city: faker.location.city(),
        postCode: faker.location.zipCode(),
        countryName: 'UNITED KINGDOM',
      },
      payrollCalendarID: calendarIds[calendar],
      updatedDateUTC: xeroUtc(created + e.int(1, 400) * DAY_MS),
      createdDateUTC: xeroUtc(created),
      nationalInsuranceNumber: `${e.pick(['AB', 'CE', 'JG', 'NR', 'PX', 'SW', 'TZ'])}${String(e.int(100_000, 999_999))}${e.pick(['A', 'B', 'C', 'D'])}`,
      isOffPayrollWorker: i !== 0 && e.chance(0.03),
      contracts,
    };
    employees.push(employee);
    facts.set(id, {
      index: i,
      calendar,
      hourly,
      // £22,000–£95,000 a year in whole pounds, or £11.44–£28.50 an hour in pence.
      rate: hourly ? e.int(1_144, 2_850) : e.int(22, 95) * 100_000 + e.pick([0, 0, 50_000]),
      unitsPerWeek: hourly ? e.pick([16, 20, 24, 30, 37.5]) : e.pick([37.5, 40]),
      pension: e.chance(0.6),
      studentLoan: e.chance(0.15),
      cycleToWork: e.chance(0.05),
      courtOrder: i !== 0 && e.chance(0.02),
      holidayInDays: i !== 0 && e.chance(0.2),
      start,
      end,
    });
  }
  const factsOf = (id: string) => facts.get(id);
  const onPayroll = (f: EmployeeFacts, p: Period) => f.start <= p.end && (f.end === null || f.end >= p.start);

  // ---- salary and wages ----
  const salaryCache = new Map<string, XeroSalaryAndWage[]>();
  function salaryAndWages(employeeId: string): XeroSalaryAndWage[] | undefined {
    const f = factsOf(employeeId);
    if (!f) return undefined;
    const cached = salaryCache.get(employeeId);
    if (cached) return cached;
    const s = new Rng(seed, 3, f.index);
    const record = (ratePence: number, from: string, status: string): XeroSalaryAndWage => {
      const hourlyPence = f.hourly ? ratePence : 0;
      return {
        salaryAndWagesID: s.uuid(),
        earningsRateID: RATES.regular.earningsRateID,
        numberOfUnitsPerWeek: f.unitsPerWeek,
        ...(f.hourly ? { ratePerUnit: pounds(hourlyPence) } : {}),
        effectiveFrom: xeroDate(from),
        // Required by the spec for hourly wages too: what the wage comes to over a year.
        annualSalary: f.hourly ? pounds(Math.round(hourlyPence * f.unitsPerWeek * 52)) : pounds(ratePence),
        status,
        paymentType: f.hourly ? 'Hourly' : 'Salary',
      };
    };
    const raise = 1 + s.int(2, 8) / 100;
    const earlier = Math.round(f.rate / raise);
    const changed = addDays(f.start, s.int(120, 400));
    const records: XeroSalaryAndWage[] = [];
    if (changed < EMULATOR_TODAY) {
      records.push(record(earlier, f.start, 'History'), record(f.rate, changed, 'Active'));
    } else {
      records.push(record(f.rate, f.start, 'Active'));
    }
    if (f.end === null && s.chance(0.1)) {
      records.push(record(Math.round(f.rate * 1.04), addDays(EMULATOR_TODAY, s.int(10, 60)), 'Pending'));
    }
    salaryCache.set(employeeId, records);
    return records;
  }

  // ---- pay runs and payslips ----
  interface RunPlan {
    run: XeroPayRun;
    kind: 'scheduled' | 'bonus' | 'correction' | 'eyu';
    calendar: CalendarKind;
    period: Period;
  }
  let plans: RunPlan[] | null = null;
  const payslipCache = new Map<string, EmulatorPayslip[]>();

  function runPlans(): RunPlan[] {
    if (plans) return plans;
    const pr = new Rng(seed, 4);
    const out: RunPlan[] = [];
    const from = addDays(EMULATOR_TODAY, -120);
    for (const kind of ['Weekly', 'Fortnightly', 'Monthly'] as const) {
      const periods = periodsOf(kind, from, addDays(EMULATOR_TODAY, 40));
      // Up to the period being prepared now (paid after today): that one is still a draft.
      const upTo = periods.findIndex((p) => p.payment > EMULATOR_TODAY);
      for (const [i, period] of periods.slice(0, upTo + 1).entries()) {
        const draft = i === upTo;
        out.push({
          kind: 'scheduled',
          calendar: kind,
          period,
          run: {
            payRunID: pr.uuid(),
            payrollCalendarID: calendarIds[kind],
            periodStartDate: xeroDate(period.start),
            periodEndDate: xeroDate(period.end),
            paymentDate: xeroDate(period.payment),
            payRunStatus: draft ? 'Draft' : 'Posted',
            payRunType: 'Scheduled',
            calendarType: kind,
            ...(draft ? {} : { postedDateTime: xeroDate(addDays(period.payment, -2)) }),
          },
        });
      }
    }
    const extra = (kind: RunPlan['kind'], calendar: CalendarKind, period: Period, type: string) =>
      out.push({
        kind,
        calendar,
        period,
        run: {
          payRunID: pr.uuid(),
          payrollCalendarID: calendarIds[calendar],
          periodStartDate: xeroDate(period.start),
          periodEndDate: xeroDate(period.end),
          paymentDate: xeroDate(period.payment),
          payRunStatus: 'Posted',
          payRunType: type,
          calendarType: calendar,
          postedDateTime: xeroDate(addDays(period.payment, -1)),
        },
      });
    // An off-cycle bonus run, a weekly top-up for missed hours, and an earlier year update for the tax year that
    // ended on 5 April.
    extra(
      'bonus',
      'Monthly',
      { start: '2026-04-01', end: '2026-04-30', payment: '2026-04-15' },
      'Unscheduled',
    );
    extra(
      'correction',
      'Weekly',
      { start: '2026-05-11', end: '2026-05-17', payment: '2026-05-20' },
      'Unscheduled',
    );
    extra(
      'eyu',
      'Monthly',
      { start: '2026-03-06', end: '2026-04-05', payment: '2026-05-07' },
      'EarlierYearUpdate',
    );
    out.sort((a, b) => b.period.payment.localeCompare(a.period.payment));
    plans = out;
    return out;
  }

  function payslipFor(
    plan: RunPlan,
    employee: XeroEmployee,
    f: EmployeeFacts,
    runIndex: number,
  ): EmulatorPayslip {
    const p = new Rng(seed, 5, runIndex, f.index);
    const periods = PERIODS_PER_YEAR[plan.calendar];
    const earningsLines: XeroEarningsLine[] = [];
    const leaveEarningsLines: XeroEarningsLine[] = [];
    const timesheetEarningsLines: XeroEarningsLine[] = [];
    const pencePerList = new Map<XeroEarningsLine[], number[]>([
      [earningsLines, []],
      [leaveEarningsLines, []],
      [timesheetEarningsLines, []],
    ]);
    const add = (list: XeroEarningsLine[], line: XeroEarningsLine, pence: number) => {
      list.push({ ...line, amount: pounds(pence) });
      pencePerList.get(list)?.push(pence);
    };
    const hourlyPence = f.hourly ? f.rate : f.rate / (52 * f.unitsPerWeek);
    if (plan.kind === 'scheduled') {
      const hours = Math.round(f.unitsPerWeek * WEEKS_PER_PERIOD[plan.calendar] * 100) / 100;
      if (f.hourly) {
        const worked = Math.max(1, hours + p.pick([0, 0, -4, 2.5, 3.75]));
        add(
          timesheetEarningsLines,
          {
            earningsRateID: RATES.regular.earningsRateID,
            ratePerUnit: pounds(f.rate),
            numberOfUnits: worked,
            isLinkedToTimesheet: true,
          },
          Math.round(f.rate * worked),
        );
        if (p.chance(0.2)) {
          const overtime = p.pick([2, 3.5, 6]);
          add(
            earningsLines,
            {
              earningsLineID: p.uuid(),
              earningsRateID: RATES.overtime.earningsRateID,
              displayName: RATES.overtime.name,
              ratePerUnit: pounds(Math.round(f.rate * 1.5)),
              numberOfUnits: overtime,
              isLinkedToTimesheet: false,
            },
            Math.round(f.rate * 1.5 * overtime),
          );
        }
        if (p.chance(0.1)) {
          add(
            leaveEarningsLines,
            {
              earningsRateID: RATES.holidayPay.earningsRateID,
              ratePerUnit: pounds(f.rate),
              numberOfUnits: 7.5,
              isLinkedToTimesheet: false,
            },
            Math.round(f.rate * 7.5),
          );
        }
      } else {
        add(
          earningsLines,
          {
            earningsLineID: p.uuid(),
            earningsRateID: RATES.regular.earningsRateID,
            displayName: RATES.regular.name,
            ratePerUnit: Math.round((hourlyPence / 100) * 1e6) / 1e6,
            numberOfUnits: hours,
            isLinkedToTimesheet: false,
          },
          Math.round(f.rate / periods),
        );
      }
      if (p.chance(0.03)) {
        add(
          earningsLines,
          {
            earningsLineID: p.uuid(),
            earningsRateID: RATES.ssp.earningsRateID,
            displayName: RATES.ssp.name,
            ratePerUnit: 23.35,
            numberOfUnits: 2,
            isLinkedToTimesheet: false,
          },
          4_670,
        );
      }
    } else if (plan.kind === 'bonus') {
      const bonus = p.int(250, 3_000) * 100 + p.pick([0, 50, 99]);
      add(
        earningsLines,
        {
          earningsLineID: p.uuid(),
          earningsRateID: RATES.bonus.earningsRateID,
          displayName: RATES.bonus.name,
          fixedAmount: pounds(bonus),
          isLinkedToTimesheet: false,
        },
        bonus,
      );
    } else if (plan.kind === 'correction') {
      const missed = p.pick([3.5, 7.25, 8]);
      add(
        timesheetEarningsLines,
        {
          earningsRateID: RATES.regular.earningsRateID,
          ratePerUnit: pounds(f.rate),
          numberOfUnits: missed,
          isLinkedToTimesheet: true,
        },
        Math.round(f.rate * missed),
      );
    }
    // In the order a payslip lists them: earnings, leave earnings, timesheet earnings.
    const earnings = [...pencePerList.values()].flat();
    const gross = earnings.reduce((a, b) => a + b, 0);
    const over = (threshold: number, rate: number) =>
      Math.max(0, Math.round((gross - threshold / periods) * rate));
    const employeeTaxLines: XeroTaxLine[] = [];
    const employerTaxLines: XeroTaxLine[] = [];
    const employeeTaxes: number[] = [];
    const employerTaxes: number[] = [];
    const tax = (list: XeroTaxLine[], pence: number[], description: string, amount: number, type: number) => {
      list.push({
        taxLineID: p.uuid(),
        description,
        isEmployerTax: list === employerTaxLines,
        amount: pounds(amount),
        globalTaxTypeID: String(type),
        manualAdjustment: plan.kind === 'eyu',
      });
      pence.push(amount);
    };
    if (plan.kind === 'eyu') {
      // An earlier year update corrects National Insurance already reported: amounts can be negative.
      const fix = p.int(-2_500, 1_500);
      tax(employeeTaxLines, employeeTaxes, 'Employee National Insurance Contribution', fix, 2);
      tax(
        employerTaxLines,
        employerTaxes,
        'Employer National Insurance Contribution',
        Math.round(fix * 1.875),
        3,
      );
    } else {
      tax(employeeTaxLines, employeeTaxes, 'PAYE', over(1_257_000, 0.2), 1);
      tax(
        employeeTaxLines,
        employeeTaxes,
        'Employee National Insurance Contribution',
        over(1_257_000, 0.08),
        2,
      );
      if (f.studentLoan) tax(employeeTaxLines, employeeTaxes, 'Student Loan', over(2_829_500, 0.09), 4);
      tax(
        employerTaxLines,
        employerTaxes,
        'Employer National Insurance Contribution',
        over(500_000, 0.15),
        3,
      );
    }
    const deductionLines: XeroPayslip['deductionLines'] = [];
    const deductionPence: number[] = [];
    const benefitLines: XeroPayslip['benefitLines'] = [];
    const benefitPence: number[] = [];
    const courtOrderLines: XeroPayslip['courtOrderLines'] = [];
    const courtPence: number[] = [];
    const reimbursementLines: XeroPayslip['reimbursementLines'] = [];
    const reimbursementPence: number[] = [];
    if (plan.kind === 'scheduled' && gross > 0) {
      if (f.pension) {
        const employee5 = Math.round(gross * 0.05);
        deductionLines.push({
          deductionTypeID: DEDUCTIONS.pension.deductionId,
          amount: pounds(employee5),
          subjectToTax: false,
          percentage: 5,
        });
        deductionPence.push(employee5);
        const employer3 = Math.round(gross * 0.03);
        benefitLines.push({
          benefitTypeID: benefitTypeId,
          displayName: 'Employer Pension',
          amount: pounds(employer3),
          percentage: 3,
        });
        benefitPence.push(employer3);
      }
      if (f.cycleToWork) {
        const cycle = Math.round((2_000 * 12) / periods);
        deductionLines.push({
          deductionTypeID: DEDUCTIONS.cycle.deductionId,
          amount: pounds(cycle),
          subjectToTax: false,
        });
        deductionPence.push(cycle);
      }
      if (f.courtOrder) {
        courtOrderLines.push({ courtOrderTypeID: courtOrder.id, amount: pounds(5_000) });
        courtPence.push(5_000);
      }
      if (p.chance(0.1)) {
        const claim = p.int(500, 8_000);
        reimbursementLines.push({
          reimbursementTypeID: reimbursementTypeId,
          description: p.pick(['Travel', 'Mileage', 'Training materials']),
          amount: pounds(claim),
        });
        reimbursementPence.push(claim);
      }
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // An earlier year update changes what was reported for a closed year; it pays nothing.
    const net =
      plan.kind === 'eyu'
        ? 0
        : gross - sum(employeeTaxes) - sum(deductionPence) - sum(courtPence) + sum(reimbursementPence);
    const wire: XeroPayslip = {
      paySlipID: p.uuid(),
      employeeID: employee.employeeID,
      payRunID: plan.run.payRunID,
      firstName: employee.firstName,
      lastName: employee.lastName,
      totalEarnings: pounds(gross),
      grossEarnings: pounds(gross),
      totalPay: pounds(net),
      totalEmployerTaxes: pounds(sum(employerTaxes)),
      totalEmployeeTaxes: pounds(sum(employeeTaxes)),
      totalDeductions: pounds(sum(deductionPence)),
      totalReimbursements: pounds(sum(reimbursementPence)),
      totalCourtOrders: pounds(sum(courtPence)),
      totalBenefits: pounds(sum(benefitPence)),
      paymentMethod: 'Electronically',
      earningsLines,
      leaveEarningsLines,
      timesheetEarningsLines,
      deductionLines,
      reimbursementLines,
      leaveAccrualLines: [
        {
          leaveTypeID: leaveTypeId('Holiday'),
          numberOfUnits: Math.round(f.unitsPerWeek * WEEKS_PER_PERIOD[plan.calendar] * 0.1207 * 100) / 100,
        },
      ],
      benefitLines,
      paymentLines: [{ paymentLineID: p.uuid(), amount: pounds(net) }],
      employeeTaxLines,
      employerTaxLines,
      courtOrderLines,
    };
    return {
      wire,
      pence: {
        gross,
        net,
        earnings,
        deductions: [...deductionPence],
        courtOrders: courtPence,
        employeeTaxes,
        employerTaxes,
        benefits: benefitPence,
        reimbursements: reimbursementPence,
      },
    };
  }

  function payslips(payRunId: string): EmulatorPayslip[] | undefined {
    const all = runPlans();
    const runIndex = all.findIndex((p) => p.run.payRunID === payRunId);
    const plan = all[runIndex];
    if (!plan) return undefined;
    const cached = payslipCache.get(payRunId);
    if (cached) return cached;
    const calendarId = calendarIds[plan.calendar];
    const pick = new Rng(seed, 6, runIndex);
    const slips: EmulatorPayslip[] = [];
    for (const employee of employees) {
      const f = factsOf(employee.employeeID ?? '');
      if (!f || employee.payrollCalendarID !== calendarId || !onPayroll(f, plan.period)) continue;
      // Off-cycle runs pay a few people; an earlier year update corrects a few.
      if (plan.kind === 'bonus' && !pick.chance(0.2)) continue;
      if ((plan.kind === 'correction' || plan.kind === 'eyu') && !pick.chance(0.1)) continue;
      if (plan.kind === 'correction' && !f.hourly) continue;
      slips.push(payslipFor(plan, employee, f, runIndex));
    }
    payslipCache.set(payRunId, slips);
    return slips;
  }

  function payRuns(): XeroPayRun[] {
    return runPlans().map((plan) => {
      const slips = payslips(plan.run.payRunID ?? '') ?? [];
      const pay = slips.reduce((a, s) => a + s.pence.net, 0);
      const cost = slips.reduce(
        (a, s) =>
          a +
          s.pence.gross +
          s.pence.employerTaxes.reduce((x, y) => x + y, 0) +
          s.pence.benefits.reduce((x, y) => x + y, 0),
        0,
      );
      return { ...plan.run, totalCost: pounds(cost), totalPay: pounds(pay) };
    });
  }

  // ---- timesheets: weekly, for hourly employees, the eight weeks up to this one ----
  let sheets: XeroTimesheet[] | null = null;
  function timesheets(): XeroTimesheet[] {
    if (sheets) return sheets;
    const weeks = periodsOf('Weekly', addDays(EMULATOR_TODAY, -56), addDays(EMULATOR_TODAY, 6));
    const out: XeroTimesheet[] = [];
    for (const employee of employees) {
      const f = factsOf(employee.employeeID ?? '');
      if (!f?.hourly) continue;
      for (const [w, week] of weeks.entries()) {
        if (!onPayroll(f, week)) continue;
        const t = new Rng(seed, 7, f.index, w);
        const lines = [0, 1, 2, 3, 4]
          .filter(() => t.chance(0.85))
          .map((d) => ({
            timesheetLineID: t.uuid(),
            date: xeroDate(addDays(week.start, d)),
            earningsRateID: RATES.regular.earningsRateID,
            numberOfUnits: t.pick([4, 6.25, 7.5, 7.75, 8, 8.5]),
          }));
        if (t.chance(0.2)) {
          lines.push({
            timesheetLineID: t.uuid(),
            date: xeroDate(addDays(week.start, 5)),
            earningsRateID: RATES.overtime.earningsRateID,
            numberOfUnits: t.pick([2, 3.5]),
          });
        }
        const status =
          week.payment <= EMULATOR_TODAY ? 'Completed' : w === weeks.length - 1 ? 'Draft' : 'Approved';
        out.push({
          timesheetID: t.uuid(),
          payrollCalendarID: calendarIds.Weekly,
          employeeID: employee.employeeID,
          startDate: xeroDate(week.start),
          endDate: xeroDate(week.end),
          status,
          totalHours: lines.reduce((a, l) => a + Math.round(l.numberOfUnits * 100), 0) / 100,
          updatedDateUTC: xeroUtc(dayMs(week.end) + t.int(3_600, 86_000) * 1000),
          timesheetLines: lines,
        });
      }
    }
    sheets = out;
    return out;
  }

  // ---- leave and balances ----
  const leaveCache = new Map<string, XeroLeave[]>();
  function leave(employeeId: string): XeroLeave[] | undefined {
    const f = factsOf(employeeId);
    if (!f) return undefined;
    const cached = leaveCache.get(employeeId);
    if (cached) return cached;
    const l = new Rng(seed, 8, f.index);
    const out: XeroLeave[] = [];
    const hoursPerDay = Math.round((f.unitsPerWeek / 5) * 100) / 100;
    for (let k = l.int(0, 4); k > 0; k--) {
      const type = l.pick([
        'Holiday',
        'Holiday',
        'Holiday',
        'Sick Leave',
        'Compassionate Leave',
        'Jury Service',
      ]);
      const start = addDays(EMULATOR_TODAY, l.int(-330, 45));
      if (start < f.start || (f.end !== null && start > f.end)) continue;
      const days = l.int(1, 5);
      const end = addDays(start, days - 1);
      const inDays = type === 'Holiday' && f.holidayInDays;
      const period = periodsOf(f.calendar, start, addDays(start, 40))[0] as Period;
      out.push({
        leaveID: l.uuid(),
        leaveTypeID: leaveTypeId(type),
        description: type === 'Holiday' ? l.pick(['Summer holiday', 'Long weekend', 'Family visit']) : type,
        startDate: xeroDate(start),
        endDate: xeroDate(end),
        periods: [
          {
            periodStartDate: xeroDate(period.start),
            periodEndDate: xeroDate(period.end),
            numberOfUnits: inDays ? days : Math.round(days * hoursPerDay * 100) / 100,
            periodStatus: period.payment <= EMULATOR_TODAY ? 'Completed' : 'Approved',
          },
        ],
        updatedDateUTC: xeroUtc(dayMs(start) - l.int(1, 30) * DAY_MS),
      });
    }
    leaveCache.set(employeeId, out);
    return out;
  }

  function leaveBalances(employeeId: string): XeroLeaveBalance[] | undefined {
    const f = factsOf(employeeId);
    if (!f) return undefined;
    const b = new Rng(seed, 9, f.index);
    const balances: XeroLeaveBalance[] = [
      f.holidayInDays
        ? {
            name: 'Holiday',
            leaveTypeID: leaveTypeId('Holiday'),
            balance: b.int(-3, 28) + b.pick([0, 0.5]),
            typeOfUnits: 'Days',
          }
        : {
            name: 'Holiday',
            leaveTypeID: leaveTypeId('Holiday'),
            // Leave taken ahead of accrual leaves a negative balance, as in Xero's own example.
            balance: b.int(-40, 210) + b.pick([0, 0.25, 0.5, 0.75]),
            typeOfUnits: 'Hours',
          },
      {
        name: 'Sick Leave',
        leaveTypeID: leaveTypeId('Sick Leave'),
        balance: b.int(0, 80),
        typeOfUnits: 'Hours',
      },
    ];
    for (const name of ['Compassionate Leave', 'Jury Service'] as const) {
      if (b.chance(0.3))
        balances.push({ name, leaveTypeID: leaveTypeId(name), balance: b.int(0, 40), typeOfUnits: 'Hours' });
    }
    if (b.chance(0.1)) {
      balances.push({
        name: 'Parental Leave',
        leaveTypeID: leaveTypeId('Parental Leave'),
        balance: -80,
        typeOfUnits: 'Hours',
      });
    }
    return balances;
  }

  return {
    tenantId,
    calendars,
    earningsRates,
    deductions,
    earningsOrders,
    leaveTypes,
    employees,
    payRuns,
    payslips,
    timesheets,
    salaryAndWages,
    leave,
    leaveBalances,
  };
}
