/**
 * Gusto mappers: the conversions (cents from decimals, hours, dates, countries), every enum table, and Gusto's OWN
 * example payloads from the published spec (not only emulator data), each mapped and checked against the contract.
 * The spec's examples are not always what its schemas say (zips and phone numbers as numbers, "USA,", money both as
 * strings and as numbers in one payroll, hourly lines without amounts): the mappers must take them as they come.
 */
import { describe, expect, it } from 'vitest';
import type {
  GustoAdmin,
  GustoCompany,
  GustoDepartment,
  GustoEmployee,
  GustoLocation,
  GustoPayroll,
  GustoPayrollShow,
  GustoTimeOffBalance,
  GustoTimeOffPolicy,
  GustoTimeOffRequest,
} from '../raw.js';
import { assertContract } from '../../../testing/unified.js';
import { specExample, specResponseExample } from '../test-support.js';
import { toCompany, toIdentity } from './to-company.js';
import {
  mapEmploymentStatus,
  mapEmploymentType,
  mapPayPeriod,
  toEmployee,
  withManagers,
} from './to-employee.js';
import { toGroup } from './to-group.js';
import { toLocation } from './to-location.js';
import { mapPayrunState, mapPayrunType, toPayrun, toPayslip } from './to-payroll.js';
import { mapPolicyType, mapRequestStatus, toTimeOffBalances, toTimeOffEntry } from './to-time-off.js';
import { milliToTenths, toCents, toCountry, toDate, toHours, toMajorUnits } from './values.js';

const TODAY = '2025-06-30';

/** Cents the slow, obviously right way: BigInt on the digits, half away from zero at the third decimal. */
function referenceCents(text: string): number {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(text);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = BigInt(m[2] ?? '0') * 100n + BigInt(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1n;
  return Number(m[1] ? -cents : cents);
}

describe('Gusto values', () => {
  it('money: decimal strings and numbers → integer cents, exactly, where float arithmetic is off by one', () => {
    // Each of these goes wrong as Math.floor(Number(x) * 100) or as a float sum of the parts.
    const cases: Array<[string | number, number]> = [
      ['2791.25', 279125],
      ['1953.31', 195331],
      ['0.29', 29],
      ['1.15', 115],
      ['4.35', 435],
      ['8.20', 820],
      ['19.99', 1999],
      ['-0.92', -92],
      ['0.00', 0],
      ['-0.00', 0],
      ['130635.89', 13063589],
      ['1,234.50', 123450],
      ['12', 1200],
      ['.5', 50],
      [646.69, 64669],
      [0.57, 57],
      [1.005, 101],
      [0.1 + 0.2, 30],
      [-2.675, -268],
      ['90071992547409.91', 9007199254740991],
    ];
    for (const [input, cents] of cases) expect(toCents(input), String(input)).toBe(cents);
    for (const bad of [
      '',
      'string',
      '1.2.3',
      '12a',
      null,
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      {},
    ]) {
      expect(toCents(bad), String(bad)).toBeNull();
    }
    // Beyond 2^53 cents there is no exact integer: refused rather than rounded.
    expect(toCents('90071992547409.92')).toBeNull();
  });

  it('money: agrees with an exact BigInt reference on 5,000 random decimals', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 5_000; i++) {
      const whole = Math.floor(rand() * 10 ** (1 + Math.floor(rand() * 9)));
      const digits = Math.floor(rand() * 5);
      const frac = digits ? `.${String(Math.floor(rand() * 10 ** digits)).padStart(digits, '0')}` : '';
      const text = `${rand() < 0.2 ? '-' : ''}${whole}${frac}`;
      expect(toCents(text), text).toBe(referenceCents(text));
    }
  });

  it('a summed payslip equals the sum of its cents: no float drift over many lines', () => {
    const lines = Array.from({ length: 1000 }, () => '0.10');
    expect(lines.reduce((a, l) => a + (toCents(l) ?? 0), 0)).toBe(10000);
    expect(lines.reduce((a, l) => a + Number(l), 0) * 100).not.toBe(10000);
  });

  it('hours, rates, dates and countries', () => {
    expect(toHours('40.000')).toBe(40);
    expect(toHours('7.125')).toBe(7.125);
    expect(toHours('-2.082')).toBe(-2.082);
    expect(toHours('32.0')).toBe(32);
    expect(milliToTenths(26_500)).toBe(26.5);
    expect(milliToTenths(6_549)).toBe(6.5);
    expect(milliToTenths(6_550)).toBe(6.6);
    expect(toMajorUnits('80000.00')).toBe(80000);
    expect(toMajorUnits('23.75')).toBe(23.75);
    expect(toDate('2025-06-09')).toBe('2025-06-09');
    expect(toDate('2023-09-12T16:42:25.000-07:00')).toBe('2023-09-12');
    expect(toDate('2025-02-30')).toBeNull();
    expect(toDate('string')).toBeNull();
    expect(['USA', 'USA,', 'US', 'United States', 'us', 'Canada', '', undefined].map(toCountry)).toEqual([
      'US',
      'US',
      'US',
      'US',
      'US',
      null,
      null,
      null,
    ]);
  });
});

describe('Gusto enum tables', () => {
  it('payrun types: every off_cycle_reason of the spec, explicitly', () => {
    const reasons = [
      ['Adhoc', 'off_cycle'],
      ['Benefit reversal', 'reversal'],
      ['Bonus', 'one_time'],
      ['Correction', 'correction'],
      ['Dismissed employee', 'off_cycle'],
      ['Hired employee', 'off_cycle'],
      ['Wage correction', 'correction'],
      ['Tax reconciliation', 'off_cycle'],
      ['Reversal', 'reversal'],
      ['Disability insurance distribution', 'off_cycle'],
      ['Transition from old pay schedule', 'off_cycle'],
    ] as const;
    for (const [reason, type] of reasons) {
      expect(mapPayrunType({ off_cycle: true, off_cycle_reason: reason }), reason).toBe(type);
    }
    expect(mapPayrunType({ off_cycle: true, off_cycle_reason: null })).toBe('off_cycle');
    expect(mapPayrunType({ off_cycle: false, off_cycle_reason: 'Bonus' })).toBe('regular');
    expect(mapPayrunType({})).toBe('regular');
    expect([true, false, undefined].map((processed) => mapPayrunState({ processed }))).toEqual([
      'paid',
      'pending',
      'pending',
    ]);
  });

  it('time off: request statuses and policy types', () => {
    expect(
      (['pending', 'approved', 'consumed', 'declined', undefined] as const).map(mapRequestStatus),
    ).toEqual(['pending', 'approved', 'approved', 'rejected', null]);
    const types = [
      'vacation',
      'sick',
      'bereavement',
      'custom',
      'floating_holiday',
      'jury_duty',
      'learning_and_development',
      'parental_leave',
      'personal_day',
      'volunteer',
      'weather',
    ];
    expect(types.map(mapPolicyType)).toEqual([
      'vacation',
      'sick',
      'bereavement',
      null,
      'holiday',
      'jury_duty',
      null,
      null,
      'personal',
      'volunteer',
      null,
    ]);
  });

  it('employment type, status and pay period', () => {
    expect(
      (
        [
          'full_time',
          'part_time_under_twenty_hours',
          'part_time_twenty_plus_hours',
          'variable',
          'seasonal',
          null,
        ] as const
      ).map(mapEmploymentType),
    ).toEqual(['full_time', 'part_time', 'part_time', 'other', 'other', null]);
    expect((['Hour', 'Week', 'Month', 'Year', 'Paycheck', undefined] as const).map(mapPayPeriod)).toEqual([
      'hour',
      'week',
      'month',
      'year',
      'paycheck',
      null,
    ]);
    const base: GustoEmployee = { uuid: 'e', onboarding_status: 'onboarding_completed', onboarded: true };
    expect(mapEmploymentStatus(base, TODAY)).toBe('active');
    expect(mapEmploymentStatus({ ...base, onboarding_status: 'self_onboarding_invited' }, TODAY)).toBe(
      'pending',
    );
    expect(mapEmploymentStatus({ ...base, onboarding_status: undefined, onboarded: false }, TODAY)).toBe(
      'pending',
    );
    // A termination in effect; one scheduled for later leaves the employee active until then.
    const past = { uuid: 't', active: true, effective_date: '2025-01-31' };
    const later = { uuid: 't', active: false, effective_date: '2025-08-15' };
    expect(mapEmploymentStatus({ ...base, terminated: true, terminations: [past] }, TODAY)).toBe('inactive');
    expect(mapEmploymentStatus({ ...base, terminated: true, terminations: [later] }, TODAY)).toBe('active');
    expect(mapEmploymentStatus({ ...base, terminated: true }, TODAY)).toBe('inactive');
    expect(
      toEmployee({ ...base, first_name: 'A', last_name: 'B', terminations: [later] }, TODAY).termination_date,
    ).toBe('2025-08-15');
  });
});

describe("Gusto's own example payloads (the published spec)", () => {
  it('employees (Show-Employees success_status): contract-valid, fields as Gusto gave them', () => {
    const raw = specExample<GustoEmployee[]>('Show-Employees', 'success_status');
    const employees = withManagers(raw.map((e) => toEmployee(e, TODAY)));
    assertContract('/employees', employees);
    expect(employees[0]).toMatchObject({
      id: 'd7282d99-ab6b-42f5-ba45-f4a670e886a8',
      remote_id: 'd7282d99-ab6b-42f5-ba45-f4a670e886a8',
      employee_number: '46f036',
      first_name: 'Boaty',
      last_name: 'Koss',
      display_full_name: 'Boaty Koss',
      personal_email: 'keena.feest@kiehn.co.uk',
      work_email: null,
      date_of_birth: '2005-06-09',
      employment_status: 'active',
      employment_type: 'full_time',
      // No `hired_at` in the example: the job's hire date.
      start_date: '2024-06-09',
      // The job's title is "" in the example: no title rather than an empty one.
      job_title: null,
      home_location: {
        street_address: '412 Kiera Stravenue, Suite 391',
        locality: 'San Francisco',
        administrative_area: 'CA',
        country: 'US',
        post_code: '94107',
      },
      compensation_history: [
        {
          pay_rate: 80000,
          pay_period: 'year',
          pay_frequency: null,
          employment_type: 'full_time',
          currency: 'usd',
          effective_date: '2025-06-09',
          notes: null,
        },
      ],
      manager: null,
      groups: null,
      tax_id: null,
    });
  });

  it('company (Company + Company-Locations-List): numeric zips and "USA," are taken as they come', () => {
    const company = specExample<GustoCompany>('Company', 'success_status');
    const locations = specExample<GustoLocation[]>('Company-Locations-List', 'success_status');
    const [mapped] = [toCompany(company, locations)];
    assertContract('/company', [mapped]);
    expect(mapped).toEqual({
      id: 'c7a07c73-a703-4462-9343-1b181182b6e0',
      remote_id: 'c7a07c73-a703-4462-9343-1b181182b6e0',
      legal_name: 'Shoppe Studios LLC',
      display_name: 'Record Shoppe',
      tax_id: '00-0000001',
      // No filing address in the list: the mailing one (Richmond, whose country reads "USA,").
      address: {
        street_address: '644 Fay Vista, Suite 842',
        locality: 'Richmond',
        administrative_area: 'VA',
        country: 'US',
        post_code: '23218',
      },
    });
    // Without the locations list, the company's own first active address.
    expect(toCompany(company, []).address?.locality).toBe('San Francisco');
    const work = locations.map(toLocation);
    assertContract('/work-locations', work);
    expect(work[0]).toEqual({
      id: '04552eb9-7829-4b18-ae96-6983552948df',
      remote_id: '04552eb9-7829-4b18-ae96-6983552948df',
      name: '412 Kiera Stravenue, San Francisco',
      type: 'office',
      address: {
        street_address: '412 Kiera Stravenue, Suite 391',
        locality: 'San Francisco',
        administrative_area: 'CA',
        country: 'US',
        post_code: '94107',
      },
    });
  });

  it('departments (Department-List) and the admin (Admin)', () => {
    const groups = specExample<GustoDepartment[]>('Department-List', 'example').map(toGroup);
    assertContract('/groups', groups);
    expect(groups.map((g) => [g.name, g.type])).toEqual([
      ['Stage Hand', 'department'],
      ['Actors', 'department'],
      ['Band', 'department'],
    ]);
    const admin = specExample<GustoAdmin>('Admin', 'Example');
    const identity = toIdentity(admin);
    assertContract('/identity', identity);
    expect(identity.email).toBe(admin.email);
  });

  it('time off requests: hours summed from the days, declined → rejected, policy named from the policy list', () => {
    const policy = specExample<GustoTimeOffPolicy>('Time-Off-Policy', 'success_status');
    const request = specExample<GustoTimeOffRequest>('Embedded-Time-Off-Request', 'success_status');
    // Point the example request at the example policy, as a real company's would.
    const policies = new Map([[request.policy_uuid ?? '', { ...policy, uuid: request.policy_uuid ?? '' }]]);
    const entries = ['success_status', 'approved_status', 'declined_status'].map((name) =>
      toTimeOffEntry(specExample<GustoTimeOffRequest>('Embedded-Time-Off-Request', name), policies),
    );
    assertContract('/time-off-entries', entries);
    expect(entries[0]).toEqual({
      id: 'ad158cfb-99e4-4741-9db3-0bd3a267f222',
      remote_id: 'ad158cfb-99e4-4741-9db3-0bd3a267f222',
      employee_id: '51924fa0-26c6-4d4c-8832-3ef0b422c67e',
      employee_remote_id: '51924fa0-26c6-4d4c-8832-3ef0b422c67e',
      start_date: '2026-10-20',
      end_date: '2026-10-21',
      amount: 16,
      unit: 'hours',
      status: 'pending',
      employee_note: 'Family vacation',
      policy_id: 'c2d9b1bd-3f36-4c2d-a727-b2af057d6a7f',
      policy_remote_id: 'c2d9b1bd-3f36-4c2d-a727-b2af057d6a7f',
      policy_name: 'test policy',
      policy_type: 'vacation',
      remote_created_at: null,
      remote_modified_at: null,
    });
    expect(entries.map((e) => e.status)).toEqual(['pending', 'approved', 'rejected']);
    // Unknown policy: still an entry, named by nothing but typed by the request's own policy_type.
    expect(toTimeOffEntry(request, new Map()).policy_name).toBeNull();
  });

  it('an amount that is not a multiple of 0.1 hour is rounded to one, as the contract wants', () => {
    const entry = toTimeOffEntry(
      { uuid: 'r', employee: { uuid: 'e' }, days: { '2025-01-02': '2.333', '2025-01-03': '2.333' } },
      new Map(),
    );
    expect(entry.amount).toBe(4.7);
    assertContract('/time-off-entries', [entry]);
  });

  it('time off balances (Embedded-Time-Off-Balance): hours, negative balances kept', () => {
    const balance = specExample<GustoTimeOffBalance>('Embedded-Time-Off-Balance', 'success_status');
    const mapped = toTimeOffBalances(balance, new Map());
    assertContract('/time-off-balances', mapped);
    expect(mapped).toEqual([
      {
        employee_id: '51924fa0-26c6-4d4c-8832-3ef0b422c67e',
        employee_remote_id: '51924fa0-26c6-4d4c-8832-3ef0b422c67e',
        balance: 32,
        used: 8,
        policy_id: 'c2d9b1bd-3f36-4c2d-a727-b2af057d6a7f',
        policy_remote_id: 'c2d9b1bd-3f36-4c2d-a727-b2af057d6a7f',
        policy_name: null,
        policy_type: null,
        remote_created_at: null,
        remote_modified_at: null,
      },
    ]);
    const negative = toTimeOffBalances(
      {
        employee_uuid: 'e',
        balances: [{ policy_uuid: 'p', balance_hours: '-12.500', used_hours: '52.500' }],
      },
      new Map(),
    );
    expect(negative[0]?.balance).toBe(-12.5);
    assertContract('/time-off-balances', negative);
  });

  it('payrolls (Payroll-List, Payroll-Show): payruns with their pay period and check date', () => {
    const list = specExample<GustoPayroll[]>('Payroll-List', 'success_status').map(toPayrun);
    assertContract('/payruns', list);
    expect(list).toEqual([
      {
        id: '3601a7a2-0562-4e4c-9559-20886658daac',
        remote_id: '3601a7a2-0562-4e4c-9559-20886658daac',
        state: 'paid',
        type: 'regular',
        start_date: '2025-05-20',
        end_date: '2025-06-04',
        payment_date: '2025-06-08',
      },
    ]);
    const show = specExample<GustoPayrollShow>('Payroll-Show', 'success_status');
    expect((show.employee_compensations ?? []).map((c) => toPayslip(c, show))).toEqual([]);
  });

  it("a processed payroll's employee compensations (Payroll-Show-Object, Processed) → payslips in cents", () => {
    const payroll = specResponseExample<GustoPayrollShow>('Payroll-Show-Object', 'Processed');
    const slips = (payroll.employee_compensations ?? []).map((c) => toPayslip(c, payroll));
    assertContract('/payruns/{payrun_id}', slips);
    expect(slips).toHaveLength(3);
    expect(slips[0]).toEqual({
      id: 'b50e611d-8f3d-4f24-b001-46675f7b5777:187412e1-3dbe-491a-bb2f-2f40323a7067',
      remote_id: 'b50e611d-8f3d-4f24-b001-46675f7b5777:187412e1-3dbe-491a-bb2f-2f40323a7067',
      employee_id: '187412e1-3dbe-491a-bb2f-2f40323a7067',
      employee_remote_id: '187412e1-3dbe-491a-bb2f-2f40323a7067',
      payrun_id: 'b50e611d-8f3d-4f24-b001-46675f7b5777',
      payrun_remote_id: 'b50e611d-8f3d-4f24-b001-46675f7b5777',
      payrun_type: 'regular',
      currency: 'usd',
      gross_pay: 279125,
      net_pay: 195331,
      start_date: '2021-02-01',
      end_date: '2021-02-15',
      payment_date: '2021-02-22',
      // The hourly lines carry hours but no amount in this example: nothing to report as an earning.
      earnings: [{ name: 'Bonus', amount: 10000, hours: null }],
      contributions: [
        { name: 'Group Term Life', amount: 5000 },
        { name: '401K', amount: 5000 },
      ],
      deductions: [
        { name: 'Child Support', amount: 8000 },
        { name: 'Group Term Life', amount: 10000 },
        { name: '401K', amount: 10000 },
      ],
      taxes: [
        { name: 'Federal Income Tax', amount: 64669, employer_tax: false },
        { name: 'Social Security', amount: 19125, employer_tax: true },
      ],
      // Gusto's one-time reimbursement is a fixed compensation named "Reimbursement": not an earning.
      reimbursements: [{ name: 'Reimbursement', amount: 10000 }],
    });
    // The third compensation gives the same taxes as JSON numbers (646.69): the same cents.
    expect(slips[2]?.taxes).toEqual(slips[0]?.taxes);
  });

  it('excluded employees have no payslip; hourly lines with amounts are earnings with their hours', () => {
    const payroll: GustoPayroll = {
      payroll_uuid: 'p',
      off_cycle: true,
      off_cycle_reason: 'Correction',
      processed: true,
      check_date: '2025-04-10',
      pay_period: { start_date: '2025-03-16', end_date: '2025-03-31' },
    };
    expect(toPayslip({ employee_uuid: 'e', excluded: true }, payroll)).toBeNull();
    const slip = toPayslip(
      {
        employee_uuid: 'e',
        gross_pay: 1234.56,
        net_pay: '1000.01',
        hourly_compensations: [
          { name: 'Regular Hours', hours: '80.000', amount: '1234.56' },
          { name: 'Overtime', hours: '0.000', amount: '0.00' },
        ],
        deductions: [{ name: 'Garnishment', amount: 5, amount_type: 'percent' }],
      },
      payroll,
    );
    expect(slip).toMatchObject({
      payrun_type: 'correction',
      gross_pay: 123456,
      net_pay: 100001,
      earnings: [{ name: 'Regular Hours', amount: 123456, hours: 80 }],
      deductions: [],
    });
    assertContract('/payruns/{payrun_id}', [slip]);
  });
});
