/**
 * The adapter against the emulator, field by field against the emulator's own records (expected values are worked
 * out here from the raw records, not by calling the mappers), and every unified list valid against the Affix
 * contract's schemas.
 */
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../model/index.js';
import { createFactorialAdapter, type FactorialAdapter } from './adapter.js';
import { EMULATOR_TODAY } from './emulator/data.js';
import { type FactorialEmulator, startEmulator } from './emulator/server.js';
import { assertContract } from '../../testing/unified.js';
import { apiKeyOf, contextFor, oauthOf } from './test-support.js';

const decode = (id: string) => Buffer.from(id, 'base64url').toString('utf8');

describe('Factorial adapter against the emulator', () => {
  let emu: FactorialEmulator;
  let adapter: FactorialAdapter;
  let employees: Employee[];

  beforeAll(async () => {
    emu = await startEmulator({ employees: 230, seed: 17 });
    adapter = createFactorialAdapter(contextFor(emu.baseUrl, apiKeyOf(emu)), { today: () => EMULATOR_TODAY });
    employees = await adapter.employees();
  });
  afterAll(() => emu.close());

  it('employees: every record once, contract-valid, ids opaque with Factorial ids as remote_id', () => {
    assertContract('/employees', employees);
    expect(employees.map((e) => e.remote_id)).toEqual(emu.records.employees.map((e) => e.id));
    expect(decode(employees[0]?.id ?? '')).toBe('factorialhr:employee:1');
  });

  it('employees handed to a sink page by page: in order, managers filled, the same list as without a sink', async () => {
    const pushed: Employee[][] = [];
    let expected: number | undefined;
    const rest = await adapter.employees({
      expect: (total) => {
        expected = total;
      },
      push: (items) => {
        pushed.push([...items]);
      },
    });
    expect(expected).toBe(emu.records.employees.length);
    // 230 employees are three pages: at least the first two go out before the walk ends.
    expect(pushed.length).toBeGreaterThanOrEqual(2);
    expect([...pushed.flat(), ...rest]).toEqual(employees);
  });

  it("employees: the next page is asked for before the page in hand's contract versions, which come in batches", async () => {
    const order: string[] = [];
    const onCreate = (message: unknown) => {
      const path = (message as { request: { path: string } }).request.path;
      if (path.includes('/employees/employees')) order.push('page');
      else if (path.includes('/contracts/contract_versions')) order.push('versions');
    };
    diagnostics.subscribe('undici:request:create', onCreate);
    try {
      await adapter.employees();
    } finally {
      diagnostics.unsubscribe('undici:request:create', onCreate);
    }
    // 230 employees are 3 pages; 1.5 versions per employee assumed for the first: its 100 ids in 2 batches.
    expect(order.slice(0, 4)).toEqual(['page', 'page', 'versions', 'versions']);
    expect(order.filter((o) => o === 'page')).toHaveLength(3);
  });

  it('employees: personal fields, status, manager, location, teams, bank and emergency contact', () => {
    const raw = emu.records.employees;
    for (const [i, e] of employees.entries()) {
      const r = raw[i];
      if (!r) throw new Error('record missing');
      expect(e.first_name).toBe(r.first_name);
      expect(e.last_name).toBe(r.last_name);
      expect(e.display_full_name).toBe(r.full_name);
      expect(e.work_email).toBe(r.email);
      expect(e.personal_email).toBe(r.personal_email ?? null);
      expect(e.employee_number).toBe(r.company_identifier);
      expect(e.date_of_birth).toBe(r.birthday_on);
      expect(e.nationality).toBe(r.nationality?.toUpperCase());
      expect(e.gender).toBe(r.gender === 'male' || r.gender === 'female' ? r.gender : 'not_specified');
      expect(e.tax_id).toBe(r.identifier_type === 'passport' ? null : r.identifier);
      expect(e.termination_date).toBe(r.terminated_on ?? null);
      const starts = emu.records.contractVersions.find((c) => c.employee_id === r.id)?.starts_on ?? '';
      expect(e.employment_status).toBe(
        !r.active ? 'inactive' : starts > EMULATOR_TODAY ? 'pending' : 'active',
      );
      expect(e.manager?.remote_id ?? null).toBe(r.manager_id ?? null);
      if (r.manager_id) {
        const m = raw.find((x) => x.id === r.manager_id);
        expect(e.manager).toMatchObject({ first_name: m?.first_name, work_email: m?.email });
      }
      const location = emu.records.locations.find((l) => l.id === r.location_id);
      expect(e.work_location?.name).toBe(location?.name);
      const teams = emu.records.teams.filter((t) => t.employee_ids?.includes(r.id ?? '')).map((t) => t.name);
      expect(e.groups?.map((g) => g.name).sort()).toEqual(teams.sort());
      expect(e.groups?.every((g) => g.type === 'team')).toBe(true);
      if (r.bank_number_format === 'iban') expect(e.bank_account?.iban).toBe(r.bank_number);
      else expect(e.bank_account?.account_number).toBe(r.bank_number);
      expect(e.emergency_contacts?.[0]?.mobile_phone_number ?? null).toBe(r.contact_number ?? null);
      expect(e.home_location?.locality ?? null).toBe(r.city ?? null);
    }
    expect(employees.filter((e) => e.employment_status === 'pending').map((e) => e.remote_id)).toEqual(['2']);
  });

  it('employees: job, start date, employment type and salary history come from the contract versions', () => {
    for (const e of employees) {
      const versions = emu.records.contractVersions
        .filter((c) => c.employee_id === e.remote_id)
        .sort((a, b) => (a.effective_on ?? '').localeCompare(b.effective_on ?? ''));
      const current = versions.filter((v) => (v.effective_on ?? '') <= EMULATOR_TODAY).at(-1) ?? versions[0];
      expect(e.job_title).toBe(current?.job_title);
      expect(e.start_date).toBe(current?.starts_on);
      expect(e.employment_type).toBe(
        current?.working_time_percentage_in_cents === 10_000 ? 'full_time' : 'part_time',
      );
      expect(e.employment_history?.map((h) => h.effective_date)).toEqual(versions.map((v) => v.effective_on));
      const entity = emu.records.legalEntities.find(
        (l) => l.id === emu.records.employees.find((x) => x.id === e.remote_id)?.legal_entity_id,
      );
      expect(e.compensation_history).toEqual(
        versions.map((v) => ({
          // Cents → major units per pay period.
          pay_rate: (v.salary_amount ?? 0) / 100,
          pay_period: v.salary_frequency === 'monthly' ? 'month' : 'year',
          pay_frequency: v.salary_frequency === 'monthly' ? 'monthly' : 'year',
          employment_type: v.working_time_percentage_in_cents === 10_000 ? 'full_time' : 'part_time',
          currency: entity?.currency?.toLowerCase(),
          effective_date: v.effective_on,
          notes: null,
        })),
      );
    }
    // The first employee: a raise and a move to part time in the second version.
    const first = employees[0]?.compensation_history ?? [];
    expect(first).toHaveLength(2);
    expect(first[1]?.pay_rate).toBeGreaterThan(first[0]?.pay_rate ?? Number.POSITIVE_INFINITY);
  });

  it('groups, work locations and company: one per team, location and legal entity, contract-valid', async () => {
    const groups = await adapter.groups();
    assertContract('/groups', groups);
    expect(groups.map((g) => [g.remote_id, g.name, g.type])).toEqual(
      emu.records.teams.map((t) => [t.id, t.name, 'team']),
    );
    const locations = await adapter.workLocations();
    assertContract('/work-locations', locations);
    expect(locations.map((l) => [l.remote_id, l.name, l.address?.country])).toEqual(
      emu.records.locations.map((l) => [l.id, l.name, l.country?.toUpperCase()]),
    );
    const companies = await adapter.company();
    assertContract('/company', companies);
    expect(companies.map((c) => [c.remote_id, c.legal_name, c.tax_id])).toEqual(
      emu.records.legalEntities.map((l) => [l.id, l.legal_name, l.tin]),
    );
  });

  it('time-off entries: hours for hourly leaves, days otherwise, pending and approved, leave type as policy', async () => {
    const entries = await adapter.timeOffEntries(null);
    assertContract('/time-off-entries', entries);
    expect(entries.map((e) => e.remote_id)).toEqual(emu.records.leaves.map((l) => l.id));
    for (const [i, e] of entries.entries()) {
      const l = emu.records.leaves[i];
      if (!l) throw new Error('leave missing');
      if (l.hours_amount_in_cents)
        expect([e.unit, e.amount]).toEqual(['hours', l.hours_amount_in_cents / 100]);
      else expect([e.unit, e.amount]).toEqual(['days', l.days_taken]);
      expect(e.status).toBe(l.approved ? 'approved' : 'pending');
      expect(e.policy_remote_id).toBe(l.leave_type_id);
      expect(e.policy_name).toBe(l.leave_type_name);
      expect([e.start_date, e.end_date]).toEqual([l.start_on, l.finish_on]);
    }
    const types = new Set(entries.map((e) => e.policy_type));
    expect(types).toEqual(new Set(['vacation', 'sick', 'personal', null]));
    expect(entries.some((e) => e.amount === 0.5)).toBe(true);
    expect(entries.some((e) => e.unit === 'hours' && e.amount === 1.5)).toBe(true);

    const march = await adapter.timeOffEntries({ start_date: '2025-03-01', end_date: '2025-03-31' });
    expect(march.length).toBeGreaterThan(0);
    expect(
      march.every((e) => (e.start_date ?? '') <= '2025-03-31' && (e.end_date ?? '') >= '2025-03-01'),
    ).toBe(true);
  });

  it('time-off balances: per employee and allowance, in the allowance unit, negative hours kept', async () => {
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    const stats = emu.records.allowanceStats;
    expect(balances).toHaveLength(stats.length);
    for (const [i, b] of balances.entries()) {
      const s = stats[i];
      if (!s) throw new Error('stat missing');
      expect(b.employee_remote_id).toBe(s.employee_id);
      expect(b.policy_remote_id).toBe(s.allowance_id);
      expect(b.balance).toBe(Number(s.available_days));
      expect(b.used).toBe(Number(s.used_units_until_reference_date));
      expect(b.policy_name).toBe(s.allowance_id === '1' ? 'Holiday allowance' : 'Personal hours');
      expect(b.policy_type).toBe(s.allowance_id === '1' ? 'vacation' : 'personal');
    }
    expect(balances.some((b) => (b.balance ?? 0) < 0)).toBe(true);
  });

  it('timesheets: worked shifts only, local times to UTC in the workplace zone, past midnight, 0.1 h', async () => {
    // No range: the default window (the last year to a month ahead) holds every emulator shift.
    const sheets = await adapter.timesheets(null);
    assertContract('/timesheets', sheets);
    const worked = emu.records.shifts.filter((s) => s.workable !== false);
    expect(sheets.map((s) => s.remote_id)).toEqual(worked.map((s) => s.id));
    /** The UTC instant of a wall-clock time in `zone`, from the platform's zone data (not our mapper). */
    const utc = (date: string, time: string, zone: string) => {
      const wall = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
      const name =
        new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
          .formatToParts(new Date(wall))
          .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
      const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
      return new Date(wall - offset * 60_000).toISOString();
    };
    const zoneOf = (employeeId: string | undefined) => {
      const e = emu.records.employees.find((x) => x.id === employeeId);
      return emu.records.locations.find((l) => l.id === e?.location_id)?.timezone ?? '';
    };
    for (const [i, s] of sheets.entries()) {
      const raw = worked[i];
      if (!raw?.date || !raw.clock_in_with_seconds) throw new Error('shift missing');
      // Workplace and home location coincide in the emulator; shifts without a workplace use the home one.
      expect(s.start_time).toBe(utc(raw.date, raw.clock_in_with_seconds, zoneOf(raw.employee_id)));
      expect(s.hours_worked).toBe(Math.round(((raw.minutes ?? 0) / 60) * 10) / 10);
    }
    expect(worked.some((s) => s.workplace_id === undefined)).toBe(true);
    const night = sheets.find((_s, i) => (worked[i]?.clock_out ?? '') < (worked[i]?.clock_in ?? ''));
    expect(night).toBeDefined();
    expect(Date.parse(night?.end_time ?? '')).toBeGreaterThan(Date.parse(night?.start_time ?? ''));
    // Breaks (`workable: false`) are listed by Factorial and left out here.
    expect(emu.records.shifts.length).toBeGreaterThan(worked.length);
  });

  it('the same lists through an OAuth access token', async () => {
    const oauth = createFactorialAdapter(contextFor(emu.baseUrl, oauthOf(emu)), {
      today: () => EMULATOR_TODAY,
    });
    await oauth.verify();
    expect((await oauth.groups()).length).toBe(emu.records.teams.length);
  });
});
