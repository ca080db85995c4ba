/**
 * Seeded data for the Gusto emulator, shaped as the published spec's response objects (API version 2025-06-15).
 * Every reference resolves: employees' managers, departments, jobs' locations, time off requests' and balances'
 * policies, payroll compensations' employees. Money is kept in integer cents and written as Gusto writes it
 * (decimal strings "to the cent", or numbers where the spec's schema says number); hours in thousandths.
 *
 * A payroll's employee compensations are computed when asked for (a 10,000-employee company has 170,000 of them),
 * from a generator seeded by the payroll and the employee, so they are the same on every call.
 */
import { seededRandom } from '../../emulator-data.js';
import { base, en, Faker } from '@faker-js/faker';
import type {
  GustoAdmin,
  GustoCompany,
  GustoCustomField,
  GustoDepartment,
  GustoEmployee,
  GustoEmployeeCompensation,
  GustoHomeAddress,
  GustoLocation,
  GustoOffCycleReason,
  GustoPayroll,
  GustoTimeOffBalance,
  GustoTimeOffPolicy,
  GustoTimeOffRequest,
  GustoTokenInfo,
} from '../raw.js';

export interface GustoDataOptions {
  employees?: number;
  seed?: number;
}

/** An employee as stored: the includes (`current_home_address`, `custom_fields`) are added when asked for. */
export interface StoredEmployee extends GustoEmployee {
  current_home_address: GustoHomeAddress;
  custom_fields: GustoCustomField[];
}

export interface GustoEmulatorData {
  company: GustoCompany;
  locations: GustoLocation[];
  departments: GustoDepartment[];
  admins: GustoAdmin[];
  tokenInfo: GustoTokenInfo;
  employees: StoredEmployee[];
  policies: GustoTimeOffPolicy[];
  timeOffRequests: GustoTimeOffRequest[];
  balances: GustoTimeOffBalance[];
  payrolls: GustoPayroll[];
  /** Every employee compensation of a payroll (with taxes, benefits and deductions); undefined for an unknown one. */
  compensations(payrollUuid: string): GustoEmployeeCompensation[] | undefined;
}

/** The emulator's "today": its data is dated relative to it, so runs are reproducible. */
export const EMULATOR_TODAY = '2025-06-30';

const LOCATION_DEFS = [
  {
    street: '525 20th Street',
    city: 'San Francisco',
    state: 'CA',
    zip: '94107',
    filing: true,
    mailing: true,
  },
  {
    street: '228 Park Avenue South',
    city: 'New York',
    state: 'NY',
    zip: '10003',
    filing: false,
    mailing: false,
  },
  { street: '500 West 2nd Street', city: 'Austin', state: 'TX', zip: '78701', filing: false, mailing: false },
  // A deleted office: Gusto keeps it (inactive) for history.
  { street: '1 Old Mill Road', city: 'Denver', state: 'CO', zip: '80202', filing: false, mailing: false },
] as const;
const DEPARTMENTS = ['Engineering', 'Product', 'Sales', 'Customer Success', 'People', 'Finance'] as const;
const POLICY_DEFS = [
  { name: 'Vacation', type: 'vacation', method: 'per_hour_paid' },
  { name: 'Sick leave', type: 'sick', method: 'per_pay_period' },
  { name: 'Personal days', type: 'personal_day', method: 'unlimited' },
  { name: 'Parental leave', type: 'parental_leave', method: 'unlimited' },
] as const;
const EMPLOYMENT_STATUSES = [
  'full_time',
  'full_time',
  'full_time',
  'full_time',
  'part_time_twenty_plus_hours',
  'part_time_under_twenty_hours',
  'variable',
  'seasonal',
] as const;
/** The payrolls of the first half of 2025: semimonthly regular ones and the off-cycle kinds Gusto has. */
const OFF_CYCLE: Array<{ date: string; reason: GustoOffCycleReason }> = [
  { date: '2025-03-20', reason: 'Bonus' },
  { date: '2025-04-10', reason: 'Wage correction' },
  { date: '2025-05-05', reason: 'Dismissed employee' },
  { date: '2025-05-22', reason: 'Reversal' },
];

const day = (d: Date) => d.toISOString().slice(0, 10);
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return day(d);
}
function lastDayOfMonth(year: number, month: number): string {
  return day(new Date(Date.UTC(year, month + 1, 0)));
}

/** Integer cents → Gusto's decimal string ("-0.92", "2791.25"), built from the digits (never a float). */
export function dollars(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
/** Where the spec's schema says `number`: the JSON number of the same decimal. */
const dollarsNumber = (cents: number) => Number(dollars(cents));
/** Thousandths of an hour → "40.000". */
export function hours(milli: number): string {
  const abs = Math.abs(milli);
  return `${milli < 0 ? '-' : ''}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

function hashSeed(...parts: string[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

const version = (faker: Faker) => faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });

export function generateGustoData(options: GustoDataOptions = {}): GustoEmulatorData {
  const count = Math.max(1, Math.min(10_000, options.employees ?? 100));
  const seed = options.seed ?? 42;
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);

  const companyUuid = faker.string.uuid();
  const created = '2021-03-01T17:00:00.000-08:00';
  const locations: GustoLocation[] = LOCATION_DEFS.map((l, i) => {
    const active = i < LOCATION_DEFS.length - 1;
    return {
      uuid: faker.string.uuid(),
      version: version(faker),
      company_uuid: companyUuid,
      phone_number: faker.string.numeric(10),
      street_1: l.street,
      street_2: i === 0 ? 'Suite 400' : null,
      city: l.city,
      state: l.state,
      zip: l.zip,
      country: 'USA',
      mailing_address: l.mailing,
      filing_address: l.filing,
      created_at: created,
      updated_at: '2024-11-02T09:30:00.000-07:00',
      active,
      inactive: !active,
    };
  });
  const workLocations = locations.filter((l) => l.active);

  const company: GustoCompany & Record<string, unknown> = {
    uuid: companyUuid,
    name: 'Acme Payroll Holdings, LLC',
    trade_name: 'Acme',
    ein: faker.string.numeric(9),
    entity_type: 'LLC',
    contractor_only: false,
    tier: 'complete',
    is_suspended: false,
    company_status: 'Approved',
    is_partner_managed: true,
    slug: 'acme-payroll-holdings-llc',
    pay_schedule_type: 'single',
    join_date: '2021-03-01',
    funding_type: 'ach',
    locations: locations.map((l) => ({
      street_1: l.street_1,
      street_2: l.street_2,
      city: l.city,
      state: l.state,
      zip: l.zip,
      country: l.country,
      active: l.active,
    })),
  };

  const departments: GustoDepartment[] = DEPARTMENTS.map((title) => ({
    uuid: faker.string.uuid(),
    version: version(faker),
    company_uuid: companyUuid,
    title,
    employees: [],
    contractors: [],
  }));

  const employees: StoredEmployee[] = [];
  for (let i = 0; i < count; i++) {
    const uuid = faker.string.uuid();
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const roll = faker.number.int({ min: 1, max: 100 });
    // The first employee (the admin's own record) is always active and onboarded.
    const terminatedPast = i > 0 && roll <= 8;
    const terminatedLater = i > 0 && roll > 8 && roll <= 10;
    const onboarding = i > 0 && roll > 10 && roll <= 15;
    const hireDate = onboarding
      ? addDays(EMULATOR_TODAY, faker.number.int({ min: 1, max: 45 }))
      : day(faker.date.between({ from: '2019-01-01', to: '2025-01-31' }));
    const dept =
      i % 13 === 12 ? null : departments[faker.number.int({ min: 0, max: departments.length - 1 })]!;
    dept?.employees?.push({ uuid });
    const location = workLocations[faker.number.int({ min: 0, max: workLocations.length - 1 })]!;
    const hourly = faker.number.int({ min: 1, max: 100 }) <= 25;
    const jobUuid = faker.string.uuid();
    const title = faker.person.jobTitle();
    const rate = hourly
      ? faker.number.int({ min: 1800, max: 6500 }) + faker.helpers.arrayElement([0, 25, 50, 75])
      : faker.number.int({ min: 48, max: 190 }) * 1000_00;
    const compensations = [];
    const raise = !onboarding && faker.number.int({ min: 1, max: 100 }) <= 40;
    if (raise) {
      compensations.push({
        uuid: faker.string.uuid(),
        version: version(faker),
        job_uuid: jobUuid,
        employee_uuid: uuid,
        rate: dollars(Math.round(rate * 0.92)),
        payment_unit: hourly ? ('Hour' as const) : ('Year' as const),
        flsa_status: hourly ? ('Nonexempt' as const) : ('Exempt' as const),
        effective_date: hireDate,
        title,
        adjust_for_minimum_wage: false,
        minimum_wages: [],
      });
    }
    const current = {
      uuid: faker.string.uuid(),
      version: version(faker),
      job_uuid: jobUuid,
      employee_uuid: uuid,
      rate: dollars(rate),
      payment_unit: hourly ? ('Hour' as const) : ('Year' as const),
      flsa_status: hourly ? ('Nonexempt' as const) : ('Exempt' as const),
      effective_date: raise ? addDays(hireDate, faker.number.int({ min: 180, max: 400 })) : hireDate,
      title,
      adjust_for_minimum_wage: false,
      minimum_wages: [],
    };
    compensations.push(current);
    const terminations = terminatedPast
      ? [
          {
            uuid: faker.string.uuid(),
            version: version(faker),
            employee_uuid: uuid,
            active: true,
            cancelable: false,
            effective_date: addDays(EMULATOR_TODAY, -faker.number.int({ min: 1, max: 300 })),
            run_termination_payroll: false,
          },
        ]
      : terminatedLater
        ? [
            {
              uuid: faker.string.uuid(),
              version: version(faker),
              employee_uuid: uuid,
              active: false,
              cancelable: true,
              effective_date: addDays(EMULATOR_TODAY, faker.number.int({ min: 5, max: 60 })),
              run_termination_payroll: true,
            },
          ]
        : [];
    const employee: StoredEmployee = {
      uuid,
      first_name: first,
      middle_initial:
        faker.number.int({ min: 1, max: 3 }) === 1 ? faker.string.alpha({ casing: 'upper' }) : null,
      last_name: last,
      email: `${first}.${last}.${i}@mail.example`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      company_uuid: companyUuid,
      manager_uuid: i > 0 ? employees[faker.number.int({ min: 0, max: Math.floor(i / 10) })]!.uuid! : null,
      version: version(faker),
      department: dept?.title ?? null,
      terminated: terminatedPast || terminatedLater,
      two_percent_shareholder: false,
      work_email:
        i % 17 === 16 ? null : `${first}.${last}.${i}@acme.example`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      onboarded: !onboarding,
      onboarding_status: onboarding ? 'self_onboarding_invited' : 'onboarding_completed',
      jobs: [
        {
          uuid: jobUuid,
          version: version(faker),
          employee_uuid: uuid,
          hire_date: hireDate,
          title,
          primary: true,
          rate: current.rate,
          payment_unit: current.payment_unit,
          current_compensation_uuid: current.uuid,
          two_percent_shareholder: false,
          state_wc_covered: null,
          state_wc_class_code: null,
          compensations,
          location_uuid: location.uuid ?? '',
          location,
        },
      ],
      terminations,
      date_of_birth: day(
        faker.date.birthdate({ mode: 'age', min: 19, max: 66, refDate: `${EMULATOR_TODAY}T00:00:00Z` }),
      ),
      has_ssn: true,
      ssn: '',
      phone: i % 5 === 4 ? null : faker.string.numeric(10),
      preferred_first_name: i % 11 === 3 ? faker.person.firstName() : null,
      payment_method: i % 9 === 8 ? 'Check' : 'Direct Deposit',
      current_employment_status: hourly
        ? faker.helpers.arrayElement(EMPLOYMENT_STATUSES)
        : i % 23 === 22
          ? null
          : 'full_time',
      historical: false,
      employee_code: faker.string.hexadecimal({ length: 6, casing: 'lower', prefix: '' }),
      department_uuid: dept?.uuid ?? null,
      title,
      hired_at: hireDate,
      flsa_status: current.flsa_status,
      current_home_address: {
        uuid: faker.string.uuid(),
        street_1: faker.location.streetAddress(),
        street_2: i % 4 === 0 ? `Apt ${faker.number.int({ min: 1, max: 40 })}` : null,
        city: faker.location.city(),
        state: faker.location.state({ abbreviated: true }),
        zip: faker.location.zipCode('#####'),
        country: 'USA',
        active: true,
        effective_date: hireDate,
      },
      custom_fields:
        i % 3 === 0
          ? [
              {
                id: faker.string.uuid(),
                company_custom_field_id: 'a4f3d1e2-0000-4000-8000-00000000c0f1',
                name: 'T-shirt size',
                type: 'radio',
                description: 'For the company swag',
                value: faker.helpers.arrayElement(['S', 'M', 'L', 'XL']),
                selection_options: ['S', 'M', 'L', 'XL'],
              },
            ]
          : [],
    };
    employees.push(employee);
  }

  const admins: GustoAdmin[] = [employees[0]!, employees[1] ?? employees[0]!].map((e) => ({
    uuid: faker.string.uuid(),
    email: e.work_email ?? `${e.first_name}@acme.example`.toLowerCase(),
    first_name: e.first_name,
    last_name: e.last_name,
    phone: e.phone ?? null,
  }));
  const tokenInfo: GustoTokenInfo = {
    scope:
      'companies:read employees:read compensations:read departments:read time_off_requests:read time_off_policies:read payrolls:read company_admin:read',
    resource: { type: 'Company', uuid: companyUuid },
    resource_owner: { type: 'CompanyAdmin', uuid: admins[0]!.uuid! },
  };

  // Time off: requests in hours per day, balances in hours (a few employees borrowed ahead: negative balances).
  const policies: GustoTimeOffPolicy[] = POLICY_DEFS.map((p) => ({
    uuid: faker.string.uuid(),
    company_uuid: companyUuid,
    name: p.name,
    policy_type: p.type,
    accrual_method: p.method,
    accrual_rate: p.method === 'unlimited' ? null : '4.615',
    accrual_rate_unit: p.method === 'per_hour_paid' ? '80.0' : null,
    paid_out_on_termination: p.type === 'vacation',
    accrual_waiting_period_days: 0,
    carryover_limit_hours: p.type === 'vacation' ? '40.0' : null,
    max_accrual_hours_per_year: null,
    max_hours: null,
    complete: true,
    version: version(faker),
    is_active: true,
    employees: [],
  }));
  const accruing = policies.slice(0, 2);
  const timeOffRequests: GustoTimeOffRequest[] = [];
  const balances: GustoTimeOffBalance[] = [];
  for (const e of employees) {
    const used = new Map<string, number>();
    const n = faker.number.int({ min: 0, max: 2 });
    for (let k = 0; k < n; k++) {
      const policy = faker.helpers.arrayElement(policies.slice(0, 3));
      let date = day(faker.date.between({ from: '2025-01-06', to: '2025-11-28' }));
      const days: Record<string, string> = {};
      const length = faker.number.int({ min: 1, max: 4 });
      for (let d = 0; d < length; ) {
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        if (weekday !== 0 && weekday !== 6) {
          days[date] = hours(faker.helpers.arrayElement([8000, 8000, 8000, 4000, 6500]));
          d++;
        }
        date = addDays(date, 1);
      }
      const status = faker.helpers.arrayElement([
        'pending',
        'approved',
        'approved',
        'consumed',
        'declined',
      ] as const);
      if (status !== 'declined') {
        const total = Object.values(days).reduce((a, h) => a + Math.round(Number(h) * 1000), 0);
        used.set(policy.uuid!, (used.get(policy.uuid!) ?? 0) + total);
      }
      const approver = admins[0]!;
      timeOffRequests.push({
        uuid: faker.string.uuid(),
        status,
        employee_note:
          faker.number.int({ min: 1, max: 3 }) === 1
            ? null
            : faker.helpers.arrayElement(['Family trip', 'Doctor', 'Moving house', 'Wedding']),
        employer_note: status === 'declined' ? 'Not enough coverage' : null,
        policy_type: policy.policy_type ?? null,
        policy_uuid: policy.uuid ?? null,
        days,
        employee: { uuid: e.uuid, full_name: `${e.first_name} ${e.last_name}` },
        initiator: { uuid: e.uuid, full_name: `${e.first_name} ${e.last_name}` },
        approver:
          status === 'approved' || status === 'consumed'
            ? { uuid: approver.uuid, full_name: `${approver.first_name} ${approver.last_name}` }
            : null,
      });
    }
    const rows = accruing.map((policy) => {
      const accrued =
        faker.number.int({ min: 0, max: 60_000 }) + faker.helpers.arrayElement([0, 384, 615, 923]);
      const spent = used.get(policy.uuid!) ?? 0;
      const borrowed =
        faker.number.int({ min: 1, max: 100 }) <= 4
          ? accrued + faker.number.int({ min: 500, max: 16_000 })
          : 0;
      const usedMilli = Math.max(spent, borrowed);
      policy.employees?.push({ uuid: e.uuid, balance: hours(accrued - usedMilli) });
      return {
        policy_uuid: policy.uuid,
        balance_hours: hours(accrued - usedMilli),
        accrued_hours: hours(accrued),
        used_hours: hours(usedMilli),
        pending_hours: hours(0),
      };
    });
    balances.push({ employee_uuid: e.uuid, balances: rows });
  }

  // Payrolls: semimonthly periods of January–June 2025 (processed), July's first (not yet), and off-cycle runs.
  const scheduleUuid = faker.string.uuid();
  const payrolls: GustoPayroll[] = [];
  const payroll = (p: {
    start: string;
    end: string;
    check: string;
    processed: boolean;
    reason?: GustoOffCycleReason;
  }): GustoPayroll & Record<string, unknown> => {
    const uuid = faker.string.uuid();
    return {
      payroll_deadline: `${addDays(p.check, -4)}T23:00:00Z`,
      check_date: p.check,
      processed: p.processed,
      processed_date: p.processed ? addDays(p.check, -4) : null,
      calculated_at: p.processed ? `${addDays(p.check, -4)}T19:40:51Z` : null,
      uuid,
      payroll_uuid: uuid,
      company_uuid: companyUuid,
      off_cycle: p.reason !== undefined,
      ...(p.reason !== undefined
        ? {
            off_cycle_reason: p.reason,
            final_termination_payroll: p.reason === 'Dismissed employee',
            withholding_pay_period: 'Twice per month',
            skip_regular_deductions: p.reason === 'Bonus',
            fixed_withholding_rate: p.reason === 'Bonus',
          }
        : {}),
      auto_pilot: false,
      external: false,
      pay_period: { start_date: p.start, end_date: p.end, pay_schedule_uuid: scheduleUuid },
      created_at: `${addDays(p.check, -6)}T16:58:03Z`,
    };
  };
  for (let month = 0; month < 7; month++) {
    const mm = String(month + 1).padStart(2, '0');
    const halves =
      month === 6
        ? [[`2025-${mm}-01`, `2025-${mm}-15`]]
        : [
            [`2025-${mm}-01`, `2025-${mm}-15`],
            [`2025-${mm}-16`, lastDayOfMonth(2025, month)],
          ];
    for (const [start, end] of halves) {
      payrolls.push(payroll({ start: start!, end: end!, check: addDays(end!, 5), processed: month < 6 }));
    }
  }
  for (const o of OFF_CYCLE) {
    payrolls.push(payroll({ start: o.date, end: o.date, check: o.date, processed: true, reason: o.reason }));
  }
  const payrollByUuid = new Map(payrolls.map((p) => [p.payroll_uuid ?? '', p]));

  /** Who a payroll pays: everyone employed during its period; an off-cycle run pays a few. */
  const paidIn = (p: GustoPayroll): StoredEmployee[] => {
    const start = p.pay_period?.start_date ?? '';
    const end = p.pay_period?.end_date ?? '';
    const employed = employees.filter((e) => {
      const hired = e.hired_at ?? '';
      const left = e.terminations?.find((t) => t.active)?.effective_date;
      return hired <= end && (!left || left >= start);
    });
    if (!p.off_cycle) return employed;
    return employed.filter((_, i) => i % 7 === 0).slice(0, 25);
  };

  const cache = new Map<string, GustoEmployeeCompensation[]>();
  const compensations = (uuid: string): GustoEmployeeCompensation[] | undefined => {
    const p = payrollByUuid.get(uuid);
    if (!p) return undefined;
    const cached = cache.get(uuid);
    if (cached) return cached;
    const list = paidIn(p).map((e) => compensationFor(p, e, hashSeed(String(seed), uuid, e.uuid ?? '')));
    // Keep only the last few payrolls computed: a 10,000-employee payroll is tens of megabytes.
    if (cache.size >= 4) cache.delete(cache.keys().next().value as string);
    cache.set(uuid, list);
    return list;
  };

  return {
    company,
    locations,
    departments,
    admins,
    tokenInfo,
    employees,
    policies,
    timeOffRequests,
    balances,
    payrolls,
    compensations,
  };
}

/** One employee's compensation in one payroll: earnings, taxes, benefits and deductions in cents, net computed. */
function compensationFor(p: GustoPayroll, e: GustoEmployee, seed: number): GustoEmployeeCompensation {
  const rand = seededRandom(seed);
  const pick = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const job = e.jobs?.[0];
  const comp = job?.compensations?.at(-1);
  const rateCents = Math.round(Number(comp?.rate ?? '0') * 100);
  const hourly = comp?.payment_unit === 'Hour';
  const fixed: NonNullable<GustoEmployeeCompensation['fixed_compensations']> = [];
  const hourlyLines: NonNullable<GustoEmployeeCompensation['hourly_compensations']> = [];
  let gross = 0;
  const reason = p.off_cycle ? p.off_cycle_reason : null;
  if (reason === 'Bonus') {
    const bonus = pick(250, 5000) * 100 + pick(0, 99);
    fixed.push({ name: 'Bonus', amount: dollars(bonus), job_uuid: job?.uuid });
    gross += bonus;
  } else if (reason === 'Wage correction') {
    const correction = pick(1000, 40_000);
    fixed.push({ name: 'Correction Payment', amount: dollars(correction), job_uuid: job?.uuid });
    gross += correction;
  } else if (reason === 'Reversal') {
    // A reversal pays back a check in the negative.
    const reversed = -(pick(80_000, 400_000) + pick(0, 99));
    fixed.push({ name: 'Reversed Check', amount: dollars(reversed), job_uuid: job?.uuid });
    gross += reversed;
  } else if (hourly) {
    const regular = pick(60, 88) * 1000 + pick(0, 3) * 250;
    const overtime = pick(0, 3) === 0 ? pick(1, 12) * 500 : 0;
    const regularPay = Math.round((rateCents * regular) / 1000);
    const overtimePay = Math.round((rateCents * 1.5 * overtime) / 1000);
    hourlyLines.push(
      {
        name: 'Regular Hours',
        hours: hours(regular),
        amount: dollars(regularPay),
        job_uuid: job?.uuid,
        compensation_multiplier: 1,
        flsa_status: 'Nonexempt',
      },
      {
        name: 'Overtime',
        hours: hours(overtime),
        amount: dollars(overtimePay),
        job_uuid: job?.uuid,
        compensation_multiplier: 1.5,
        flsa_status: 'Nonexempt',
      },
      {
        name: 'Double overtime',
        hours: '0.000',
        amount: '0.00',
        job_uuid: job?.uuid,
        compensation_multiplier: 2,
        flsa_status: 'Nonexempt',
      },
    );
    gross += regularPay + overtimePay;
  } else {
    const salary = Math.round(rateCents / 24);
    fixed.push({ name: 'Salary', amount: dollars(salary), job_uuid: job?.uuid });
    fixed.push({ name: 'Bonus', amount: '0.00', job_uuid: job?.uuid });
    gross += salary;
  }
  if (!p.off_cycle && pick(0, 5) === 0) {
    const commission = pick(5_000, 90_000);
    fixed.push({ name: 'Commission', amount: dollars(commission), job_uuid: job?.uuid });
    gross += commission;
  }
  const reimbursement = !p.off_cycle && pick(0, 9) === 0 ? pick(1_500, 25_000) : 0;
  if (reimbursement > 0)
    fixed.push({ name: 'Reimbursement', amount: dollars(reimbursement), job_uuid: job?.uuid });

  const pct = (rate: number) => Math.round(gross * rate);
  const taxes = [
    { name: 'Federal Income Tax', employer: false, amount: pct(0.11 + pick(0, 40) / 1000) },
    { name: 'Social Security', employer: false, amount: pct(0.062) },
    { name: 'Medicare', employer: false, amount: pct(0.0145) },
    { name: 'Social Security', employer: true, amount: pct(0.062) },
    { name: 'Medicare', employer: true, amount: pct(0.0145) },
    { name: 'FUTA', employer: true, amount: pct(0.006) },
  ];
  const regular = !p.off_cycle;
  const benefits = regular
    ? [
        { name: '401K', employee_deduction: pct(0.05), company_contribution: pct(0.03), imputed: false },
        {
          name: 'Medical Insurance',
          employee_deduction: 12_345,
          company_contribution: 45_678,
          imputed: false,
        },
      ]
    : [];
  const deductions = regular && pick(0, 19) === 0 ? [{ name: 'Child Support', amount: 25_000 }] : [];
  const employeeTaxes = taxes.filter((t) => !t.employer).reduce((a, t) => a + t.amount, 0);
  const withheld =
    employeeTaxes +
    benefits.reduce((a, b) => a + b.employee_deduction, 0) +
    deductions.reduce((a, d) => a + d.amount, 0);
  const net = gross - withheld;
  return {
    employee_uuid: e.uuid,
    excluded: false,
    first_name: e.first_name,
    preferred_first_name: e.preferred_first_name ?? null,
    last_name: e.last_name,
    gross_pay: dollarsNumber(gross),
    net_pay: dollarsNumber(net),
    check_amount: dollarsNumber(net + reimbursement),
    payment_method: e.payment_method ?? 'Direct Deposit',
    memo: null,
    fixed_compensations: fixed,
    hourly_compensations: hourlyLines,
    paid_time_off: [
      { name: 'Vacation Hours', hours: '0.000', final_payout_unused_hours_input: null },
      { name: 'Sick Hours', hours: '0.000', final_payout_unused_hours_input: null },
    ],
    reimbursements: [],
    taxes: taxes.map((t) => ({ name: t.name, employer: t.employer, amount: dollarsNumber(t.amount) })),
    benefits: benefits.map((b) => ({
      name: b.name,
      employee_deduction: dollarsNumber(b.employee_deduction),
      company_contribution: dollarsNumber(b.company_contribution),
      imputed: b.imputed,
    })),
    deductions: deductions.map((d) => ({ name: d.name, amount: dollarsNumber(d.amount) })),
  };
}
