import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PersonioAdapter, createPersonioAdapter } from './adapter.js';
import { calendarDate } from '../dates.js';
import { opaqueId } from './mappers/ids.js';
import { toEmployee } from './mappers/to-employee.js';
import { dominantAddresses, officeKey } from './mappers/to-location.js';
import { personioProvider } from './provider.js';
import type { PersonioEmployee } from './raw.js';
import { type PersonioEmulator, startEmulator } from './emulator/server.js';
import { memoryState } from '../../testing/provider-context.js';
import { type Unified, unifiedErrors } from '../../testing/unified.js';
import { contextFor, streamedEmployees } from './test-support.js';
import { GUESS_AFTER_EMPLOYEES } from './employee-stream.js';

function expectValid(schema: Unified, values: unknown[]) {
  for (const v of values) expect(unifiedErrors(schema, v)).toEqual([]);
}

const val = (e: PersonioEmployee, key: string) => e.attributes[key]?.value;

let emu: PersonioEmulator;
let adapter: PersonioAdapter;

beforeAll(async () => {
  emu = await startEmulator({ employees: 60, seed: 7, today: '2026-03-18' });
  adapter = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials));
});
afterAll(() => emu.close());

describe('personio declaration', () => {
  it('declares the contract id, official mode, both connect fields and its resources', () => {
    expect(personioProvider.id).toBe('personio.de');
    expect(personioProvider.modes).toEqual(['official']);
    expect(personioProvider.defaultBaseUrl).toBe('https://api.personio.de/v1');
    expect(personioProvider.logo?.startsWith('data:image/svg+xml')).toBe(true);
    const fields = personioProvider.fields.official ?? [];
    expect(fields.map((f) => [f.name, f.secret])).toEqual([
      ['client_id', false],
      ['client_secret', true],
    ]);
    expect(personioProvider.resources.official).not.toContain('payruns');
  });
});

describe('personio adapter against the emulator', () => {
  it('verify() authenticates and makes one authenticated call', async () => {
    const before = emu.stats.dataCalls;
    await adapter.verify();
    expect(emu.stats.dataCalls).toBe(before + 1);
  });

  it('employees match the raw records field by field', async () => {
    const employees = await adapter.employees();
    expectValid('employee', employees);
    expect(employees).toHaveLength(emu.records.employees.length);
    const byRemote = new Map(employees.map((e) => [e.remote_id, e]));
    const statusMap: Record<string, string> = {
      active: 'active',
      inactive: 'inactive',
      onboarding: 'pending',
      leave: 'leave',
    };
    for (const raw of emu.records.employees) {
      const e = byRemote.get(String(val(raw, 'id')));
      expect(e).toBeDefined();
      if (!e) continue;
      expect(e.id).toBe(opaqueId('employee', String(val(raw, 'id'))));
      expect(e.first_name).toBe(val(raw, 'first_name'));
      expect(e.last_name).toBe(val(raw, 'last_name'));
      expect(e.work_email).toBe(val(raw, 'email'));
      expect(e.job_title).toBe(val(raw, 'position'));
      expect(e.employment_status).toBe(statusMap[String(val(raw, 'status'))]);
      expect(e.start_date).toBe(String(val(raw, 'hire_date')).slice(0, 10));
      expect(e.termination_date).toBe(calendarDate(val(raw, 'termination_date')));
      expect(e.date_of_birth).toBe(val(raw, 'dynamic_180883'));
      expect(e.bank_account?.iban ?? null).toBe(val(raw, 'dynamic_21827'));
      const gender = val(raw, 'gender');
      expect(e.gender).toBe(gender === 'diverse' ? null : gender);
      if (gender === 'diverse') expect(e.custom_fields?.['gender']).toBe('diverse');
      expect(e.custom_fields?.['Titel'] ?? null).toBe(val(raw, 'dynamic_24407'));
      const external = val(raw, 'employment_type') === 'external';
      const hours = Number(val(raw, 'weekly_working_hours'));
      expect(e.employment_type).toBe(external ? 'contractor' : hours < 30 ? 'part_time' : 'full_time');
      // Manager: id, names and email resolve to the supervisor's own record.
      const sup = val(raw, 'supervisor') as { attributes: { id: { value: number } } } | null;
      if (sup) {
        const boss = emu.records.employees.find((x) => val(x, 'id') === sup.attributes.id.value);
        expect(boss).toBeDefined();
        expect(e.manager?.remote_id).toBe(String(sup.attributes.id.value));
        expect(e.manager?.id).toBe(opaqueId('employee', sup.attributes.id.value));
        expect(e.manager?.work_email).toBe(boss && val(boss, 'email'));
        expect(e.employment_history?.[0]?.manager_remote_id).toBe(String(sup.attributes.id.value));
      } else {
        expect(e.manager).toBeNull();
      }
      // Groups: department, team and cost centres with their Personio ids.
      const dept = val(raw, 'department') as { attributes: { id: number; name: string } };
      const team = val(raw, 'team') as { attributes: { id: number; name: string } } | null;
      const ccs = val(raw, 'cost_centers') as Array<{ attributes: { id: number } }>;
      expect(e.groups?.find((g) => g.type === 'department')).toEqual({
        id: opaqueId('department', dept.attributes.id),
        remote_id: String(dept.attributes.id),
        name: dept.attributes.name,
        type: 'department',
      });
      expect(e.groups?.find((g) => g.type === 'team')?.remote_id ?? null).toBe(
        team ? String(team.attributes.id) : null,
      );
      expect(e.groups?.filter((g) => g.type === 'cost_centre').map((g) => g.remote_id)).toEqual(
        ccs.map((c) => String(c.attributes.id)),
      );
      const office = val(raw, 'office') as { attributes: { id: number; name: string } };
      expect(e.work_location?.remote_id).toBe(String(office.attributes.id));
      expect(e.work_location?.name).toBe(office.attributes.name);
      // Money: major units per period, currency lower-case.
      const fix = Number(val(raw, 'fix_salary'));
      const comp = e.compensation_history?.[0];
      if (fix > 0) {
        expect(comp?.pay_rate).toBe(fix);
        expect(comp?.pay_period).toBe(val(raw, 'fix_salary_interval') === 'yearly' ? 'year' : 'month');
        expect(comp?.currency).toBe(String(raw.attributes.fix_salary?.currency).toLowerCase());
      } else {
        expect(comp?.pay_rate).toBe(Number(val(raw, 'hourly_salary')));
        expect(comp?.pay_period).toBe('hour');
      }
    }
  });

  it('employees mapped page by page equal the whole-list mapping (managers, office addresses)', async () => {
    // Small pages, so managers and office-mates sit on other pages than the employee.
    const paging = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials), { employeesPageSize: 7 });
    const raw = await paging.client.listByOffset<PersonioEmployee>(
      'company/employees',
      {},
      { employeesList: true, pageSize: 7 },
    );
    const byId = new Map(raw.map((e) => [String(e.attributes.id?.value), e]));
    const whole = raw.map((e) => toEmployee(e, { byId, officeAddresses: dominantAddresses(raw, officeKey) }));
    const paged = await paging.employees();
    expect(paged).toEqual(whole);
    // The case that needs every page: at least one manager and one office address come from other records.
    expect(whole.some((e) => e.manager?.first_name)).toBe(true);
    expect(whole.some((e) => e.work_location?.address)).toBe(true);
  });

  it('employees streamed into a sink equal the whole list, pushed page by page after the first 1,000', async () => {
    const big = await startEmulator({ employees: 1_250, seed: 5, today: '2026-03-18' });
    try {
      const a = createPersonioAdapter(contextFor(big.baseUrl, big.credentials));
      const whole = await a.employees();
      const walked = big.stats.requests.length;
      const { list, sink } = await streamedEmployees(a);
      expect(list).toEqual(whole);
      expect(sink.restarts).toBe(0);
      expect(sink.expected).toBe(1_250);
      // Held until GUESS_AFTER_EMPLOYEES were counted, then a push per page: the list was never held whole.
      expect(sink.pushes).toBeGreaterThanOrEqual(3);
      expect(sink.pushed.length).toBeGreaterThanOrEqual(GUESS_AFTER_EMPLOYEES);
      // One walk of 13 pages, as without a sink.
      expect(big.stats.requests.length - walked).toBe(walked);
    } finally {
      await big.close();
    }
  });

  it('an office whose majority calendar changes after its first employees were pushed: the list starts again', async () => {
    const big = await startEmulator({ employees: 1_250, seed: 5, today: '2026-03-18' });
    try {
      // Among the list's first 1,000 (counted before anyone is pushed), Munich's people are split evenly between
      // Bayern's and Berlin's calendars (a tie goes to the lower id, Bayern's); all of Munich's later people use
      // Berlin's, which so wins in the whole list.
      const [bayern, berlin] = big.records.calendars;
      let early = 0;
      big.records.employees.forEach((e, i) => {
        const office = val(e, 'office') as { attributes: { name: string } } | null;
        const attr = e.attributes.holiday_calendar;
        if (office?.attributes.name !== 'Munich' || !attr || !bayern || !berlin) return;
        const calendar = i >= GUESS_AFTER_EMPLOYEES ? berlin : early++ % 2 === 0 ? bayern : berlin;
        attr.value = { type: 'HolidayCalendar', attributes: { ...calendar } };
      });
      expect(bayern?.id).toBeLessThan(Number(berlin?.id));
      const a = createPersonioAdapter(contextFor(big.baseUrl, big.credentials));
      const whole = await a.employees();
      expect(
        whole.find((e) => e.work_location?.name === 'Munich')?.work_location?.address?.administrative_area,
      ).toBe('Berlin');
      const walked = big.stats.requests.length;
      const { list, sink } = await streamedEmployees(a);
      expect(sink.restarts).toBe(1);
      expect(list).toEqual(whole);
      // The second walk, with the first one's addresses, is exact: two walks in all.
      expect(big.stats.requests.length - walked).toBe(2 * walked);
    } finally {
      await big.close();
    }
  });

  it('company: one per subcompany, with the country of its dominant holiday calendar', async () => {
    const companies = await adapter.company();
    expectValid('company', companies);
    const used = new Set(
      emu.records.employees.map(
        (e) => (val(e, 'subcompany') as { attributes: { id: number } }).attributes.id,
      ),
    );
    expect(companies.map((c) => Number(c.remote_id)).sort()).toEqual([...used].sort());
    const gmbh = companies.find((c) => c.legal_name === 'Acme Demo GmbH');
    expect(gmbh?.address?.country).toBe('DE');
    const ltd = companies.find((c) => c.legal_name === 'Acme Demo UK Ltd');
    if (ltd) expect(ltd.address?.country).toBe('GB');
  });

  it('groups: every department, team and cost centre referenced, once each', async () => {
    const groups = await adapter.groups();
    expectValid('group', groups);
    const expected = new Set<string>();
    for (const e of emu.records.employees) {
      expected.add(`department:${(val(e, 'department') as { attributes: { id: number } }).attributes.id}`);
      const team = val(e, 'team') as { attributes: { id: number } } | null;
      if (team) expected.add(`team:${team.attributes.id}`);
      for (const c of val(e, 'cost_centers') as Array<{ attributes: { id: number } }>) {
        expected.add(`cost_centre:${c.attributes.id}`);
      }
    }
    expect(groups.map((g) => `${g.type}:${g.remote_id}`).sort()).toEqual([...expected].sort());
    expect(emu.stats.requests.at(-1)).toContain('attributes');
  });

  it('work locations: the offices, with the country and state of their holiday calendar', async () => {
    const locations = await adapter.workLocations();
    expectValid('location', locations);
    for (const loc of locations) {
      const office = emu.records.offices.find((o) => String(o.id) === loc.remote_id);
      expect(office).toBeDefined();
      expect(loc.name).toBe(office?.name);
      expect(loc.type).toBe('office');
      expect(loc.address?.country).toBe(office?.calendar.country);
      expect(loc.address?.administrative_area).toBe(office?.calendar.state);
    }
  });

  it('timesheets: confirmed attendances in the range, Berlin wall time converted to UTC', async () => {
    const range = { start_date: '2026-03-01', end_date: '2026-03-31' };
    const sheets = await adapter.timesheets(range);
    expectValid('timesheet', sheets);
    const raw = emu.records.attendances.filter(
      (a) =>
        a.attributes.status === 'confirmed' &&
        a.attributes.date >= range.start_date &&
        a.attributes.date <= range.end_date,
    );
    expect(sheets).toHaveLength(raw.length);
    expect(raw.length).toBeGreaterThan(0);
    const byRemote = new Map(sheets.map((s) => [s.remote_id, s]));
    for (const a of raw) {
      const s = byRemote.get(String(a.id));
      expect(s?.employee_remote_id).toBe(String(a.attributes.employee));
      expect(s?.employee_id).toBe(opaqueId('employee', a.attributes.employee));
      // March 2026 before the 29th is CET (+01:00).
      const offset = a.attributes.date < '2026-03-29' ? '+01:00' : '+02:00';
      expect(s?.start_time).toBe(
        new Date(`${a.attributes.date}T${a.attributes.start_time}:00${offset}`).toISOString(),
      );
      const [sh, sm] = a.attributes.start_time.split(':').map(Number) as [number, number];
      const [eh, em] = String(a.attributes.end_time).split(':').map(Number) as [number, number];
      const hours = (eh * 60 + em - (sh * 60 + sm) - (a.attributes.break ?? 0)) / 60;
      expect(s?.hours_worked).toBe(Math.round(hours * 10) / 10);
    }
  });

  it('time-off entries: every period, page-number pagination, statuses and policies mapped', async () => {
    const entries = await adapter.timeOffEntries(null);
    expectValid('time-off-entry', entries);
    expect(entries.map((e) => e.remote_id).sort()).toEqual(
      emu.records.timeOffs.map((t) => String(t.attributes.id)).sort(),
    );
    const byRemote = new Map(entries.map((e) => [e.remote_id, e]));
    for (const t of emu.records.timeOffs) {
      const e = byRemote.get(String(t.attributes.id));
      expect(e?.employee_remote_id).toBe(String(t.attributes.employee.attributes.id.value));
      expect(e?.start_date).toBe(t.attributes.start_date?.slice(0, 10));
      expect(e?.end_date).toBe(t.attributes.end_date?.slice(0, 10));
      expect(e?.amount).toBe(t.attributes.days_count);
      expect(e?.unit).toBe('days');
      expect(e?.status).toBe(t.attributes.status);
      expect(e?.policy_remote_id).toBe(String(t.attributes.time_off_type?.attributes.id));
      const category = t.attributes.time_off_type?.attributes.category;
      const policy: Record<string, string | null> = {
        paid_vacation: 'vacation',
        sick_leave: 'sick',
        maternity_parental_leave: 'personal',
        offsite_work: null,
      };
      expect(e?.policy_type).toBe(policy[String(category)]);
    }
  });

  it('time-off entries: a range keeps only the overlapping periods', async () => {
    const range = { start_date: '2026-04-01', end_date: '2026-04-30' };
    const entries = await adapter.timeOffEntries(range);
    for (const e of entries) {
      expect(e.end_date && e.end_date >= range.start_date).toBe(true);
      expect(e.start_date && e.start_date <= range.end_date).toBe(true);
    }
  });

  it('time-off balances: one row per employee and entitled type, balance as Personio reports it', async () => {
    const balances = await adapter.timeOffBalances();
    expectValid('time-off-balance', balances);
    let rows = 0;
    for (const [id, list] of emu.records.balances) {
      for (const row of list) {
        rows++;
        const b = balances.find(
          (x) => x.employee_remote_id === String(id) && x.policy_remote_id === String(row.id),
        );
        expect(b?.balance).toBe(row.balance);
        expect(b?.policy_name).toBe(row.name);
        expect(b?.employee_id).toBe(opaqueId('employee', id));
      }
    }
    expect(balances).toHaveLength(rows);
  });

  it('createEmployee posts to Personio and maps the created record', async () => {
    const boss = emu.records.employees[0];
    const created = await adapter.createEmployee({
      first_name: 'Ada',
      last_name: 'Lovelace',
      work_email: 'ada.lovelace@acme-demo.de',
      job_title: 'Engineer',
      gender: 'female',
      start_date: '2026-05-01',
      employment_status: 'pending',
      work_location: { id: null, remote_id: null, name: 'Berlin', type: 'office', address: null },
      groups: [{ id: null, remote_id: null, name: 'Engineering', type: 'department' }],
      manager: {
        id: opaqueId('employee', String(boss ? val(boss, 'id') : '')),
        remote_id: null,
        first_name: null,
        last_name: null,
        work_email: null,
      },
    });
    expectValid('employee', [created]);
    expect(created.first_name).toBe('Ada');
    expect(created.work_email).toBe('ada.lovelace@acme-demo.de');
    expect(created.employment_status).toBe('pending');
    expect(created.start_date).toBe('2026-05-01');
    expect(created.work_location?.name).toBe('Berlin');
    expect(created.groups?.find((g) => g.type === 'department')?.name).toBe('Engineering');
    expect(created.manager?.remote_id).toBe(String(boss && val(boss, 'id')));
    const stored = emu.records.employees.at(-1);
    expect(String(stored && val(stored, 'id'))).toBe(created.remote_id);
  });

  it('createEmployee without an email is refused before any call (Personio requires one)', async () => {
    const before = emu.stats.dataCalls;
    await expect(adapter.createEmployee({ first_name: 'No', last_name: 'Mail' })).rejects.toMatchObject({
      kind: 'bad_response',
    });
    expect(emu.stats.dataCalls).toBe(before);
  });

  it('raw() passthrough returns status and body and never leaks the bearer token', async () => {
    const res = await adapter.client.raw({ path: '/company/time-off-types' });
    expect(res.status).toBe(200);
    expect((res.body as { data: unknown[] }).data).toHaveLength(emu.records.timeOffTypes.length);
    expect(res.headers['authorization']).toBeUndefined();
    const missing = await adapter.client.raw({ path: '/company/employees/1' });
    expect(missing.status).toBe(404);
    await expect(adapter.client.raw({ path: '/../../etc/passwd' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
    await expect(adapter.client.raw({ path: 'http://evil.example/x' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });

  it('the token is kept in connection state, so a second adapter does not call /auth again', async () => {
    const state = memoryState();
    const first = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials, state));
    await first.client.raw({ path: '/company/time-off-types' });
    const auths = emu.stats.authCalls;
    const second = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials, state));
    await second.client.raw({ path: '/company/time-off-types' });
    expect(emu.stats.authCalls).toBe(auths);
  });

  it('a token handed back in the Authorization header is adopted (no extra /auth after rotation)', async () => {
    const a = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials));
    await a.groups();
    const auths = emu.stats.authCalls;
    emu.knobs.rotateToken = true;
    await a.groups();
    await a.groups();
    expect(emu.stats.authCalls).toBe(auths);
  });
});

describe('personio pagination', () => {
  it('1,000 employees over 10 pages: every record exactly once, pages fetched concurrently', async () => {
    const big = await startEmulator({ employees: 1000, seed: 3, knobs: { latencyMs: 20 } });
    try {
      const a = createPersonioAdapter(contextFor(big.baseUrl, big.credentials));
      const employees = await a.employees();
      expect(employees).toHaveLength(1000);
      expect(new Set(employees.map((e) => e.remote_id)).size).toBe(1000);
      expect(new Set(employees.map((e) => e.remote_id))).toEqual(
        new Set(big.records.employees.map((e) => String(val(e, 'id')))),
      );
      // Pages after the first are requested together (bounded by the client's concurrency of 8).
      expect(big.stats.maxInFlight).toBeGreaterThan(1);
      expect(big.stats.requests.filter((r) => r.startsWith('/v1/company/employees?')).length).toBe(10);
    } finally {
      await big.close();
    }
  });
});
