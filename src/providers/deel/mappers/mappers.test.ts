import { describe, expect, it } from 'vitest';
import { assertUnified } from '../../../testing/unified.js';
import { mapHiringStatus, mapHiringType, mapPayFrequency, toEmployee } from './to-employee.js';
import { mapReportStatus, toPayslip } from './to-payroll.js';
import { mapPolicyType, mapTimeOffStatus, mapTrackingUnit, toTimeOffEntry } from './to-time-off.js';
import { worksheetHours } from './to-timesheet.js';
import { leftovers, toDate, toMinorUnits } from './values.js';

const noLookups = { departmentsByName: new Map(), locationsByName: new Map() };

describe('Deel enum tables', () => {
  it('hiring status, hiring type and pay frequency', () => {
    expect(
      ['active', 'onboarding', 'offboarding', 'inactive', 'weird', undefined].map(mapHiringStatus),
    ).toEqual(['active', 'pending', 'active', 'inactive', null, null]);
    expect(['contractor', 'eor', 'global_payroll', undefined].map(mapHiringType)).toEqual([
      'contractor',
      null,
      null,
      null,
    ]);
    expect(['monthly', 'annual', 'hourly', undefined].map(mapPayFrequency)).toEqual([
      'monthly',
      'year',
      'other',
      null,
    ]);
  });

  it('time-off status, policy type and tracking unit', () => {
    expect(['REQUESTED', 'APPROVED', 'USED', 'REJECTED', 'CANCELED'].map(mapTimeOffStatus)).toEqual([
      'pending',
      'approved',
      'approved',
      'rejected',
      null,
    ]);
    expect(['Vacation', 'Sick leave', 'Civic/public duty leave', 'Hajj leave'].map(mapPolicyType)).toEqual([
      'vacation',
      'sick',
      'jury_duty',
      null,
    ]);
    expect(mapTrackingUnit('WEEK')).toEqual({ unit: 'days', factor: 7 });
    expect(mapTrackingUnit('HOUR')).toEqual({ unit: 'hours', factor: 1 });
    expect(mapTrackingUnit(undefined)).toEqual({ unit: 'days', factor: 1 });
  });

  it('payroll event status', () => {
    expect(['OPEN', 'CLOSED', 'paid', 'mystery'].map(mapReportStatus)).toEqual([
      'pending',
      'paid',
      'paid',
      null,
    ]);
  });
});

describe('Deel conversions', () => {
  it('dates from timestamps are UTC calendar days', () => {
    expect(toDate('2023-03-21T23:30:00.000-02:00')).toBe('2023-03-22');
    expect(toDate('2023-03-20')).toBe('2023-03-20');
    expect(toDate('nonsense')).toBeNull();
  });

  it('money goes to integer minor units of its currency', () => {
    expect(toMinorUnits('4000.00', 'EUR')).toBe(400000);
    expect(toMinorUnits(250, 'USD')).toBe(25000);
    expect(toMinorUnits('0.29', 'GBP')).toBe(29);
    expect(toMinorUnits('5000', 'JPY')).toBe(5000);
    expect(toMinorUnits(null, 'USD')).toBeNull();
  });

  it('worksheet hours count days as 8 h and weeks as 40 h', () => {
    expect(worksheetHours({ weeks: 1, days: 1, hours: 2, minutes: 30 })).toBe(50.5);
    expect(worksheetHours(null)).toBe(0);
  });
});

describe('Deel mappers on the spec example shapes', () => {
  it('tolerates the example person (nationalities as a string, alpha-3 top-level country)', () => {
    const e = toEmployee(
      {
        id: '9b9fc43a',
        first_name: 'John',
        last_name: 'Doe',
        country: 'USA',
        nationalities: 'American',
        birth_date: '1990-01-01T00:00:00.000Z',
        addresses: [
          { country: 'US', region: 'CO', locality: 'Denver', postalCode: '44000', streetAddress: 'x 1' },
        ],
        hiring_status: 'onboarding',
      },
      noLookups,
    );
    assertUnified('employee', [e]);
    expect(e).toMatchObject({
      nationality: 'American',
      date_of_birth: '1990-01-01',
      employment_status: 'pending',
    });
    expect(e.custom_fields).toMatchObject({ country: 'USA', hiring_status: 'onboarding' });
  });

  it('a time off in a WEEK policy is converted to days', () => {
    const entry = toTimeOffEntry(
      { id: 't1', amount: 1.5, status: 'APPROVED', recipient_profile: { hris_profile_id: 'p1' } },
      { id: 'pol', name: 'Sabbatical', tracking_unit: 'WEEK' },
    );
    expect(entry).toMatchObject({ amount: 10.5, unit: 'days', policy_id: 'pol', policy_type: null });
  });

  it('a G2N row becomes a payslip in minor units', () => {
    const slip = toPayslip(
      {
        contract_id: 'c1',
        net_pay: '4000.00',
        ee_income_tax: '600.00',
        pension_contribution: 250,
        ee_loans: '200.00',
      },
      {
        report: {
          id: 'r1',
          status: 'CLOSED',
          start_date: '2025-01-01T00:00:00Z',
          end_date: '2025-01-31T00:00:00Z',
        },
        employeeId: 'p1',
        currency: 'EUR',
      },
    );
    assertUnified('payslip', [slip]);
    expect(slip).toMatchObject({
      id: 'r1:c1',
      currency: 'eur',
      net_pay: 400000,
      gross_pay: null,
      taxes: [{ name: 'Income tax', amount: 60000, employer_tax: false }],
      contributions: [{ name: 'Pension contribution', amount: 25000 }],
      deductions: [{ name: 'Employee loans', amount: 20000 }],
      payment_date: '2025-01-31',
    });
  });
});

describe('Deel leftovers (custom_fields)', () => {
  it('keeps every key no mapper consumed, in the order sent, and nothing else', () => {
    const raw = JSON.parse(
      '{"id":"1","zeta":1,"first_name":"A","alpha":null,"nested":{"x":[1]},"beta":"b"}',
    ) as Record<string, unknown>;
    const out = leftovers(raw, new Set(['id', 'first_name']));
    expect(out).toEqual({ zeta: 1, alpha: null, nested: { x: [1] }, beta: 'b' });
    expect(Object.keys(out ?? {})).toEqual(['zeta', 'alpha', 'nested', 'beta']);
  });

  it('is null when every key was consumed, skips undefined values and inherited keys', () => {
    expect(leftovers({ id: '1' }, new Set(['id']))).toBeNull();
    expect(leftovers({ id: '1', gone: undefined }, new Set(['id']))).toBeNull();
    const inherited = Object.create({ fromProto: 1 }) as Record<string, unknown>;
    inherited['own'] = 2;
    expect(leftovers(inherited, new Set())).toEqual({ own: 2 });
  });
});
