/**
 * The HiBob adapter against its emulator: every unified resource compared field by field with the emulator's own
 * records (expected values written out here from the raw records, not by calling the mappers), every list valid
 * against the contract, employees streamed in order across batches, and HiBob's rate limits honoured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../model/index.js';
import { ProviderError } from '../errors.js';
import { createHibobAdapter, type HibobAdapterOptions } from './adapter.js';
import type { EmulatorEmployee } from './emulator/data.js';
import { type HibobEmulator, startEmulator } from './emulator/server.js';
import { hibobProvider } from './provider.js';
import { assertContract } from '../../testing/unified.js';
import { providerContext, UNPACED } from './test-support.js';

const GENDER: Record<string, string> = { Male: 'male', Female: 'female', 'Non-binary': 'not_specified' };
const STATUS: Record<string, string> = {
  Employed: 'active',
  Hired: 'pending',
  Terminated: 'inactive',
  'Garden leave': 'leave',
};
const COUNTRY: Record<string, string> = {
  'United Kingdom': 'GB',
  'United States': 'US',
  Israel: 'IL',
  Germany: 'DE',
};
const PERIOD: Record<string, string> = { Annual: 'year', Hourly: 'hour' };
const FREQUENCY: Record<string, string> = {
  Monthly: 'monthly',
  'Semi Monthly': 'semimonthly',
  'Bi-Weekly': 'biweekly',
  Weekly: 'weekly',
};

function employmentType(e: EmulatorEmployee): string {
  if (e.human['payroll.employment.type'] === 'Contractor') return 'contractor';
  const contract = e.human['payroll.employment.contract'];
  return contract === 'Full-Time' ? 'full_time' : contract === 'Part-Time' ? 'part_time' : 'other';
}

describe('HiBob adapter against the emulator', () => {
  let emu: HibobEmulator;
  const adapter = (options: HibobAdapterOptions = {}) =>
    createHibobAdapter(providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }), {
      ...UNPACED,
      ...options,
    });

  beforeAll(async () => {
    emu = await startEmulator({ employees: 45, seed: 7, knobs: { ratePerMinute: 0 } });
  });
  afterAll(() => emu.close());

  it('verify() accepts the service user and refuses wrong or missing credentials', async () => {
    await adapter().verify();
    const wrong = createHibobAdapter(
      providerContext({
        baseUrl: emu.baseUrl,
        credentials: { service_user_id: 'SERVICE-1', token: 'nope-nope' },
      }),
      UNPACED,
    );
    await expect(wrong.verify()).rejects.toMatchObject({
      options: { code: 'incorrect_username_or_password' },
    });
    const before = emu.stats.requests;
    const missing = hibobProvider.connect(providerContext({ baseUrl: emu.baseUrl, credentials: {} }));
    await expect(missing.verify()).rejects.toMatchObject({
      options: { code: 'incorrect_username_or_password' },
    });
    expect(emu.stats.requests).toBe(before);
  });

  it('employees: every one (inactive too), in HiBob’s order, field by field', async () => {
    const employees = await adapter({ peopleBatch: 10 }).employees();
    assertContract('/employees', employees);
    expect(employees.map((e) => e.id)).toEqual(emu.records.employees.map((e) => e.id));
    const sites = emu.records.lists.find((l) => l.name === 'site')?.items ?? [];
    for (const raw of emu.records.employees) {
      const m = raw.machine;
      const e = employees.find((x) => x.id === raw.id) as Employee;
      const manager = m['work.reportsTo'] as {
        id: string;
        firstName: string;
        surname: string;
        email: string;
      } | null;
      const site = sites.find((s) => s.id === m['work.siteId']);
      const lines = [m['address.line1'], m['address.line2']].filter((l) => l !== null);
      const custom = {
        'Shirt size': m['work.custom.field_1711886937296'],
        ...(m['work.custom.field_1711886951123'] !== null
          ? { 'Parking spot': m['work.custom.field_1711886951123'] }
          : {}),
      };
      expect(e, raw.id).toEqual({
        id: raw.id,
        remote_id: raw.id,
        employee_number: String(m['work.employeeIdInCompany']),
        first_name: m['root.firstName'],
        last_name: m['root.surname'],
        display_full_name: m['root.displayName'],
        nationality: (raw.human['personal.nationality'] as string[])[0],
        job_title: m['work.title'],
        work_email: m['root.email'],
        personal_email: m['home.privateEmail'],
        mobile_phone_number: m['home.mobilePhone'],
        tax_id: null,
        gender: GENDER[raw.human['personal.gender'] as string],
        ethnicity: null,
        marital_status: null,
        date_of_birth: m['personal.birthDate'],
        employment_status: STATUS[raw.human['internal.lifecycleStatus'] as string],
        employment_type: employmentType(raw),
        start_date: m['work.startDate'],
        remote_created_at: (m['root.creationDateTime'] as string).slice(0, 10),
        termination_date: m['internal.terminationDate'],
        avatar: m['root.avatarUrl'],
        home_location: {
          street_address: lines.join(', '),
          locality: m['address.city'],
          administrative_area: null,
          country: COUNTRY[raw.human['address.country'] as string],
          post_code: m['address.postCode'],
        },
        work_location: {
          id: String(m['work.siteId']),
          remote_id: String(m['work.siteId']),
          name: site?.value,
          type: 'site',
          address: null,
        },
        manager: manager
          ? {
              id: manager.id,
              remote_id: manager.id,
              first_name: manager.firstName,
              last_name: manager.surname,
              work_email: manager.email,
            }
          : null,
        bank_account: null,
        employment_history: null,
        compensation_history: (emu.records.salaries.get(raw.id) ?? []).map((s) => ({
          pay_rate: s.base?.value,
          pay_period: PERIOD[s.payPeriod ?? ''],
          pay_frequency: FREQUENCY[s.payFrequency ?? ''],
          employment_type: null,
          currency:
            ({ GBP: 'gbp', USD: 'usd', EUR: 'eur' } as Record<string, string>)[s.base?.currency ?? ''] ??
            null,
          effective_date: s.effectiveDate,
          notes: s.change?.reason,
        })),
        custom_fields: custom,
        groups: [
          {
            id: m['work.department'],
            remote_id: m['work.department'],
            name: raw.human['work.department'],
            type: 'department',
          },
        ],
        dependents: null,
        emergency_contacts: null,
      });
    }
    // The data covers what the mapping has to tell apart.
    const values = (pick: (e: Employee) => unknown) => new Set(employees.map(pick));
    expect(values((e) => e.employment_status)).toEqual(new Set(['active', 'pending', 'inactive', 'leave']));
    expect(values((e) => e.employment_type)).toEqual(
      new Set(['full_time', 'part_time', 'contractor', 'other']),
    );
    expect(employees.some((e) => e.compensation_history?.some((c) => c.currency === null))).toBe(true);
    expect(employees.some((e) => e.compensation_history?.some((c) => c.pay_period === 'hour'))).toBe(true);
  });

  it('employees stream into a sink in list order, batch by batch, after announcing the total', async () => {
    const pushed: Employee[][] = [];
    let announced = -1;
    const before = emu.stats.byEndpoint.get('people-search') ?? 0;
    const rest = await adapter({ peopleBatch: 10 }).employees({
      expect: (n) => {
        announced = n;
      },
      push: (items) => pushed.push([...items]),
    });
    expect(rest).toEqual([]);
    expect(announced).toBe(45);
    expect(pushed.map((p) => p.length)).toEqual([10, 10, 10, 10, 5]);
    expect(pushed.flat().map((e) => e.id)).toEqual(emu.records.employees.map((e) => e.id));
    // One search for the ids, one per batch.
    expect((emu.stats.byEndpoint.get('people-search') ?? 0) - before).toBe(6);
  });

  it('a service user without payroll permission still gets employees, compensation unknown', async () => {
    emu.knobs.payrollForbidden = true;
    try {
      const employees = await adapter().employees();
      expect(employees).toHaveLength(45);
      expect(employees.every((e) => e.compensation_history === null)).toBe(true);
    } finally {
      emu.knobs.payrollForbidden = false;
    }
  });

  it('company: one per company id, nothing invented', async () => {
    const companies = await adapter().company();
    assertContract('/company', companies);
    const id = String(emu.records.companyId);
    expect(companies).toEqual([
      { id, remote_id: id, legal_name: null, display_name: null, tax_id: null, address: null },
    ]);
  });

  it('groups are the department list (nested ones too); employees point at them', async () => {
    const groups = await adapter().groups();
    assertContract('/groups', groups);
    expect(groups.map((g) => g.name)).toEqual([
      'Engineering',
      'Platform',
      'Mobile',
      'Product',
      'Sales',
      'Customer Success',
      'People',
      'Finance',
    ]);
    const ids = new Set(groups.map((g) => g.id));
    for (const e of emu.records.employees) expect(ids).toContain(e.machine['work.department']);
  });

  it('work locations are the site list; employees point at them', async () => {
    const locations = await adapter().workLocations();
    assertContract('/work-locations', locations);
    expect(locations.map((l) => [l.name, l.type, l.address])).toEqual([
      ['London', 'site', null],
      ['New York', 'site', null],
      ['Tel Aviv', 'site', null],
      ['Berlin', 'site', null],
    ]);
    const ids = new Set(locations.map((l) => l.id));
    for (const e of emu.records.employees) expect(ids).toContain(String(e.machine['work.siteId']));
  });

  it('time-off entries: every request overlapping the range, hourly and pending included, field by field', async () => {
    const today = emu.records.today;
    const year = Number(today.slice(0, 4));
    const range = { start_date: `${year - 1}-01-01`, end_date: `${year + 1}-12-31` };
    const entries = await adapter().timeOffEntries(range);
    assertContract('/time-off-entries', entries);
    expect(entries.map((e) => e.id).sort()).toEqual(
      emu.records.requests.map((r) => String(r.requestId)).sort(),
    );
    for (const raw of emu.records.requests) {
      const e = entries.find((x) => x.id === String(raw.requestId));
      const hours = raw.type === 'hours' || raw.type === 'hoursOnRange';
      expect(e, String(raw.requestId)).toMatchObject({
        employee_id: raw.employeeId,
        start_date: raw.startDate ?? raw.date,
        end_date: raw.endDate ?? raw.date,
        unit: hours ? 'hours' : 'days',
        status: raw.status === 'Approved' ? 'approved' : 'pending',
        policy_id: raw.policyType,
        policy_type: { Holiday: 'vacation', Sick: 'sick' }[raw.policyType ?? ''] ?? null,
      });
      if (raw.type === 'hours')
        expect(e?.amount).toBe(Math.round(((raw.hoursOnDate ?? 0) + (raw.minutes ?? 0) / 60) * 10) / 10);
      if (raw.type === 'days' && raw.startDate === raw.endDate) expect(e?.amount).toBe(0.5);
    }
    expect(new Set(entries.map((e) => e.amount % 1 === 0.5))).toEqual(new Set([true, false]));
    // A narrow range keeps only what overlaps it.
    const first = emu.records.requests.find((r) => r.type === 'days' && r.startDate !== r.endDate);
    const narrow = await adapter().timeOffEntries({
      start_date: first?.endDate ?? '',
      end_date: first?.endDate ?? '',
    });
    expect(narrow.map((e) => e.id)).toContain(String(first?.requestId));
    expect(narrow.length).toBeLessThan(entries.length);
  });

  it('time-off entries without a range read the default window around today', async () => {
    const entries = await adapter().timeOffEntries(null);
    expect(entries.length).toBe(emu.records.requests.length);
  });

  it('without the pending permission, who’s out is asked again for approved requests only', async () => {
    emu.knobs.pendingForbidden = true;
    try {
      const entries = await adapter().timeOffEntries(null);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.length).toBe(emu.records.requests.filter((r) => r.status === 'Approved').length);
    } finally {
      emu.knobs.pendingForbidden = false;
    }
  });

  it('time-off balances: every active employee × policy type that has one, negative ones as they are', async () => {
    const balances = await adapter().timeOffBalances();
    assertContract('/time-off-balances', balances);
    const expected = emu.records.employees
      .filter((e) => e.active)
      .flatMap((e) => emu.records.policyTypes.map((p) => ({ e, p, raw: emu.records.balance(e.id, p.name) })))
      .filter((x) => x.raw !== undefined);
    expect(balances).toHaveLength(expected.length);
    for (const { e, p, raw } of expected) {
      const b = balances.find((x) => x.employee_id === e.id && x.policy_id === p.name);
      expect(b, `${e.id} ${p.name}`).toEqual({
        employee_id: e.id,
        employee_remote_id: e.id,
        balance: raw?.totalBalanceAsOfDate,
        used: raw?.totalTaken,
        policy_id: p.name,
        policy_remote_id: p.name,
        policy_name: raw?.policy,
        policy_type: { Holiday: 'vacation', Sick: 'sick' }[p.name] ?? null,
        remote_created_at: null,
        remote_modified_at: null,
      });
    }
    expect(balances.some((b) => (b.balance ?? 0) < 0)).toBe(true);
  });

  it('passthrough reaches the API with the service user, never handing its credentials back', async () => {
    const res = await adapter().passthrough({ path: '/company/named-lists/site' });
    expect(res.status).toBe(200);
    expect((res.body as { name: string }).name).toBe('site');
    expect(Object.keys(res.headers)).not.toContain('authorization');
    expect(res.headers['x-ratelimit-limit']).toBe('50');
  });

  it('the contract check can fail (an employee without a name is refused)', () => {
    expect(() => assertContract('/employees', [{ id: 'x' }])).toThrow(/does not match/);
  });
});

describe('HiBob rate limits', () => {
  it('paced at the documented rate per endpoint: the enforced limit is never hit', async () => {
    // A 1 s window stands for HiBob's minute so the test does not take minutes.
    const emu = await startEmulator({
      employees: 12,
      seed: 3,
      knobs: { ratePerMinute: 4, rateWindowMs: 1_000 },
    });
    try {
      const adapter = createHibobAdapter(
        providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }),
        {
          // The slack HiBob's 61 s gets on 60 s would be lost in scheduling jitter on a 1 s window: more of it here.
          rateLimit: { requests: 4, perMs: 1_300 },
        },
      );
      const started = Date.now();
      const balances = await adapter.timeOffBalances();
      expect(balances.length).toBeGreaterThan(20);
      expect(emu.stats.rateLimited).toBe(0);
      // ≥ 30 balance requests at 4 a window.
      expect(Date.now() - started).toBeGreaterThanOrEqual(7_000);
    } finally {
      await emu.close();
    }
  }, 30_000);

  it('an unpaced client stops when X-RateLimit-Remaining says 0 and resumes at X-RateLimit-Reset', async () => {
    const emu = await startEmulator({
      employees: 3,
      seed: 3,
      knobs: { ratePerMinute: 3, rateWindowMs: 1_000 },
    });
    try {
      const adapter = createHibobAdapter(
        providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }),
        {
          ...UNPACED,
          concurrency: 1,
        },
      );
      for (let i = 0; i < 7; i++) await adapter.groups();
      expect(emu.stats.rateLimited).toBe(0);
    } finally {
      await emu.close();
    }
  }, 30_000);

  it('a 429 without Retry-After waits for X-RateLimit-Reset and the call succeeds', async () => {
    const emu = await startEmulator({
      employees: 3,
      seed: 3,
      knobs: { ratePerMinute: 2, rateWindowMs: 1_000 },
    });
    try {
      const adapter = createHibobAdapter(
        providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }),
        {
          ...UNPACED,
          concurrency: 4,
        },
      );
      const lists = await Promise.all([
        adapter.groups(),
        adapter.groups(),
        adapter.groups(),
        adapter.groups(),
      ]);
      expect(lists.every((l) => l.length === 8)).toBe(true);
      expect(emu.stats.rateLimited).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  }, 30_000);

  it('two adapters of one service user share its minute', async () => {
    const emu = await startEmulator({ employees: 3, seed: 4, knobs: { ratePerMinute: 0 } });
    const abort = new AbortController();
    try {
      const ctx = () =>
        providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials, signal: abort.signal });
      // Default pacing (no test override): 50 a minute per endpoint, one budget for both.
      const [a, b] = [createHibobAdapter(ctx()), createHibobAdapter(ctx())];
      const calls = Array.from({ length: 56 }, (_, i) =>
        (i % 2 === 0 ? a : b).groups().then(
          () => 'done',
          () => 'stopped',
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(emu.stats.byEndpoint.get('named-lists')).toBe(50);
      abort.abort();
      const outcomes = await Promise.all(calls);
      expect(outcomes.filter((o) => o === 'done')).toHaveLength(50);
    } finally {
      await emu.close();
    }
  });

  it('a wait for the limit ends when the request is aborted', async () => {
    const emu = await startEmulator({ employees: 3, seed: 5, knobs: { ratePerMinute: 0 } });
    try {
      const abort = new AbortController();
      const adapter = createHibobAdapter(
        providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials, signal: abort.signal }),
        { rateLimit: { requests: 1, perMs: 60_000 } },
      );
      await adapter.groups();
      setTimeout(() => abort.abort(), 50);
      const err = await adapter.groups().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).kind).toBe('unavailable');
    } finally {
      await emu.close();
    }
  });
});
