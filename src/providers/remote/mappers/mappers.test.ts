/**
 * The mappers on the published spec's OWN examples (read from the vendored file, not copied here), and on the
 * corners the examples show: the spec disagrees with itself (a balance's list is `timeoff_entitlements` in the
 * schema, `leave_entitlements` in the example; `/v1/companies` has `{companies}` in the schema and
 * `{data: {companies}}` in the example; an employment's country without `alpha_2_code`). Every result is valid
 * against the contract.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { providerSpec } from '../../../testing/provider-specs.js';
import { assertContract } from '../../../testing/unified.js';
import type {
  RemoteCompany,
  RemoteDepartment,
  RemoteEmployment,
  RemoteMinimalEmployment,
  RemoteTimeoff,
  RemoteTimeoffBalance,
} from '../raw.js';
import { toCompany } from './to-company.js';
import { mapEmploymentStatus, toEmployee } from './to-employee.js';
import { toGroup } from './to-group.js';
import { durationDays, mapTimeoffStatus, toTimeOffBalances, toTimeOffEntry } from './to-time-off.js';
import { toDate } from './values.js';

const doc = YAML.parse(readFileSync(providerSpec('remote', 'openapi.yaml'), 'utf8')) as {
  components: { schemas: Record<string, { example?: unknown }> };
};
function example<T>(schema: string): T {
  const value = doc.components.schemas[schema]?.example;
  if (value === undefined) throw new Error(`the spec has no example for ${schema}`);
  // YAML parses unquoted dates as strings here (the yaml package's core schema), as JSON would carry them.
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('Remote mappers on the spec examples', () => {
  it('MinimalEmployment → Employee (no details): name split, status, department-less', () => {
    const raw = example<RemoteMinimalEmployment>('MinimalEmployment');
    const e = toEmployee(raw, { employments: new Map(), details: new Map() });
    assertContract('/employees', [e]);
    expect(e).toMatchObject({
      remote_id: raw.id,
      first_name: 'Jane',
      last_name: 'Smith',
      display_full_name: 'Jane Smith',
      job_title: 'Engineer',
      personal_email: 'janesmith@company.com',
      employment_status: 'pending',
      employment_type: null,
      groups: null,
      compensation_history: null,
      home_location: null,
    });
  });

  it('Employment (details) → Employee: empty forms give nulls, the start date and creation day are read', () => {
    const raw = example<RemoteEmployment>('Employment');
    const e = toEmployee(raw, { employments: new Map(), details: new Map([[raw.id ?? '', raw]]) });
    assertContract('/employees', [e]);
    expect(e).toMatchObject({
      start_date: '2021-07-03',
      remote_created_at: '2021-11-11',
      compensation_history: null,
      // The example's country has no alpha_2_code and the address form is empty: no home location.
      home_location: null,
      emergency_contacts: null,
    });
  });

  it('Company → Company: the timestamp with a space, the alpha-3 country through the countries list', () => {
    const raw = example<RemoteCompany>('Company');
    const c = toCompany(raw, new Map([['USA', 'US']]));
    assertContract('/company', [c]);
    expect(c).toMatchObject({
      remote_id: raw.id,
      legal_name: 'Your Company Name',
      tax_id: null,
      address: {
        street_address: '1709 Broderick St, Flat number 123',
        locality: 'San Francisco',
        administrative_area: 'CA',
        country: 'US',
        post_code: '94115',
      },
    });
    // Without the countries list, an alpha-3 code the contract does not know is null, never invalid.
    expect(toCompany(raw, new Map()).address?.country).toBeNull();
    expect(toDate('2021-10-29 12:39:13')).toBe('2021-10-29');
  });

  it('CompanyDepartment → Group', () => {
    const g = toGroup(example<RemoteDepartment>('CompanyDepartment'));
    assertContract('/groups', [g]);
    expect(g).toMatchObject({ name: 'Marketing', type: 'department' });
  });

  it('Timeoff → TimeOffEntry: 8 + 8 hours, approved, paid time off is vacation', () => {
    const raw = example<RemoteTimeoff>('Timeoff');
    const t = toTimeOffEntry(raw);
    assertContract('/time-off-entries', [t]);
    expect(t).toMatchObject({
      start_date: '2021-12-20',
      end_date: '2021-12-21',
      amount: 16,
      unit: 'hours',
      status: 'approved',
      policy_type: 'vacation',
      employee_note: 'Some notes',
    });
  });

  it("TimeoffBalance → balances: the example's `leave_entitlements` and `{days, hours}` durations", () => {
    const raw = example<RemoteTimeoffBalance>('TimeoffBalance');
    const balances = toTimeOffBalances('emp-1', raw);
    assertContract('/time-off-balances', balances);
    expect(balances.map((b) => [b.policy_name, b.balance, b.used, b.policy_type])).toEqual([
      ['Annual paid time off', 25, 3, 'vacation'],
      ['Extra days for good performance', 3, 0, 'vacation'],
    ]);
  });

  it('durations: hours become days by the working day, bare numbers are days, negatives stay', () => {
    expect(durationDays({ days: 2, hours: 4 }, 8)).toBe(2.5);
    expect(durationDays({ days: -1, hours: -4 }, 8)).toBe(-1.5);
    expect(durationDays(3, 8)).toBe(3);
    expect(durationDays({}, 8)).toBeNull();
    const [b] = toTimeOffBalances('e', {
      working_hours_per_day: 7.5,
      timeoff_entitlements: [
        { type: 'annual_paid_timeoff', entitled: { days: 2 }, taken: { days: 3, hours: 2.5 } },
      ],
    });
    // No `remaining`: entitled − taken = 2 − 3⅓ days, negative.
    expect(b?.balance).toBe(-1.33);
    expect(b?.used).toBe(3.33);
  });

  it('every status Remote has maps, unknown ones are null', () => {
    expect(
      ['approved', 'taken', 'requested', 'cancel_requested', 'declined', 'cancelled', 'x'].map(
        mapTimeoffStatus,
      ),
    ).toEqual(['approved', 'approved', 'pending', 'pending', 'rejected', 'rejected', null]);
    expect(['active', 'invited', 'review', 'archived', 'deleted', 'x'].map(mapEmploymentStatus)).toEqual([
      'active',
      'pending',
      'pending',
      'inactive',
      'inactive',
      null,
    ]);
  });
});
