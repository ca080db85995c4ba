/**
 * The Xero mappers on Xero's OWN example payloads (read from the vendored, unmodified spec), on the edge cases of
 * its money and units, and their enum tables. Every unified object is checked against the contract's schema.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { providerSpec } from '../../../testing/provider-specs.js';
import type {
  XeroEarningsRate,
  XeroEmployee,
  XeroLeave,
  XeroLeaveBalance,
  XeroLeaveType,
  XeroPayRun,
  XeroPayRunCalendar,
  XeroPayslip,
  XeroSalaryAndWage,
  XeroTimesheet,
} from '../raw.js';
import { assertContract } from '../../../testing/unified.js';
import {
  employmentStatus,
  mapCalendarType,
  mapContractType,
  mapGender,
  toCompensation,
  toEmployee,
} from './to-employee.js';
import { toGroup } from './to-group.js';
import { mapPayRunStatus, mapPayRunType, toPayrun } from './to-payrun.js';
import { toPayslip } from './to-payslip.js';
import { toTimeOffBalance } from './to-time-off-balance.js';
import { mapLeaveUnits, mapPeriodStatus, policyTypeOf, toTimeOffEntry } from './to-time-off-entry.js';
import { isFinalTimesheet, toTimesheet } from './to-timesheet.js';
import { decimalSum, oneDecimal, scaled, toCountry, toDate, toPence, ukToday } from './values.js';

type Json = Record<string, unknown>;
const spec = YAML.parse(readFileSync(providerSpec('xero-uk', 'xero-payroll-uk.yaml'), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content: Json }> }>>;
};
/** The example the spec gives for `GET path` 200. */
function example<T = Json>(path: string): T {
  const content = spec.paths[path]?.['get']?.responses['200']?.content['application/json'] as { example: T };
  if (!content?.example) throw new Error(`no example for GET ${path}`);
  return content.example;
}

const TODAY = '2026-06-30';
const calendars = example<{ payRunCalendars: XeroPayRunCalendar[] }>('/PayRunCalendars').payRunCalendars;
const calendarsById = new Map(calendars.map((c) => [c.payrollCalendarID ?? '', c]));
const rates = example<{ earningsRates: XeroEarningsRate[] }>('/EarningsRates').earningsRates;
const leaveTypes = example<{ leaveTypes: XeroLeaveType[] }>('/LeaveTypes').leaveTypes;

describe('values: money, decimals, dates', () => {
  it('pounds → pence exactly on the decimal digits, where `Math.round(x * 100)` is off', () => {
    expect(toPence(480.77)).toBe(48077);
    expect(toPence(376.92)).toBe(37692);
    expect(toPence(0.1 + 0.2)).toBe(30);
    expect(toPence(1.005)).toBe(101);
    expect(Math.round(1.005 * 100)).toBe(100); // what a float multiplication gives
    expect(toPence(8.345)).toBe(835);
    expect(toPence(-12.345)).toBe(-1235);
    expect(toPence(-0.004)).toBe(0);
    expect(toPence(12.019231)).toBe(1202);
    expect(toPence(123456789.99)).toBe(12345678999);
    expect(toPence(1e-7)).toBe(0);
    expect(toPence(25000)).toBe(2500000);
    expect(toPence(null)).toBeNull();
    expect(toPence(undefined)).toBeNull();
    expect(toPence(Number.NaN)).toBeNull();
    for (let pence = -5_000; pence <= 200_000; pence += 7) expect(toPence(pence / 100)).toBe(pence);
  });

  it('rounding to 0.1 and exact sums', () => {
    expect(oneDecimal(7.25)).toBe(7.3);
    expect(oneDecimal(8.25)).toBe(8.3);
    expect(oneDecimal(0.05)).toBe(0.1);
    expect(oneDecimal(-2.25)).toBe(-2.3);
    expect(oneDecimal(37.5)).toBe(37.5);
    expect(decimalSum([0.1, 0.2])).toBe(0.3);
    expect(decimalSum([7.5, 7.5, 7.5, 7.55])).toBe(30.05);
    expect(scaled(2.675, 2)).toBe(268);
  });

  it('dates in the forms Xero writes them; UK today; country names', () => {
    expect(toDate('2020-02-03T00:00:00')).toBe('2020-02-03');
    expect(toDate('1987-12-23T00:00:00Z')).toBe('1987-12-23');
    expect(toDate('2019-01-02')).toBe('2019-01-02');
    expect(toDate('2020-02-30')).toBeNull();
    expect(toDate('/Date(1547769600000)/')).toBeNull();
    expect(toDate(null)).toBeNull();
    // 23:30 UTC on 30 June is already 1 July in London (BST).
    expect(ukToday(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(ukToday(new Date('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
    expect(toCountry('UNITED KINGDOM')).toBe('GB');
    expect(toCountry('United Kingdom')).toBe('GB');
    expect(toCountry('Narnia')).toBeNull();
  });
});

describe('enum tables', () => {
  it('pay run status and type (regular, off-cycle, correction)', () => {
    expect(['Posted', 'Draft', 'Other', null].map(mapPayRunStatus)).toEqual(['paid', 'pending', null, null]);
    expect(['Scheduled', 'Unscheduled', 'EarlierYearUpdate', 'Other', undefined].map(mapPayRunType)).toEqual([
      'regular',
      'off_cycle',
      'correction',
      null,
      null,
    ]);
  });

  it('calendar type, contract type, gender', () => {
    expect(
      ['Weekly', 'Fortnightly', 'FourWeekly', 'Monthly', 'Annual', 'Quarterly', 'x'].map(mapCalendarType),
    ).toEqual(['weekly', 'biweekly', 'other', 'monthly', 'year', 'other', null]);
    expect(['FullTime', 'PartTime', 'ZeroHour', 'Unspecified'].map(mapContractType)).toEqual([
      'full_time',
      'part_time',
      'other',
      null,
    ]);
    expect(['M', 'F', 'X', null].map(mapGender)).toEqual(['male', 'female', null, null]);
  });

  it('leave units, period status, policy type by name, final timesheets', () => {
    expect(['Hours', 'hours', 'Days', 'days', null, 'weeks'].map(mapLeaveUnits)).toEqual([
      'hours',
      'hours',
      'days',
      'days',
      'hours',
      'hours',
    ]);
    expect(mapPeriodStatus({ periods: [{ periodStatus: 'Approved' }, { periodStatus: 'Completed' }] })).toBe(
      'approved',
    );
    expect(mapPeriodStatus({ periods: [] })).toBeNull();
    expect(
      [
        'Holiday',
        'Annual Leave',
        'Bank Holiday',
        'Sick Leave',
        'Statutory Sick Leave',
        'Compassionate Leave',
        'Bereavement',
        'Jury Service',
        'Parental Leave',
        'Volunteering day',
        'Unpaid Leave',
      ].map(policyTypeOf),
    ).toEqual([
      'vacation',
      'vacation',
      'holiday',
      'sick',
      'sick',
      'bereavement',
      'bereavement',
      'jury_duty',
      'personal',
      'volunteer',
      null,
    ]);
    expect(['Draft', 'Approved', 'Completed', null].map(isFinalTimesheet)).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });
});

describe("Xero's own examples", () => {
  it('GET /Employees: employees field by field', () => {
    const raw = example<{ employees: XeroEmployee[] }>('/Employees').employees;
    const employees = raw.map((e) => toEmployee(e, { calendars: calendarsById, today: TODAY }));
    assertContract('/employees', employees);
    const [jack, charlotte, chelsea] = employees;
    expect(jack).toMatchObject({
      id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
      remote_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
      first_name: 'Jack',
      last_name: 'Allan',
      display_full_name: 'Jack Allan',
      gender: 'male',
      date_of_birth: '1987-12-23',
      start_date: '2020-02-03',
      remote_created_at: '2020-02-10',
      work_email: null,
      mobile_phone_number: null,
      employment_status: 'active',
      employment_type: null,
      termination_date: null,
      home_location: {
        street_address: '171 Midsummer Boulevard',
        locality: 'Milton Keynes',
        administrative_area: null,
        country: 'GB',
        post_code: 'MK9 1EB',
      },
      // Not looked up: unknown, not "none".
      compensation_history: null,
      groups: [
        {
          id: '216d80e6-af55-47b1-b718-9457c3f5d2fe',
          remote_id: '216d80e6-af55-47b1-b718-9457c3f5d2fe',
          name: 'Weekly',
          type: 'pay_group',
        },
      ],
    });
    expect(jack?.custom_fields).toEqual({
      payroll_calendar_id: '216d80e6-af55-47b1-b718-9457c3f5d2fe',
      is_off_payroll_worker: false,
    });
    expect(charlotte).toMatchObject({ gender: 'female', employment_type: 'part_time' });
    expect(charlotte?.groups?.[0]?.name).toBe('Monthly');
    // Two contracts: the fixed-term full-time one from 2020-07-01 is the one in force.
    expect(chelsea).toMatchObject({ employment_type: 'full_time', start_date: '2019-07-01' });
    expect(chelsea?.groups?.[0]?.name).toBe('Fortnightly');
  });

  it('GET /Employees/{id}: employee number, NI number as tax id, email, phone', () => {
    const raw = example<{ employee: XeroEmployee }>('/Employees/{EmployeeID}').employee;
    const employee = toEmployee(raw, { calendars: calendarsById, today: TODAY });
    assertContract('/employees', [employee]);
    expect(employee).toMatchObject({
      employee_number: '2',
      tax_id: 'AB123456C',
      work_email: 'tester1@gmail.com',
      mobile_phone_number: '0400123456',
      date_of_birth: '1985-03-24',
      first_name: 'Edgar',
      last_name: 'Allan Po',
      employment_type: 'part_time',
    });
    expect(employee.custom_fields?.['title']).toBe('Mr.');
    expect(employee.custom_fields?.['ni_categories']).toHaveLength(2);
  });

  it('GET /Employees/{id}/SalaryAndWages: a salary in pounds a year, paid on the employee calendar', () => {
    const records = example<{ salaryAndWages: XeroSalaryAndWage[] }>(
      '/Employees/{EmployeeID}/SalaryAndWages',
    ).salaryAndWages;
    const jack = example<{ employees: XeroEmployee[] }>('/Employees').employees[0] as XeroEmployee;
    const employee = toEmployee(jack, { calendars: calendarsById, today: TODAY, salaryAndWages: records });
    assertContract('/employees', [employee]);
    expect(employee.compensation_history).toEqual([
      {
        pay_rate: 25000,
        pay_period: 'year',
        pay_frequency: 'weekly',
        employment_type: null,
        currency: 'gbp',
        effective_date: '2020-04-01',
        notes: 'Xero status Active; 40 hours a week',
      },
    ]);
    expect(
      toCompensation(
        { paymentType: 'Hourly', ratePerUnit: 12.45, effectiveFrom: '2021-01-04' },
        'monthly',
        'part_time',
      ),
    ).toMatchObject({
      pay_rate: 12.45,
      pay_period: 'hour',
      pay_frequency: 'monthly',
      effective_date: '2021-01-04',
    });
    expect(toCompensation({ paymentType: 'Other' }, null, null)).toBeNull();
  });

  it('GET /PayRunCalendars: pay groups, names trimmed', () => {
    const groups = calendars.map(toGroup);
    expect(groups.map((g) => g.name)).toEqual(['Weekly', 'Fortnightly', 'Monthly']);
    expect(() => assertContract('/groups', groups)).not.toThrow();
  });

  it('GET /PayRuns: status, type and period dates', () => {
    const runs = example<{ payRuns: XeroPayRun[] }>('/PayRuns').payRuns.map(toPayrun);
    assertContract('/payruns', runs);
    expect(runs).toEqual([
      {
        id: 'e0a59d82-6229-4be4-9d66-49891b4d933e',
        remote_id: 'e0a59d82-6229-4be4-9d66-49891b4d933e',
        state: 'pending',
        type: 'regular',
        start_date: '2020-02-03',
        end_date: '2020-02-09',
        payment_date: '2020-02-10',
      },
      {
        id: 'ea4f0a14-2c41-4583-9845-9e455972b326',
        remote_id: 'ea4f0a14-2c41-4583-9845-9e455972b326',
        state: 'paid',
        type: 'regular',
        start_date: '2020-02-03',
        end_date: '2020-03-02',
        payment_date: '2020-02-28',
      },
    ]);
  });

  it('GET /Payslips: earnings with hours, taxes split employee/employer, net and gross in pence', () => {
    const [raw] = example<{ paySlips: XeroPayslip[] }>('/Payslips').paySlips;
    const run = toPayrun(example<{ payRun: XeroPayRun }>('/PayRuns/{PayRunID}').payRun);
    const slip = toPayslip(
      raw as XeroPayslip,
      {
        id: run.id,
        remote_id: run.remote_id,
        type: run.type,
        start_date: '2020-02-03',
        end_date: '2020-02-09',
        payment_date: '2020-02-10',
      },
      {
        earningsRates: new Map(rates.map((r) => [r.earningsRateID ?? '', r])),
        deductions: new Map(),
        earningsOrders: new Map(),
      },
    );
    assertContract('/payruns/{payrun_id}', [slip]);
    expect(slip).toEqual({
      id: 'ed3fb9b3-e9a1-44fa-a224-8be49facbbe8',
      remote_id: 'ed3fb9b3-e9a1-44fa-a224-8be49facbbe8',
      employee_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
      employee_remote_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
      payrun_id: 'e0a59d82-6229-4be4-9d66-49891b4d933e',
      payrun_remote_id: 'e0a59d82-6229-4be4-9d66-49891b4d933e',
      payrun_type: 'regular',
      currency: 'gbp',
      gross_pay: 48077,
      net_pay: 38654,
      start_date: '2020-02-03',
      end_date: '2020-02-09',
      payment_date: '2020-02-10',
      earnings: [{ name: 'Regular Hours', amount: 48077, hours: 40 }],
      contributions: [],
      deductions: [],
      taxes: [
        { name: 'PAYE', amount: 4860, employer_tax: false },
        { name: 'Employee National Insurance Contribution', amount: 3825, employer_tax: false },
        { name: 'Employer National Insurance Contribution', amount: 4399, employer_tax: true },
      ],
      reimbursements: [],
    });
  });

  it('payslip lines named by their lookups; hours only for hour-based rates; negative corrections kept', () => {
    const lookups = {
      earningsRates: new Map(rates.map((r) => [r.earningsRateID ?? '', r])),
      deductions: new Map([['d1', { deductionId: 'd1', deductionName: 'Salary Sacrifice Pension' }]]),
      earningsOrders: new Map([['o1', { id: 'o1', name: 'Attachment of Earnings Order' }]]),
    };
    const slip = toPayslip(
      {
        paySlipID: 'p1',
        employeeID: 'e1',
        grossEarnings: 1.005,
        totalPay: -3.335,
        leaveEarningsLines: [
          { earningsRateID: '87f5b43a-cf51-4b74-92de-94c819e82d27', numberOfUnits: 7.5, amount: 90.15 },
        ],
        timesheetEarningsLines: [{ earningsRateID: 'unknown', numberOfUnits: 3, amount: 36.06 }],
        earningsLines: [
          {
            earningsRateID: '973365f3-66b2-4c33-8ae6-14b75f78f68b',
            displayName: 'Overtime',
            numberOfUnits: 2,
            fixedAmount: 20.5,
          },
        ],
        deductionLines: [{ deductionTypeID: 'd1', amount: 24.04 }],
        courtOrderLines: [{ courtOrderTypeID: 'o1', amount: 50 }],
        benefitLines: [{ displayName: 'Employer Pension', amount: 14.42 }],
        reimbursementLines: [{ description: 'Mileage', amount: 12.6 }],
        employeeTaxLines: [{ description: 'Employee National Insurance Contribution', amount: -12.34 }],
        employerTaxLines: [{ description: 'Employer National Insurance Contribution', amount: -23.14 }],
      },
      {
        id: 'r1',
        remote_id: 'r1',
        type: 'correction',
        start_date: '2026-03-06',
        end_date: '2026-04-05',
        payment_date: '2026-05-07',
      },
      lookups,
    );
    assertContract('/payruns/{payrun_id}', [slip]);
    expect(slip.gross_pay).toBe(101);
    expect(slip.net_pay).toBe(-334);
    expect(slip.payrun_type).toBe('correction');
    expect(slip.earnings).toEqual([
      // Overtime's units (MultipleOfOrdinaryEarningsRate, typeOfUnits null) are not hours; fixedAmount stands in.
      { name: 'Overtime', amount: 2050, hours: null },
      { name: 'Regular Hours', amount: 9015, hours: 7.5 },
      { name: 'Timesheet earnings', amount: 3606, hours: null },
    ]);
    expect(slip.deductions).toEqual([
      { name: 'Salary Sacrifice Pension', amount: 2404 },
      { name: 'Attachment of Earnings Order', amount: 5000 },
    ]);
    expect(slip.contributions).toEqual([{ name: 'Employer Pension', amount: 1442 }]);
    expect(slip.reimbursements).toEqual([{ name: 'Mileage', amount: 1260 }]);
    expect(slip.taxes).toEqual([
      { name: 'Employee National Insurance Contribution', amount: -1234, employer_tax: false },
      { name: 'Employer National Insurance Contribution', amount: -2314, employer_tax: true },
    ]);
  });

  it('GET /Employees/{id}/Leave: one entry, units from the balance, policy from the leave type', () => {
    const [leave] = example<{ leave: XeroLeave[] }>('/Employees/{EmployeeID}/Leave').leave;
    const type = leaveTypes.find((t) => t.leaveTypeID === leave?.leaveTypeID);
    const entry = toTimeOffEntry(leave as XeroLeave, 'emp-1', type, 'Hours');
    assertContract('/time-off-entries', [entry]);
    expect(entry).toEqual({
      id: '384bf62a-5884-484d-b675-a3ad9c662f8e',
      remote_id: '384bf62a-5884-484d-b675-a3ad9c662f8e',
      employee_id: 'emp-1',
      employee_remote_id: 'emp-1',
      start_date: '2020-02-17',
      end_date: '2020-02-21',
      amount: 40,
      unit: 'hours',
      status: 'approved',
      employee_note: 'Vacation to Majorca',
      policy_id: 'ed08dffe-788e-4b24-9630-f0fa2f4d164c',
      policy_remote_id: 'ed08dffe-788e-4b24-9630-f0fa2f4d164c',
      policy_name: 'Holiday',
      policy_type: 'vacation',
      remote_created_at: null,
      remote_modified_at: '2020-02-10',
    });
    // Days where the leave type is kept in days; a sum that is not a tenth is rounded to one.
    const inDays = toTimeOffEntry(
      {
        leaveID: 'l2',
        periods: [
          { numberOfUnits: 1.5, periodStatus: 'Approved' },
          { numberOfUnits: 0.75, periodStatus: 'Completed' },
        ],
      },
      'emp-1',
      undefined,
      'Days',
    );
    expect(inDays).toMatchObject({ amount: 2.3, unit: 'days', status: 'approved', policy_type: null });
    assertContract('/time-off-entries', [inDays]);
  });

  it('GET /Employees/{id}/LeaveBalances: a negative balance stays negative', () => {
    const balances = example<{ leaveBalances: XeroLeaveBalance[] }>(
      '/Employees/{EmployeeID}/LeaveBalances',
    ).leaveBalances.map((b) => toTimeOffBalance(b, 'emp-1'));
    assertContract('/time-off-balances', balances);
    expect(balances).toEqual([
      {
        employee_id: 'emp-1',
        employee_remote_id: 'emp-1',
        balance: 32,
        used: null,
        policy_id: 'ed08dffe-788e-4b24-9630-f0fa2f4d164c',
        policy_remote_id: 'ed08dffe-788e-4b24-9630-f0fa2f4d164c',
        policy_name: 'Holiday',
        policy_type: 'vacation',
        remote_created_at: null,
        remote_modified_at: null,
      },
      {
        employee_id: 'emp-1',
        employee_remote_id: 'emp-1',
        balance: -80,
        used: null,
        policy_id: '1d2778ee-86ea-45c0-bbf8-1045485f6b3f',
        policy_remote_id: '1d2778ee-86ea-45c0-bbf8-1045485f6b3f',
        policy_name: 'Parental Leave',
        policy_type: 'personal',
        remote_created_at: null,
        remote_modified_at: null,
      },
    ]);
  });

  it('GET /Timesheets/{id}: one timesheet per line, the day at 00:00 UTC, hours to 0.1', () => {
    const sheet = example<{ timesheet: XeroTimesheet }>('/Timesheets/{TimesheetID}').timesheet;
    const lines = (sheet.timesheetLines ?? []).map((l) => toTimesheet(l, sheet));
    assertContract('/timesheets', lines);
    expect(lines).toEqual([
      {
        id: '6cc1e5c3-f080-4dbc-a82b-bea256ef939f',
        remote_id: '6cc1e5c3-f080-4dbc-a82b-bea256ef939f',
        employee_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
        employee_remote_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
        start_time: '2020-04-13T00:00:00Z',
        end_time: null,
        hours_worked: 8,
        remote_created_at: null,
        remote_modified_at: '2020-04-14',
      },
      {
        id: '3d900df1-9859-492b-9b00-155860158c0d',
        remote_id: '3d900df1-9859-492b-9b00-155860158c0d',
        employee_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
        employee_remote_id: 'aad6b292-7b94-408b-93f6-e489867e3fb0',
        start_time: '2020-04-15T00:00:00Z',
        end_time: null,
        hours_worked: 6,
        remote_created_at: null,
        remote_modified_at: '2020-04-14',
      },
    ]);
    // Xero's totalHours is the sum of the lines' units: units are hours.
    expect(sheet.totalHours).toBe(14);
    const quarter = toTimesheet({ timesheetLineID: 'l', date: '2020-04-14', numberOfUnits: 7.25 }, sheet);
    expect(quarter?.hours_worked).toBe(7.3);
    assertContract('/timesheets', [quarter]);
    expect(toTimesheet({ timesheetLineID: 'l' }, sheet)).toBeNull();
  });
});

describe('employment status', () => {
  it('from start and end dates against the UK day', () => {
    expect(employmentStatus({ startDate: '2020-01-01T00:00:00' }, TODAY)).toBe('active');
    expect(employmentStatus({ startDate: '2026-07-01T00:00:00' }, TODAY)).toBe('pending');
    expect(employmentStatus({ startDate: '2020-01-01', endDate: '2026-06-29T00:00:00' }, TODAY)).toBe(
      'inactive',
    );
    // Still employed on the last day.
    expect(employmentStatus({ startDate: '2020-01-01', endDate: '2026-06-30' }, TODAY)).toBe('active');
  });
});
