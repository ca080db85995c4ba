/**
 * The mappers on Factorial's OWN example payloads (each schema's property examples in the vendored spec, assembled
 * as Prism's static mode assembles them) and on the cases the semantics hinge on: hours vs days, half days, negative
 * balances, salary cents, shifts past midnight and across a DST change.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { providerSpec } from '../../../testing/provider-specs.js';
import type {
  FactorialAllowance,
  FactorialAllowanceStat,
  FactorialContractVersion,
  FactorialEmployee,
  FactorialLeave,
  FactorialLeaveType,
  FactorialLegalEntity,
  FactorialLocation,
  FactorialShift,
  FactorialTeam,
} from '../raw.js';
import { assertContract } from '../../../testing/unified.js';
import { toCompany } from './to-company.js';
import { mapSalaryFrequency, toEmployee } from './to-employee.js';
import { toGroup } from './to-group.js';
import { toLocation } from './to-location.js';
import { leaveAmount, mapPolicyType, toTimeOffBalance, toTimeOffEntry } from './to-time-off.js';
import { toTimesheet } from './to-timesheet.js';
import { toDate } from './values.js';
import { contractBatches } from '../adapter.js';

type Json = Record<string, unknown>;
const doc = YAML.parse(readFileSync(providerSpec('factorial', 'oas-2026-07-01.excerpt.yaml'), 'utf8')) as {
  components: { schemas: Record<string, { properties: Record<string, { example?: unknown }> }> };
};

/** A record of `schema` made of its properties' own examples (properties without one are left out). */
function example<T>(schema: string): T {
  const props = doc.components.schemas[schema]?.properties;
  if (!props) throw new Error(`no schema ${schema}`);
  const out: Json = {};
  for (const [k, v] of Object.entries(props)) if (v.example !== undefined) out[k] = v.example;
  return out as T;
}

describe("mappers on Factorial's own examples", () => {
  const location = example<FactorialLocation>('locations_location');
  const leaveType = example<FactorialLeaveType>('timeoff_leave_type');

  it('employees_employee + contracts_contract_version → a contract-valid Employee', () => {
    const raw = example<FactorialEmployee>('employees_employee');
    const version = example<FactorialContractVersion>('contracts_contract_version');
    // The example employee (id 2) reports to employee 1; its contract example belongs to employee 1.
    const employee = toEmployee(raw, {
      employees: new Map([['2', raw]]),
      contracts: new Map([['2', [{ ...version, employee_id: '2' }]]]),
      teams: new Map([['2', [toGroup(example<FactorialTeam>('teams_team'))]]]),
      locations: new Map([['1', toLocation(location)]]),
      currencies: new Map([['1', 'EUR']]),
      today: '2025-06-30',
    });
    assertContract('/employees', [employee]);
    expect(employee).toMatchObject({
      remote_id: '2',
      first_name: 'Ana',
      last_name: 'Blanco Perez',
      work_email: 'ana@factorial.com',
      nationality: 'ES',
      gender: 'female',
      date_of_birth: '1990-06-06',
      job_title: 'Designer',
      start_date: '2024-10-06',
      termination_date: '2024-10-06',
      employment_status: 'active',
      employment_type: 'part_time',
      home_location: { locality: 'Santander', country: 'ES', post_code: '27004' },
      work_location: { remote_id: '1', name: 'Barcelona Office' },
      manager: { remote_id: '1' },
      bank_account: { iban: 'ES6220809324751871912999', bic: 'CAGLES2M510' },
    });
    // salary_amount 1000 "in cents" a year → 10 EUR a year.
    expect(employee.compensation_history).toEqual([
      {
        pay_rate: 10,
        pay_period: 'year',
        pay_frequency: 'year',
        employment_type: 'part_time',
        currency: 'eur',
        effective_date: '2024-10-06',
        notes: null,
      },
    ]);
    // The passport-type identifier is not a tax number; it stays in custom_fields with the rest.
    expect(employee.tax_id).toBeNull();
    expect(employee.custom_fields).toMatchObject({ identifier: 'QKG587532Y', identifier_type: 'passport' });
  });

  it('locations_location, companies_legal_entity and teams_team', () => {
    assertContract('/work-locations', [toLocation(location)]);
    const company = toCompany(example<FactorialLegalEntity>('companies_legal_entity'));
    assertContract('/company', [company]);
    expect(company).toMatchObject({ remote_id: '754', legal_name: 'Acme Inc.', tax_id: 'H41192410' });
    expect(company.address).toEqual({
      street_address: 'Carrer Mallorca, 61 2A',
      locality: 'Barcelona',
      administrative_area: 'Barcelona',
      country: 'ES',
      post_code: '08005',
    });
  });

  it('timeoff_leave: the example is a deleted 8-hour leave → rejected, 8 hours', () => {
    const entry = toTimeOffEntry(example<FactorialLeave>('timeoff_leave'), leaveType);
    assertContract('/time-off-entries', [entry]);
    expect(entry).toMatchObject({ unit: 'hours', amount: 8, status: 'rejected', policy_type: 'vacation' });
  });

  it('timeoff_allowance_stats_new → balance 8 and used 6.5 in allowance units', () => {
    const balance = toTimeOffBalance(
      example<FactorialAllowanceStat>('timeoff_allowance_stats_new'),
      { ...example<FactorialAllowance>('timeoff_allowance'), id: '10', leave_type_ids: ['1'] },
      new Map([['1', leaveType]]),
    );
    assertContract('/time-off-balances', [balance]);
    expect(balance).toMatchObject({
      employee_remote_id: '42',
      policy_remote_id: '10',
      balance: 8,
      used: 6.5,
      policy_name: 'Holiday Allowance',
      policy_type: 'vacation',
    });
  });

  it('attendance_shift: 08:30–12:30 Madrid time on 2023-10-01 (CEST) → 06:30–10:30 UTC, 4 h', () => {
    const sheet = toTimesheet(example<FactorialShift>('attendance_shift'), 'Europe/Madrid');
    assertContract('/timesheets', [sheet]);
    expect(sheet).toMatchObject({
      start_time: '2023-10-01T06:30:15.000Z',
      end_time: '2023-10-01T10:30:00.000Z',
      hours_worked: 4,
    });
  });
});

describe('mapper semantics', () => {
  it('hours vs days: hourly leaves in hours (cents / 100), others in days, 0.1 steps', () => {
    expect(leaveAmount({ hours_amount_in_cents: 150, days_taken: 0 })).toEqual({
      amount: 1.5,
      unit: 'hours',
    });
    expect(leaveAmount({ days_taken: 0.5 })).toEqual({ amount: 0.5, unit: 'days' });
    expect(leaveAmount({ days_taken: 2.333 })).toEqual({ amount: 2.3, unit: 'days' });
    expect(leaveAmount({})).toEqual({ amount: 0, unit: 'days' });
  });

  it('pending and approved leaves', () => {
    const base = {
      id: '1',
      employee_id: '1',
      start_on: '2025-01-02',
      updated_at: '2025-01-01',
      days_taken: 1,
    };
    expect(toTimeOffEntry({ ...base, approved: true }, undefined).status).toBe('approved');
    expect(toTimeOffEntry({ ...base, approved: false }, undefined).status).toBe('pending');
    expect(toTimeOffEntry({ ...base, approved: null }, undefined).end_date).toBe('2025-01-02');
  });

  it('negative balances stay negative; decimal strings are numbers', () => {
    const b = toTimeOffBalance(
      {
        employee_id: '1',
        allowance_id: '2',
        available_days: '-3.5',
        used_units_until_reference_date: '19.5',
      },
      { id: '2', name: 'Personal hours', allowance_type: 'hours', leave_type_ids: [] },
      new Map(),
    );
    expect([b.balance, b.used, b.policy_type]).toEqual([-3.5, 19.5, null]);
  });

  it('salary frequencies → pay_period words and the pay_frequency enum', () => {
    expect(mapSalaryFrequency('monthly')).toEqual({ period: 'month', frequency: 'monthly' });
    expect(mapSalaryFrequency('hourly')).toEqual({ period: 'hour', frequency: 'other' });
    expect(mapSalaryFrequency('quarterly')).toEqual({ period: 'quarterly', frequency: 'other' });
    expect(mapSalaryFrequency(undefined)).toEqual({ period: null, frequency: null });
  });

  it('policy types: Factorial "holiday" is paid annual leave; unknown identifiers map to null', () => {
    expect(mapPolicyType('holiday')).toBe('vacation');
    expect(mapPolicyType('bank_holiday')).toBe('holiday');
    expect(mapPolicyType('sick_leave')).toBe('sick');
    expect(mapPolicyType('maternity')).toBeNull();
  });

  it('shifts: past midnight ends the next day; across the DST change the offset of each end applies', () => {
    const night = toTimesheet(
      { id: '9', employee_id: '1', date: '2025-01-10', clock_in: '22:00', clock_out: '02:15', minutes: 255 },
      'Europe/Madrid',
    );
    expect([night.start_time, night.end_time, night.hours_worked]).toEqual([
      '2025-01-10T21:00:00.000Z',
      '2025-01-11T01:15:00.000Z',
      4.3,
    ]);
    // 2025-03-30: Madrid moves from UTC+1 to UTC+2 at 02:00.
    const dst = toTimesheet(
      { id: '10', employee_id: '1', date: '2025-03-30', clock_in: '01:00', clock_out: '05:00', minutes: 180 },
      'Europe/Madrid',
    );
    expect([dst.start_time, dst.end_time]).toEqual(['2025-03-30T00:00:00.000Z', '2025-03-30T03:00:00.000Z']);
    const open = toTimesheet({ id: '11', employee_id: '1', date: '2025-01-10', clock_in: '09:00' }, 'UTC');
    expect([open.end_time, open.hours_worked]).toEqual([null, 0]);
  });
});

describe('dates and batches', () => {
  it('toDate: days, UTC timestamps by their date part, offsets converted to the UTC day, nonsense null', () => {
    expect(toDate('2024-02-29')).toBe('2024-02-29');
    expect(toDate('2023-02-29')).toBeNull();
    expect(toDate('2018-03-31T09:00:00.000Z')).toBe('2018-03-31');
    expect(toDate('2018-03-31T23:59Z')).toBe('2018-03-31');
    expect(toDate('2018-02-30T09:00:00.000Z')).toBeNull();
    // Not the fast path: an offset moves the UTC day, and 24:00 is the next day's midnight.
    expect(toDate('2018-03-31T01:00:00+02:00')).toBe('2018-03-30');
    expect(toDate('2018-03-31T24:00:00Z')).toBe(
      new Date(Date.parse('2018-03-31T24:00:00Z')).toISOString().slice(0, 10),
    );
    expect(toDate('yesterday')).toBeNull();
    expect(toDate(20180331)).toBeNull();
  });

  it('contractBatches: equal batches whose versions should fit a page; at least one, never empty ones', () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(i + 1));
    const sizes = (perEmployee: number) => contractBatches(ids, perEmployee, 100).map((b) => b.length);
    expect(sizes(1.39)).toEqual([50, 50]);
    expect(sizes(0.5)).toEqual([100]);
    expect(sizes(0)).toEqual([100]);
    expect(sizes(Number.NaN)).toEqual([100]);
    expect(sizes(3)).toEqual([25, 25, 25, 25]);
    expect(sizes(500)).toEqual(Array.from({ length: 100 }, () => 1));
    expect(contractBatches(ids, 2.2, 100).flat()).toEqual(ids);
    expect(contractBatches([], 1, 100)).toEqual([]);
  });
});
