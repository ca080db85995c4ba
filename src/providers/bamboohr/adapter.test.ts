/**
 * The BambooHR adapter against its emulator: every resource is a valid unified object and matches the emulator's
 * raw records field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../../model/index.js';
import { ProviderError } from '../errors.js';
import { createBambooHrAdapter } from './adapter.js';
import { type Emulator, startEmulator } from './emulator/server.js';
import { bamboohrProvider } from './provider.js';
import { assertUnified } from '../../testing/unified.js';
import { contextFor } from './test-support.js';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ employees: 120, seed: 7 });
});
afterAll(async () => {
  await emu.close();
});

const adapter = () => createBambooHrAdapter(contextFor(emu));

describe('bamboohr adapter against the emulator', () => {
  it('verify() accepts the emulator credentials', async () => {
    await expect(adapter().verify()).resolves.toBeUndefined();
  });

  it('verify() with a wrong API key → incorrect_username_or_password', async () => {
    const bad = createBambooHrAdapter(contextFor(emu, { api_key: 'not-the-key' }));
    const err = await bad.verify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('authentication');
    expect((err as ProviderError).options.code).toBe('incorrect_username_or_password');
  });

  it('company() maps company information', async () => {
    const [company, ...rest] = await adapter().company();
    expect(rest).toHaveLength(0);
    assertUnified('company', [company]);
    const raw = emu.records.company;
    expect(company).toEqual({
      id: 'acme',
      remote_id: 'acme',
      legal_name: raw.legalName,
      display_name: raw.displayName,
      tax_id: null,
      address: {
        street_address: `${raw.address?.line1}, ${raw.address?.line2}`,
        locality: raw.address?.city,
        administrative_area: raw.address?.state,
        country: null,
        post_code: raw.address?.zip,
      },
    });
  });

  it('employees() returns every employee, each matching its raw record', async () => {
    const a = adapter();
    const [employees, groups, locations] = await Promise.all([a.employees(), a.groups(), a.workLocations()]);
    expect(employees).toHaveLength(emu.records.employees.length);
    const groupIds = new Set(groups.map((g) => g.id));
    const locationIds = new Set(locations.map((l) => l.id));
    const byId = new Map(employees.map((e) => [e.id, e]));
    const rawById = new Map(emu.records.employees.map((r) => [r.employeeId, r]));
    let withManager = 0;
    for (const raw of emu.records.employees) {
      const e = byId.get(raw.employeeId) as Employee;
      assertUnified('employee', [e]);
      expect(e.remote_id).toBe(raw.employeeId);
      expect(e.first_name).toBe(raw.firstName);
      expect(e.last_name).toBe(raw.lastName);
      expect(e.display_full_name).toBe(`${raw.preferredName ?? raw.firstName} ${raw.lastName}`);
      expect(e.job_title).toBe(raw.jobTitleName);
      expect(e.work_email).toBe(raw.workEmail);
      expect(e.personal_email).toBe(raw.homeEmail);
      expect(e.mobile_phone_number).toBe(raw.mobilePhone);
      expect(e.date_of_birth).toBe(raw.birthDate);
      expect(e.start_date).toBe(raw.hireDate);
      expect(e.avatar).toBe(raw.photoUrl);
      expect(e.employment_status).toBe(raw.status === 'Active' ? 'active' : 'inactive');
      const expectedType = {
        'Full-Time': 'full_time',
        'Part-Time': 'part_time',
        Contractor: 'contractor',
        Intern: 'other',
      }[raw.employmentStatusName ?? ''];
      expect(e.employment_type).toBe(expectedType);
      expect(e.groups).toEqual([
        {
          id: `department:${raw.departmentId}`,
          remote_id: raw.departmentId,
          name: raw.departmentName,
          type: 'department',
        },
        { id: `division:${raw.divisionId}`, remote_id: raw.divisionId, name: raw.divisionName, type: null },
      ]);
      for (const g of e.groups ?? []) expect(groupIds.has(g.id as string)).toBe(true);
      expect(e.work_location?.id).toBe(raw.locationId);
      expect(e.work_location?.name).toBe(raw.locationName);
      expect(locationIds.has(e.work_location?.id as string)).toBe(true);
      if (raw.reportsToId) {
        withManager++;
        const m = rawById.get(raw.reportsToId);
        expect(m).toBeDefined();
        expect(e.manager).toEqual({
          id: raw.reportsToId,
          remote_id: raw.reportsToId,
          first_name: m?.firstName,
          last_name: m?.lastName,
          work_email: m?.workEmail,
        });
        expect(byId.has(raw.reportsToId)).toBe(true);
      } else {
        expect(e.manager).toBeNull();
      }
      // Unmapped raw fields are kept, not dropped.
      expect(e.custom_fields).toMatchObject({ preferredName: raw.preferredName, middleName: raw.middleName });
    }
    expect(withManager).toBe(emu.records.employees.length - 1);
  });

  it('groups() lists current departments and divisions, not archived options', async () => {
    const groups = await adapter().groups();
    for (const g of groups) assertUnified('group', [g]);
    const expected = [
      ...emu.records.departments.map((d) => ({
        id: `department:${d.id}`,
        remote_id: String(d.id),
        name: d.name,
        type: 'department',
      })),
      ...emu.records.divisions.map((d) => ({
        id: `division:${d.id}`,
        remote_id: String(d.id),
        name: d.name,
        type: null,
      })),
    ];
    expect(groups).toEqual(expected);
    expect(groups.some((g) => g.name === emu.records.archivedDepartments[0]?.name)).toBe(false);
  });

  it('workLocations() maps job locations with addresses', async () => {
    const locations = await adapter().workLocations();
    expect(locations).toHaveLength(emu.records.locations.length);
    locations.forEach((l, i) => {
      assertUnified('location', [l]);
      const raw = emu.records.locations[i];
      expect(l.id).toBe(raw?.id);
      expect(l.name).toBe(raw?.label);
      if (raw?.address?.remoteLocation) {
        expect(l.type).toBe('remote');
        expect(l.address?.street_address).toBeNull();
      } else {
        expect(l.type).toBe('office');
        expect(l.address).toEqual({
          street_address: [raw?.address?.address1, raw?.address?.address2].filter(Boolean).join(', '),
          locality: raw?.address?.city,
          administrative_area: raw?.address?.state?.abbreviation,
          country: 'US',
          post_code: raw?.address?.zipcode,
        });
      }
    });
  });

  it('timeOffEntries(range) returns the overlapping requests with mapped status and policy', async () => {
    const range = { start_date: iso(Date.now() - 120 * DAY), end_date: iso(Date.now() + 60 * DAY) };
    const entries = await adapter().timeOffEntries(range);
    const expected = emu.records.timeOffRequests.filter(
      (r) => (r.end ?? '') >= range.start_date && (r.start ?? '') <= range.end_date,
    );
    expect(expected.length).toBeGreaterThan(10);
    expect(entries.map((e) => e.id)).toEqual(expected.map((r) => String(r.id)));
    const statusMap: Record<string, string | null> = {
      approved: 'approved',
      requested: 'pending',
      denied: 'rejected',
      canceled: null,
      superceded: null,
    };
    const policyMap: Record<string, string | null> = {
      Vacation: 'vacation',
      Sick: 'sick',
      Bereavement: 'bereavement',
      'Jury Duty': 'jury_duty',
      'Comp/In Lieu Time': null,
    };
    entries.forEach((e, i) => {
      assertUnified('time-off-entry', [e], { tenths: ['amount'] });
      const r = expected[i];
      expect(e.employee_id).toBe(String(r?.employeeId));
      expect(e.start_date).toBe(r?.start);
      expect(e.end_date).toBe(r?.end);
      expect(e.amount).toBe(r?.amount?.amount);
      expect(e.unit).toBe(r?.amount?.unit);
      expect(e.status).toBe(statusMap[r?.status?.status ?? '']);
      expect(e.policy_id).toBe(String(r?.type?.id));
      expect(e.policy_name).toBe(r?.type?.name);
      expect(e.policy_type).toBe(policyMap[r?.type?.name ?? '']);
      expect(e.employee_note).toBe(r?.notes?.employee ?? null);
      expect(e.remote_created_at).toBe(r?.created);
      expect(e.remote_modified_at).toBe(r?.status?.lastChanged);
    });
  });

  it('timeOffBalances() has every employee balance from the calculator', async () => {
    const balances = await adapter().timeOffBalances();
    const expected = emu.records.employees.flatMap((e) =>
      (emu.records.balances.get(e.employeeId) ?? []).map((b) => ({ employeeId: e.employeeId, ...b })),
    );
    expect(balances).toHaveLength(expected.length);
    balances.forEach((b, i) => {
      assertUnified('time-off-balance', [b]);
      const r = expected[i];
      expect(b.employee_id).toBe(r?.employeeId);
      expect(b.balance).toBe(Number(r?.balance));
      expect(b.used).toBe(Number(r?.usedYearToDate));
      expect(b.policy_id).toBe(r?.timeOffType);
      expect(b.policy_name).toBe(r?.name);
    });
  });

  it('timesheets(range) maps clock and hour entries', async () => {
    const range = { start_date: iso(Date.now() - 200 * DAY), end_date: iso(Date.now()) };
    const sheets = await adapter().timesheets(range);
    const expected = emu.records.timesheetEntries.filter(
      (t) => (t.date ?? '') >= range.start_date && (t.date ?? '') <= range.end_date,
    );
    expect(expected.length).toBeGreaterThan(50);
    expect(sheets.map((s) => s.id)).toEqual(expected.map((t) => String(t.id)));
    sheets.forEach((s, i) => {
      assertUnified('timesheet', [s], { tenths: ['hours_worked'] });
      const t = expected[i];
      expect(s.employee_id).toBe(String(t?.employeeId));
      expect(s.start_time).toBe(t?.start ?? null);
      expect(s.end_time).toBe(t?.end ?? null);
      expect(s.hours_worked).toBe(Math.round((t?.hours ?? 0) * 10) / 10);
      expect(s.remote_created_at).toBe(t?.createdAt?.slice(0, 10));
      expect(s.remote_modified_at).toBe(t?.updatedAt ? t.updatedAt.slice(0, 10) : null);
    });
  });

  it('createEmployee() posts to BambooHR and returns the created, mapped employee', async () => {
    const manager = emu.records.employees[3];
    const dept = emu.records.departments[2];
    const location = emu.records.locations[0];
    const created = await adapter().createEmployee({
      first_name: 'Panda',
      last_name: 'Bear',
      work_email: 'panda.bear@acme.example.com',
      job_title: 'Software Engineer',
      start_date: '2026-01-05',
      date_of_birth: '1990-04-01',
      employment_type: 'part_time',
      manager: {
        id: manager?.employeeId as string,
        remote_id: null,
        first_name: null,
        last_name: null,
        work_email: null,
      },
      groups: [{ id: null, remote_id: null, name: dept?.name as string, type: 'department' }],
      work_location: {
        id: null,
        remote_id: null,
        name: location?.label as string,
        type: null,
        address: null,
      },
      custom_fields: { shirtSize: 'M' },
    });
    assertUnified('employee', [created]);
    const raw = emu.records.employees.at(-1);
    expect(created.remote_id).toBe(raw?.employeeId);
    expect(created).toMatchObject({
      first_name: 'Panda',
      last_name: 'Bear',
      work_email: 'panda.bear@acme.example.com',
      job_title: 'Software Engineer',
      start_date: '2026-01-05',
      date_of_birth: '1990-04-01',
      employment_status: 'active',
      employment_type: 'part_time',
      manager: { id: manager?.employeeId, first_name: manager?.firstName, last_name: manager?.lastName },
      work_location: { id: location?.id, name: location?.label },
    });
    expect(created.groups?.[0]).toEqual({
      id: `department:${dept?.id}`,
      remote_id: String(dept?.id),
      name: dept?.name,
      type: 'department',
    });
    expect(emu.records.extraFields.get(created.remote_id)).toMatchObject({
      shirtSize: 'M',
      supervisorEId: manager?.employeeId,
    });
    // A later list includes it exactly once.
    const all = await adapter().employees();
    expect(all.filter((e) => e.id === created.id)).toHaveLength(1);
  });

  it('createEmployee() with an unknown department → bad_response, nothing partial', async () => {
    const before = emu.records.employees.length;
    const err = await adapter()
      .createEmployee({
        first_name: 'A',
        last_name: 'B',
        groups: [{ id: null, remote_id: null, name: 'No Such Dept', type: 'department' }],
      })
      .catch((e: unknown) => e);
    expect((err as ProviderError).kind).toBe('bad_response');
    expect(emu.records.employees.length).toBe(before);
  });

  it('an OAuth access token is sent as Bearer and works', async () => {
    const a = createBambooHrAdapter(
      contextFor(emu, { api_key: '', access_token: emu.credentials.access_token }),
    );
    await a.verify();
    expect((await a.employees()).length).toBe(emu.records.employees.length);
  });

  it('client.raw() makes an authenticated passthrough request and stays inside the API base', async () => {
    const a = adapter();
    const res = await a.client.raw({ method: 'GET', path: '/api/v1/company_information' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(emu.records.company);
    const missing = await a.client.raw({ path: '/api/v1/nope' });
    expect(missing.status).toBe(404);
    await expect(a.client.raw({ path: 'http://evil.example/x' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });

  it('the declaration matches the contract and the adapter', () => {
    expect(bamboohrProvider.id).toBe('bamboohr');
    expect(bamboohrProvider.modes).toEqual(['official']);
    expect(bamboohrProvider.logo?.startsWith('data:image/svg+xml,')).toBe(true);
    const fields = bamboohrProvider.fields.official ?? [];
    expect(fields.map((f) => [f.name, f.secret])).toEqual([
      ['company_domain', false],
      ['api_key', true],
    ]);
    const pattern = new RegExp(fields[0]?.pattern ?? '');
    expect(pattern.test('acme')).toBe(true);
    expect(pattern.test('acme.bamboohr.com')).toBe(false);
    const a = bamboohrProvider.connect(contextFor(emu));
    for (const m of [
      'employees',
      'company',
      'groups',
      'workLocations',
      'timeOffEntries',
      'timeOffBalances',
      'timesheets',
      'createEmployee',
    ] as const) {
      expect(typeof a[m]).toBe('function');
    }
  });

  it('the default base URL gets the company domain; a bad domain is refused before any request', () => {
    const ctx = { ...contextFor(emu), baseUrl: undefined };
    const a = createBambooHrAdapter({ ...ctx, credentials: { company_domain: 'Acme', api_key: 'k' } });
    expect(a.client.http.url('api/v1/employees').toString()).toBe(
      'https://acme.bamboohr.com/api/v1/employees',
    );
    expect(() =>
      createBambooHrAdapter({ ...ctx, credentials: { company_domain: 'evil.com/x', api_key: 'k' } }),
    ).toThrow(ProviderError);
  });
});
