/**
 * The HiBob mappers on HiBob's OWN example payloads (read from the vendored spec, not retyped) and on hand-made
 * payloads for what the spec describes but shows no example of: days vs hours, half days, negative balances, the
 * two forms of the bulk salaries table. Every unified object is checked against the contract.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { providerSpec } from '../../../testing/provider-specs.js';
import type { HibobEmployee, HibobOut } from '../raw.js';
import { assertContract } from '../../../testing/unified.js';
import { toCompanies } from './to-company.js';
import {
  deniedEmployeeIds,
  mapPayFrequency,
  mapPayPeriod,
  salaryEntries,
  toCompensationHistory,
} from './to-compensation.js';
import {
  EMPLOYEE_FIELDS,
  employeeId,
  fieldPath,
  type ListNames,
  mapEmploymentStatus,
  mapEmploymentType,
  mapGender,
  toEmployee,
} from './to-employee.js';
import { generateHibobData } from '../emulator/data.js';
import { flattenList, toGroups, toLocations } from './to-group.js';
import { mapPolicyType, requestAmount, toTimeOffBalance, toTimeOffEntry } from './to-time-off.js';
import { toCountry, toDate } from './values.js';

type Json = Record<string, unknown>;
const spec = YAML.parse(
  readFileSync(providerSpec('hibob', 'hibob-public-api.generated.yml'), 'utf8'),
) as Json;
const op = (path: string, method: string) => ((spec['paths'] as Json)[path] as Json)[method] as Json;
const okSchema = (path: string, method: string) =>
  (((op(path, method)['responses'] as Json)['200'] as Json)['content'] as Json)['application/json'] as Json;

/** The named example of `POST /people/search`'s 200: one employee split by the doc generator into fragments. */
function searchExample(name: string): Json[] {
  const examples = okSchema('/people/search', 'post')['examples'] as Json;
  return ((examples[name] as Json)['value'] as Json)['employees'] as Json[];
}

/** A response object assembled from its schema's per-property `example`s, as HiBob documents some endpoints. */
function fromPropertyExamples(schema: Json): Json {
  const out: Json = {};
  for (const [key, prop] of Object.entries(schema['properties'] as Json)) {
    const example = (prop as Json)['example'];
    if (example !== undefined) out[key] = example;
  }
  return out;
}

describe('employees from the spec’s own examples', () => {
  const machine = searchExample('EmployeeResponseMachineFormatExample');
  const readable = searchExample('EmployeeResponseReadableExample');

  it('each fragment with an id maps to a contract-valid employee; the rest are no employees', () => {
    const withId = machine.filter((f) => employeeId(f as HibobEmployee) !== null);
    expect(withId.length).toBe(2); // `id` and `/root/id`
    const employees = withId.map((f) => toEmployee(f as HibobEmployee, { salaries: null }));
    assertContract('/employees', employees);
    expect(employees.map((e) => e.id)).toEqual(['3332883911884669725', '3332883911884669725']);
    expect(employees[0]).toMatchObject({ first_name: '', last_name: '', compensation_history: null });
  });

  it('the machine-format example, its fragments merged: field by field', () => {
    const employee = toEmployee(Object.assign({}, ...machine) as HibobEmployee, { salaries: null });
    assertContract('/employees', [employee]);
    expect(employee).toMatchObject({
      id: '3332883911884669725',
      remote_id: '3332883911884669725',
      employee_number: '39',
      first_name: 'Amy',
      last_name: 'Miles',
      display_full_name: 'example',
      // The nested form wins over the flat `/work/title` ("Desigexamplener") when both are sent.
      job_title: 'example',
      work_email: 'amy.miles_636192@samplebob.com',
      start_date: '2015-03-20',
      remote_created_at: '2024-03-27',
      avatar: 'string URL',
      work_location: { id: '2510068', remote_id: '2510068', name: 'example', type: 'site', address: null },
      manager: {
        id: '3332883909410030364',
        remote_id: '3332883909410030364',
        first_name: 'Zoe',
        last_name: 'Clark',
        work_email: 'zoe.clark_636192@samplebob.com',
      },
      groups: [{ id: 'Product', remote_id: 'Product', name: 'Product', type: 'department' }],
      employment_status: null,
      custom_fields: null,
    });
  });

  it('the human-readable example: display dates are not taken for ISO ones', () => {
    const employee = toEmployee(Object.assign({}, ...readable) as HibobEmployee, { salaries: null });
    assertContract('/employees', [employee]);
    expect(employee).toMatchObject({
      id: '3332883884017713938',
      first_name: 'example',
      start_date: null,
      employee_number: '40',
    });
    expect(toCompanies([Object.assign({}, ...readable) as HibobEmployee])).toEqual([
      {
        id: '636192',
        remote_id: '636192',
        legal_name: null,
        display_name: null,
        tax_id: null,
        address: null,
      },
    ]);
  });

  it('the company id of the machine example (a number) becomes a string id', () => {
    const companies = toCompanies(machine as HibobEmployee[]);
    assertContract('/company', companies);
    expect(companies.map((c) => c.id)).toEqual(['636192']);
  });
});

describe('employee values', () => {
  it('list fields: the humanReadable name wins over the machine id', () => {
    const e = toEmployee(
      {
        id: '1',
        firstName: 'Ada',
        surname: 'Lovelace',
        work: { department: '209192163', siteId: 7, site: 'London' },
        personal: { gender: '11', nationality: ['12'] },
        internal: { status: 'Active', lifecycleStatus: '13' },
        payroll: { employment: { type: '14', contract: '15' } },
        address: { country: '16', city: 'London', line1: '1 Main St', line2: 'Flat 2' },
        humanReadable: {
          work: { department: 'Account Receivables' },
          personal: { gender: 'Female', nationality: ['British'] },
          internal: { lifecycleStatus: 'Garden leave' },
          payroll: { employment: { type: 'Permanent', contract: 'Part-Time' } },
          address: { country: 'United Kingdom' },
        },
      },
      { salaries: [] },
    );
    assertContract('/employees', [e]);
    expect(e).toMatchObject({
      groups: [{ id: '209192163', name: 'Account Receivables', type: 'department' }],
      gender: 'female',
      nationality: 'British',
      employment_status: 'leave',
      employment_type: 'part_time',
      compensation_history: [],
      home_location: {
        street_address: '1 Main St, Flat 2',
        locality: 'London',
        administrative_area: null,
        country: 'GB',
        post_code: null,
      },
    });
  });

  it('without humanReadable, list ids are named from the company lists; unknown ids and non-list fields stay', () => {
    const lists: Record<string, Record<string, string>> = {
      'work.department': { '209192163': 'Account Receivables' },
      'personal.gender': { '11': 'Male' },
    };
    const e = toEmployee(
      { id: '1', work: { department: '209192163', title: 'Engineer' }, personal: { gender: '99' } },
      { salaries: null, lists: (field, value) => lists[field]?.[value] ?? null },
    );
    expect(e.groups).toEqual([
      { id: '209192163', remote_id: '209192163', name: 'Account Receivables', type: 'department' },
    ]);
    expect(e.job_title).toBe('Engineer');
    // An id the list does not know is passed on as it is: not_specified, as for any other value.
    expect(e.gender).toBe('not_specified');
  });

  it.each([
    ['Employed', 'Active', 'active'],
    ['Hired', 'Active', 'pending'],
    ['Garden leave', 'Active', 'leave'],
    ['Terminated', 'Inactive', 'inactive'],
    [null, 'Inactive', 'inactive'],
    [null, 'Active', 'active'],
    ['Something new', null, null],
  ])('lifecycle %s / status %s → %s', (lifecycle, status, expected) => {
    expect(mapEmploymentStatus(lifecycle, status)).toBe(expected);
  });

  it.each([
    ['Contractor', 'Full-Time', 'contractor'],
    ['Permanent', 'Full-Time', 'full_time'],
    ['Temporary', 'part time', 'part_time'],
    ['Permanent', 'Shifts', 'other'],
    ['Apprentice', null, 'other'],
    [null, null, null],
  ])('type %s / contract %s → %s', (type, contract, expected) => {
    expect(mapEmploymentType(type, contract)).toBe(expected);
  });

  it('gender, country and date edge cases', () => {
    expect([mapGender('Male'), mapGender('Non-binary'), mapGender(null)]).toEqual([
      'male',
      'not_specified',
      null,
    ]);
    expect([toCountry('United States'), toCountry('USA'), toCountry('de'), toCountry('Atlantis')]).toEqual([
      'US',
      'US',
      'DE',
      null,
    ]);
    expect([toDate('2024-03-27T09:12:21.680867'), toDate('01/05/2015'), toDate('2023-02-30')]).toEqual([
      '2024-03-27',
      null,
      null,
    ]);
  });

  it('toDate reads a day by character exactly as the pattern it replaced', () => {
    // The regex toDate used before it read characters; both must agree on every kind of text HiBob might send.
    const byPattern = (value: unknown) => {
      if (typeof value !== 'string') return null;
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value.trim());
      if (!m) return null;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const day = new Date(Date.UTC(y, mo - 1, d));
      const real =
        y >= 100 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
      return real ? `${m[1]}-${m[2]}-${m[3]}` : null;
    };
    const samples: unknown[] = [
      '2024-03-27',
      ' 2024-03-27 ',
      '2024-03-27T09:12:21.680867',
      '2024-03-27 09:12',
      '2024-03-27Z',
      '2024-03-27x',
      '2024-3-27',
      '2024/03/27',
      '0099-01-01',
      '0100-01-01',
      '2024-02-29',
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-01-32',
      '٢٠٢٤-٠١-٠١',
      '2024-0a-01',
      '',
      '2024-03-2',
      20240327,
      null,
      undefined,
      { value: '2024-03-27' },
    ];
    for (const sample of samples) expect([sample, toDate(sample)]).toEqual([sample, byPattern(sample)]);
    // Real days by construction agree with the calendar (leap years, month lengths) across four centuries.
    for (let y = 1900; y <= 2400; y += 7) {
      for (let mo = 1; mo <= 12; mo++) {
        for (const d of [28, 29, 30, 31]) {
          const text = `${y}-${String(mo).padStart(2, '0')}-${d}`;
          const real = new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
          expect([text, toDate(text)]).toEqual([text, real ? text : null]);
        }
      }
    }
  });
});

describe('compensation (salaries table)', () => {
  const entry = (over: Json) => ({ base: { value: 85000, currency: 'EUR' }, payPeriod: 'Annual', ...over });

  it('both forms of a bulk row, oldest entry first, rates in major units per period', () => {
    const nested = salaryEntries([
      {
        values: [
          entry({ effectiveDate: '2024-01-01' }),
          entry({
            effectiveDate: '2022-05-01',
            base: { value: 42.125, currency: 'USD' },
            payPeriod: 'Hourly',
            payFrequency: 'Bi-Weekly',
            change: { reason: 'New hire' },
          }),
        ],
      },
    ]);
    const flat = salaryEntries([entry({ effectiveDate: '2024-01-01' })]);
    expect(nested).toHaveLength(2);
    expect(flat).toHaveLength(1);
    const history = toCompensationHistory(nested);
    expect(history).toEqual([
      {
        pay_rate: 42.13,
        pay_period: 'hour',
        pay_frequency: 'biweekly',
        employment_type: null,
        currency: 'usd',
        effective_date: '2022-05-01',
        notes: 'New hire',
      },
      {
        pay_rate: 85000,
        pay_period: 'year',
        pay_frequency: null,
        employment_type: null,
        currency: 'eur',
        effective_date: '2024-01-01',
        notes: null,
      },
    ]);
  });

  it('periods and frequencies the spec names (and ones it does not)', () => {
    expect(['Annual', 'Hourly', 'Daily', 'Weekly', 'Monthly', 'Per shift'].map(mapPayPeriod)).toEqual([
      'year',
      'hour',
      'day',
      'week',
      'month',
      'per shift',
    ]);
    expect(
      ['Monthly', 'Semi Monthly', 'Weekly', 'Bi-Weekly', 'Quarterly', null].map(mapPayFrequency),
    ).toEqual(['monthly', 'semimonthly', 'weekly', 'biweekly', 'other', null]);
  });

  it('a currency the contract does not list is null, the rate still given', () => {
    const [c] = toCompensationHistory([entry({ base: { value: 300000, currency: 'ILS' } })]);
    expect(c).toMatchObject({ pay_rate: 300000, currency: null });
  });

  it('the permission error of the spec’s example names the denied employee', () => {
    const errors = (okSchema('/bulk/people/salaries', 'get')['schema'] as Json)['properties'] as Json;
    const employee = (
      (((errors['errors'] as Json)['items'] as Json)['properties'] as Json)['employeeId'] as Json
    )['properties'] as Json;
    const example = {
      error: (employee['error'] as Json)['example'],
      message: (employee['message'] as Json)['example'],
    };
    expect(deniedEmployeeIds(example)).toEqual(['2578509511618723822']);
    expect(deniedEmployeeIds({ message: 'ids: 1, 2,3' })).toEqual(['1', '2', '3']);
  });
});

describe('time off', () => {
  it('the spec’s own request example (GET /timeoff/employees/{id}/requests/{requestId}): cost 1 day, pending', () => {
    const example = fromPropertyExamples(
      okSchema('/timeoff/employees/{id}/requests/{requestId}', 'get')['schema'] as Json,
    );
    const entry = toTimeOffEntry(example as HibobOut);
    assertContract('/time-off-entries', [entry]);
    expect(entry).toMatchObject({
      id: '27500233',
      employee_id: '3332883884017713333',
      start_date: '2024-08-04',
      end_date: '2024-08-05',
      // totalCost (1), not totalDuration (2): what the request takes off the balance.
      amount: 1,
      unit: 'days',
      status: 'pending',
      policy_name: 'Holiday',
      policy_type: 'vacation',
    });
  });

  const out = (over: Partial<HibobOut>): HibobOut => ({
    requestId: 1,
    employeeId: '3332883884017713333',
    policyType: 'Holiday',
    status: 'Approved',
    ...over,
  });

  it.each<[string, Partial<HibobOut>, { amount: number; unit: string }]>([
    [
      'full days',
      {
        type: 'days',
        startDate: '2025-03-03',
        endDate: '2025-03-07',
        startPortion: 'all_day',
        endPortion: 'all_day',
      },
      { amount: 5, unit: 'days' },
    ],
    [
      'a start in the afternoon',
      {
        type: 'days',
        startDate: '2025-03-03',
        endDate: '2025-03-07',
        startPortion: 'afternoon',
        endPortion: 'all_day',
      },
      { amount: 4.5, unit: 'days' },
    ],
    [
      'an end in the morning',
      {
        type: 'days',
        startDate: '2025-03-03',
        endDate: '2025-03-04',
        startPortion: 'afternoon',
        endPortion: 'morning',
      },
      { amount: 1, unit: 'days' },
    ],
    [
      'one morning',
      {
        type: 'days',
        startDate: '2025-03-03',
        endDate: '2025-03-03',
        startPortion: 'morning',
        endPortion: 'morning',
      },
      { amount: 0.5, unit: 'days' },
    ],
    [
      'afternoons on a range',
      { type: 'portionOnRange', startDate: '2025-03-03', endDate: '2025-03-05', dayPortion: 'afternoon' },
      { amount: 1.5, unit: 'days' },
    ],
    [
      'hours on one day',
      { type: 'hours', date: '2025-03-03', hoursOnDate: 2, minutes: 30 },
      { amount: 2.5, unit: 'hours' },
    ],
    [
      'a quarter hour (rounded to 0.1)',
      { type: 'hours', date: '2025-03-03', hoursOnDate: 1, minutes: 15 },
      { amount: 1.3, unit: 'hours' },
    ],
    [
      'hours every day of a range',
      { type: 'hoursOnRange', startDate: '2025-03-03', endDate: '2025-03-04', dailyHours: 1.5 },
      { amount: 3, unit: 'hours' },
    ],
    [
      'totalCost in hours wins',
      {
        type: 'days',
        startDate: '2025-03-03',
        endDate: '2025-03-09',
        totalCost: 37.5,
        durationUnit: 'hours',
      },
      { amount: 37.5, unit: 'hours' },
    ],
    [
      'an open-ended request',
      { type: 'openEnded', startDate: '2025-03-03', endDate: null },
      { amount: 0, unit: 'days' },
    ],
  ])('%s', (_label, over, expected) => {
    expect(requestAmount(out(over))).toEqual(expected);
    const entry = toTimeOffEntry(out(over));
    assertContract('/time-off-entries', [entry]);
  });

  it('an hours request spans its one date', () => {
    expect(toTimeOffEntry(out({ type: 'hours', date: '2025-03-03', hoursOnDate: 3 }))).toMatchObject({
      start_date: '2025-03-03',
      end_date: '2025-03-03',
    });
  });

  it.each([
    ['Holiday', 'vacation'],
    ['Sick', 'sick'],
    ['Compassionate leave', 'bereavement'],
    ['Jury duty', 'jury_duty'],
    ['Bank holiday', 'holiday'],
    ['Time off in lieu', null],
  ])('policy type %s → %s', (name, expected) => {
    expect(mapPolicyType(name)).toBe(expected);
  });

  it('a negative balance in hours stays negative, used is what was taken', () => {
    const balance = toTimeOffBalance('1', 'Time off in lieu', {
      employeeId: '1',
      totalBalanceAsOfDate: -3.75,
      totalTaken: 19.75,
      policy: 'TOIL UK',
    });
    assertContract('/time-off-balances', [balance]);
    expect(balance).toMatchObject({
      balance: -3.75,
      used: 19.75,
      policy_id: 'Time off in lieu',
      policy_name: 'TOIL UK',
    });
  });
});

describe('named lists', () => {
  it('nested departments flatten, parents first; sites are locations without an address', () => {
    const list = {
      name: 'department',
      items: [
        {
          id: 1,
          value: 'Engineering',
          name: 'Engineering',
          children: [{ id: 2, value: 'Platform', children: [] }],
        },
        { id: 3, name: 'Sales' },
      ],
    };
    const groups = toGroups(list);
    assertContract('/groups', groups);
    expect(groups.map((g) => [g.id, g.name])).toEqual([
      ['1', 'Engineering'],
      ['2', 'Platform'],
      ['3', 'Sales'],
    ]);
    const sites = toLocations({ name: 'site', items: [{ id: 9, value: 'London' }] });
    assertContract('/work-locations', sites);
    expect(sites).toEqual([{ id: '9', remote_id: '9', name: 'London', type: 'site', address: null }]);
    expect(toGroups({})).toEqual([]);
  });
});

describe('the fields the employee list asks for', () => {
  // HiBob sends every asked field twice (nested and flat) and parsing the searches is most of a walk's CPU: a field
  // is asked for only if some employee's mapped record depends on it.
  it('are each read: without any one of them, some employee maps differently', () => {
    const data = generateHibobData({ employees: 200, seed: 1 });
    // The emulator's employees, some without a personal mobile (so the work one counts), some with a state (the
    // emulator makes none), some without a lifecycle status (so `internal.status` counts), their list fields named
    // from the company lists as the adapter names them.
    const people = data.employees.map((e, i) => ({
      ...e.machine,
      ...(i % 2 === 0 ? { 'home.mobilePhone': null } : {}),
      ...(i % 5 === 0 ? { 'address.state': 'Bavaria' } : {}),
      ...(i % 7 === 0 ? { 'internal.lifecycleStatus': null } : {}),
    }));
    const names = new Map<string, Map<string, string>>();
    for (const list of data.lists) {
      const items = new Map<string, string>();
      for (const item of flattenList(list)) {
        if (item.id !== undefined && typeof (item.value ?? item.name) === 'string') {
          items.set(String(item.id), String(item.value ?? item.name));
        }
      }
      names.set(list.name ?? '', items);
    }
    const listOf = new Map(data.fields.map((f) => [f.id ?? '', f.typeData?.listId ?? '']));
    const lists: ListNames = (field, value) => names.get(listOf.get(field) ?? '')?.get(value) ?? null;
    const render = (machine: Record<string, unknown>, without: string | null): HibobEmployee => {
      const out: Record<string, unknown> = {};
      for (const id of EMPLOYEE_FIELDS) {
        const value = machine[id];
        if (id === without || value === undefined) continue;
        const { nested, flat } = fieldPath(id);
        let node = out;
        for (const key of nested.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
        node[nested[nested.length - 1] ?? ''] = value;
        out[flat] = { value };
      }
      return out as HibobEmployee;
    };
    const mapped = (without: string | null) =>
      JSON.stringify(people.map((e) => toEmployee(render(e, without), { salaries: null, lists })));
    const all = mapped(null);
    const unread = EMPLOYEE_FIELDS.filter((id) => mapped(id) === all);
    expect(unread).toEqual([]);
  });
});
