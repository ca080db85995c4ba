import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../model/index.js';
import { createDeelAdapter, type DeelAdapter } from './adapter.js';
import { DEEL_OFFSET_PAGE_SIZE } from './client.js';
import { type DeelEmulator, startEmulator } from './emulator/server.js';
import { deelProvider } from './provider.js';
import { assertUnified } from '../../testing/unified.js';
import { contextFor, UNPACED } from './test-support.js';

/** The status table the mapper must implement, written independently of it. */
const EXPECTED_STATUS: Record<string, string> = {
  active: 'active',
  onboarding: 'pending',
  offboarding: 'active',
  inactive: 'inactive',
};

describe('Deel adapter against the emulator', () => {
  let emu: DeelEmulator;
  let adapter: DeelAdapter;

  beforeAll(async () => {
    emu = await startEmulator({ employees: 300, seed: 7, knobs: { rateLimitPerSecond: 0 } });
    adapter = createDeelAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), UNPACED);
  });
  afterAll(() => emu.close());

  it('declares the provider as data', () => {
    expect(deelProvider.id).toBe('deel');
    expect(deelProvider.tags).toEqual(['hr', 'payroll', 'global']);
    expect(deelProvider.fields.official?.[0]).toMatchObject({
      name: 'api_token',
      secret: true,
      required: true,
    });
    expect(deelProvider.logo).toMatch(/^data:image\/svg\+xml,/);
    expect(new RegExp(deelProvider.fields.official?.[0]?.pattern ?? '').test(emu.credentials.api_token)).toBe(
      true,
    );
    expect(deelProvider.defaultBaseUrl).toBe('https://api.letsdeel.com/rest/v2');
  });

  it('verify() succeeds with the emulator token', async () => {
    await expect(adapter.verify()).resolves.toBeUndefined();
  });

  it('employees() match the raw people field by field', async () => {
    const employees = await adapter.employees();
    assertUnified('employee', employees);
    expect(employees).toHaveLength(emu.records.people.length);
    const byId = new Map(employees.map((e) => [e.id, e]));
    const deptIdByName = new Map(emu.records.departments.map((d) => [d.name, String(d.id)]));
    const locIdByName = new Map(emu.records.workingLocations.map((l) => [l.name, l.id]));
    for (const raw of emu.records.people) {
      const e = byId.get(raw.id ?? '');
      expect(e, raw.id).toBeDefined();
      if (!e) continue;
      const employment = raw.employments?.[0];
      expect(e.remote_id).toBe(raw.id);
      expect(e.employee_number).toBe(String(raw.worker_id));
      expect(e.first_name).toBe(raw.first_name);
      expect(e.last_name).toBe(raw.last_name);
      expect(e.display_full_name).toBe(raw.full_name);
      expect(e.work_email).toBe(raw.emails?.find((m) => m.type === 'work')?.value);
      expect(e.personal_email).toBe(raw.emails?.find((m) => m.type === 'personal')?.value);
      expect(e.job_title).toBe(raw.job_title);
      expect(e.date_of_birth).toBe(raw.birth_date?.slice(0, 10));
      expect(e.start_date).toBe(raw.start_date);
      expect(e.remote_created_at).toBe(raw.created_at?.slice(0, 10));
      expect(e.employment_status).toBe(EXPECTED_STATUS[raw.hiring_status ?? '']);
      expect(e.employment_type).toBe(raw.hiring_type === 'contractor' ? 'contractor' : null);
      expect(e.termination_date).toBe(raw.completion_date ? raw.completion_date.slice(0, 10) : null);
      expect(e.nationality).toBe((raw.nationalities as string[])[0]);
      expect(e.manager?.id ?? null).toBe(raw.direct_manager?.id ?? null);
      expect(e.manager?.work_email ?? null).toBe(raw.direct_manager?.work_email ?? null);
      expect(e.home_location).toEqual({
        street_address: raw.addresses?.[0]?.streetAddress,
        locality: raw.addresses?.[0]?.locality,
        administrative_area: raw.addresses?.[0]?.region,
        country: raw.addresses?.[0]?.country,
        post_code: raw.addresses?.[0]?.postalCode,
      });
      expect(e.work_location?.name).toBe(raw.work_location);
      expect(e.work_location?.id).toBe(locIdByName.get(raw.work_location ?? ''));
      expect(e.groups).toEqual([
        {
          id: deptIdByName.get(raw.department?.name ?? ''),
          remote_id: deptIdByName.get(raw.department?.name ?? ''),
          name: raw.department?.name,
          type: 'department',
        },
        {
          id: employment?.team?.id,
          remote_id: employment?.team?.id,
          name: employment?.team?.name,
          type: 'team',
        },
      ]);
      expect(e.compensation_history?.[0]).toMatchObject({
        pay_rate: employment?.payment?.rate,
        currency: employment?.payment?.currency?.toLowerCase(),
        pay_period: employment?.payment?.scale === 'hourly' ? 'hour' : 'year',
        effective_date: employment?.start_date,
      });
      expect(e.custom_fields?.['hiring_type']).toBe(raw.hiring_type);
      expect(e.custom_fields?.['external_id']).toBe(raw.external_id);
    }
  });

  it('company() maps every legal entity', async () => {
    const companies = await adapter.company();
    assertUnified('company', companies);
    expect(companies.map((c) => [c.id, c.legal_name, c.tax_id, c.address?.country])).toEqual(
      emu.records.legalEntities.map((l) => [l.id, l.name, l.vat_id, l.country]),
    );
  });

  it('identity() is the token owner from /people/me', async () => {
    const identity = await adapter.identity();
    assertUnified('identity', [identity]);
    expect(identity).toEqual({
      name: emu.records.me.full_name,
      email: emu.records.me.email,
      phone_number: null,
    });
  });

  it('groups() lists departments and every team across cursor pages, and employee group ids resolve', async () => {
    const groups = await adapter.groups();
    assertUnified('group', groups);
    expect(emu.records.groups.length).toBeLessThanOrEqual(100); // one page here; cursor paging is in faults.test
    const departments = groups.filter((g) => g.type === 'department');
    const teams = groups.filter((g) => g.type === 'team');
    expect(departments.map((d) => [d.id, d.name])).toEqual(
      emu.records.departments.map((d) => [String(d.id), d.name]),
    );
    expect(teams.map((t) => [t.id, t.name])).toEqual(emu.records.groups.map((g) => [g.id, g.name]));
    const ids = new Set(groups.map((g) => g.id));
    for (const e of await adapter.employees())
      for (const g of e.groups ?? []) expect(ids.has(g.id)).toBe(true);
  });

  it('workLocations() match /working-locations', async () => {
    const locations = await adapter.workLocations();
    assertUnified('location', locations);
    expect(locations.map((l) => [l.id, l.name])).toEqual(
      emu.records.workingLocations.map((l) => [l.id, l.name]),
    );
  });

  it('timeOffEntries() follow the cursor to the end and resolve policies and units', async () => {
    const entries = await adapter.timeOffEntries(null);
    assertUnified('time-off-entry', entries);
    expect(entries).toHaveLength(emu.records.timeOffs.length);
    expect(emu.records.timeOffs.length).toBeGreaterThan(200); // more than one page of 200
    const policyByType = new Map(emu.records.policies.map((p) => [p.time_off_types?.[0]?.id, p]));
    const statusTable: Record<string, string | null> = {
      REQUESTED: 'pending',
      APPROVED: 'approved',
      USED: 'approved',
      REJECTED: 'rejected',
      CANCELED: null,
    };
    const byId = new Map(entries.map((e) => [e.id, e]));
    const employeeIds = new Set(emu.records.people.map((p) => p.id));
    for (const raw of emu.records.timeOffs) {
      const e = byId.get(raw.id ?? '');
      const policy = policyByType.get(raw.time_off_type_id);
      expect(e).toMatchObject({
        employee_id: raw.recipient_profile?.hris_profile_id,
        start_date: raw.start_date?.slice(0, 10),
        end_date: raw.end_date?.slice(0, 10),
        amount: raw.amount,
        unit: policy?.tracking_unit === 'HOUR' ? 'hours' : 'days',
        status: statusTable[raw.status ?? ''],
        employee_note: raw.description,
        policy_id: policy?.id,
        policy_name: policy?.name,
        remote_created_at: raw.created_at?.slice(0, 10),
      });
      expect(employeeIds.has(e?.employee_id)).toBe(true);
    }
    expect(new Set(entries.map((e) => e.policy_type))).toEqual(new Set(['vacation', 'sick', 'personal']));
  });

  it('timeOffEntries(range) asks Deel for the range only', async () => {
    const range = { start_date: '2025-03-01', end_date: '2025-03-31' };
    const entries = await adapter.timeOffEntries(range);
    const expected = emu.records.timeOffs.filter(
      (t) =>
        (t.start_date ?? '') <= '2025-03-31T23:59:59.999Z' &&
        (t.end_date ?? '') >= '2025-03-01T00:00:00.000Z',
    );
    expect(entries.map((e) => e.id).sort()).toEqual(expected.map((t) => t.id).sort());
  });

  it('timeOffBalances() come from every profile entitlement', async () => {
    const balances = await adapter.timeOffBalances();
    assertUnified('time-off-balance', balances);
    expect(balances).toHaveLength(emu.records.people.length * emu.records.policies.length);
    const sample = emu.records.people[3]!;
    const raw = emu.records.entitlements(sample.id ?? '') ?? [];
    const mine = balances.filter((b) => b.employee_id === sample.id);
    expect(mine.map((b) => [b.policy_id, b.balance, b.used])).toEqual(
      raw.map((r) => [r.policy?.id, Number(r.available), Number(r.used)]),
    );
  });

  it('timesheets() resolve each contract to its person', async () => {
    const sheets = await adapter.timesheets(null);
    assertUnified('timesheet', sheets);
    expect(sheets).toHaveLength(emu.records.timesheets.length);
    const byId = new Map(sheets.map((s) => [s.id, s]));
    for (const raw of emu.records.timesheets) {
      const owner = emu.records.people.find((p) => p.employments?.some((e) => e.id === raw.contract?.id));
      expect(byId.get(raw.id ?? '')).toEqual({
        id: raw.id,
        remote_id: raw.id,
        employee_id: owner?.id,
        employee_remote_id: owner?.id,
        start_time: raw.date_submitted,
        end_time: null,
        hours_worked:
          Math.round(((raw.worksheet?.hours ?? 0) + (raw.worksheet?.minutes ?? 0) / 60) * 10) / 10,
        remote_created_at: raw.created_at?.slice(0, 10),
        remote_modified_at: (raw.reviewed_by?.reviewed_at ?? raw.created_at)?.slice(0, 10),
      });
    }
  });

  it('payruns(range) and payslips(payrunId) map payroll events and G2N rows in minor units', async () => {
    const payruns = await adapter.payruns({ start_date: '2025-02-01', end_date: '2025-03-31' });
    assertUnified('payrun', payruns);
    expect(payruns).toHaveLength(emu.records.legalEntities.length * 2);
    const march = payruns.find((p) => p.start_date === '2025-03-01');
    expect(march).toMatchObject({
      state: 'paid',
      type: 'regular',
      end_date: '2025-03-31',
      payment_date: '2025-03-31',
    });
    const payslips = await adapter.payslips(march?.id ?? '');
    expect(payslips).not.toBeNull();
    assertUnified('payslip', payslips ?? []);
    const rows = emu.records.grossToNet.get(march?.id ?? '') ?? [];
    expect(payslips).toHaveLength(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    for (const [i, row] of rows.entries()) {
      const slip = payslips?.[i];
      const owner = emu.records.people.find((p) => p.employments?.[0]?.id === row.contract_id);
      expect(slip?.employee_id).toBe(owner?.id);
      expect(slip?.currency).toBe(owner?.employments?.[0]?.payment?.currency?.toLowerCase());
      expect(slip?.net_pay).toBe(Math.round(Number(row.net_pay) * 100));
      expect(slip?.taxes).toEqual([
        { name: 'Income tax', amount: Math.round(Number(row.ee_income_tax) * 100), employer_tax: false },
      ]);
      expect(slip?.earnings?.find((x) => x.name === 'Annual bonus')?.amount).toBe(
        Math.round((row.annual_bonus ?? 0) * 100),
      );
      expect(slip?.start_date).toBe('2025-03-01');
    }
  });

  it('payslips() of an unknown payrun is null (→ 404)', async () => {
    await expect(adapter.payslips('clq-does-not-exist')).resolves.toBeNull();
  });

  it('client.raw() makes an authenticated passthrough request confined to the base', async () => {
    const res = await adapter.client.raw({ path: '/organizations' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [emu.records.organization] });
    const missing = await adapter.client.raw({ path: '/nope' });
    expect(missing.status).toBe(404);
    await expect(adapter.client.raw({ path: 'http://evil.example/x' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
    await expect(adapter.client.raw({ path: '/../../outside' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });
});

describe('Deel pagination at the documented rate limit', () => {
  it('1,000 employees across 11 pages arrive exactly once, without a single 429', async () => {
    const emu = await startEmulator({ employees: 1000, seed: 3 });
    try {
      const adapter = createDeelAdapter(contextFor(emu.baseUrl, emu.credentials.api_token));
      const employees = await adapter.employees();
      expect(Math.ceil(1000 / DEEL_OFFSET_PAGE_SIZE)).toBe(11);
      expect(employees).toHaveLength(1000);
      expect(new Set(employees.map((e) => e.id)).size).toBe(1000);
      expect(new Set(employees.map((e) => e.id))).toEqual(new Set(emu.records.people.map((p) => p.id)));
      expect(emu.stats.rateLimited).toBe(0);
      expect(emu.stats.requests).toBe(13);
    } finally {
      await emu.close();
    }
  });
});

describe('Deel employees streamed to a sink', () => {
  it('pages go on in list order as they complete, the same list as without a sink', async () => {
    const emu = await startEmulator({
      employees: 1000,
      seed: 5,
      knobs: { rateLimitPerSecond: 0, latencyMs: 3 },
    });
    try {
      const adapter = createDeelAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), UNPACED);
      const whole = await adapter.employees();
      const pushed: Employee[] = [];
      const pushes: number[] = [];
      let expected: number | undefined;
      const rest = await adapter.employees({
        expect: (n) => {
          expected = n;
        },
        push: (rows) => {
          pushes.push(rows.length);
          pushed.push(...rows);
        },
      });
      expect(rest).toEqual([]);
      expect(expected).toBe(1000);
      expect(pushed).toEqual(whole);
      expect(pushes.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(pushes.length).toBeGreaterThan(1);
    } finally {
      await emu.close();
    }
  });
});
