/**
 * The adapter against the emulator, field by field against the emulator's own records (expected values are worked
 * out here from the raw records, not by calling the mappers), and every unified list valid against the Affix
 * contract's schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENCIES, type Employee } from '../../model/index.js';
import { assertContract } from '../../testing/unified.js';
import { createRemoteAdapter, type RemoteAdapter } from './adapter.js';
import { COUNTRIES } from './emulator/data.js';
import { type RemoteEmulator, startEmulator } from './emulator/server.js';
import { contextFor, UNPACED } from './test-support.js';

const decode = (id: string) => Buffer.from(id, 'base64url').toString('utf8');

describe('Remote adapter against the emulator', () => {
  let emu: RemoteEmulator;
  let adapter: RemoteAdapter;
  let employees: Employee[];

  beforeAll(async () => {
    // 230 employments = 3 pages of 100; details are read for all (cap raised above the count).
    emu = await startEmulator({ employees: 230, seed: 17 });
    adapter = createRemoteAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), {
      ...UNPACED,
      detailsMaxEmployees: 1000,
    });
    employees = await adapter.employees();
  });
  afterAll(() => emu.close());

  it('verify() accepts the token and refuses another one', async () => {
    await adapter.verify();
    const wrong = createRemoteAdapter(contextFor(emu.baseUrl, 'ra_test_wrong_token'), UNPACED);
    await expect(wrong.verify()).rejects.toMatchObject({
      kind: 'authentication',
      options: { code: 'incorrect_username_or_password' },
    });
  });

  it('employees: every employment once, in order, contract-valid, ids opaque', () => {
    assertContract('/employees', employees);
    expect(employees.map((e) => e.remote_id)).toEqual(emu.records.employments.map((e) => e.id));
    expect(decode(employees[0]?.id ?? '')).toBe(`remote.com:employment:${emu.records.employments[0]?.id}`);
  });

  it('employees: field by field against the raw employments', () => {
    const raw = new Map(emu.records.employments.map((e) => [e.id, e]));
    for (const e of employees) {
      const r = raw.get(e.remote_id);
      if (!r) throw new Error('record missing');
      const words = (r.full_name ?? '').split(' ');
      expect(e.display_full_name).toBe(r.full_name);
      expect(e.first_name).toBe(words[0]);
      expect(e.last_name).toBe(words.slice(1).join(' '));
      expect(e.job_title).toBe(r.job_title);
      expect(e.personal_email).toBe(r.personal_email);
      expect(e.work_email).toBe(r.basic_information?.['work_email'] ?? null);
      expect(e.date_of_birth).toBe(r.personal_details?.['birth_date']);
      expect(e.start_date).toBe(r.provisional_start_date);
      expect(e.remote_created_at).toBe(r.created_at?.slice(0, 10));
      expect(e.employment_status).toBe(
        r.status === 'active' ? 'active' : r.status === 'archived' ? 'inactive' : 'pending',
      );
      expect(e.employment_type).toBe(r.type === 'contractor' ? 'contractor' : null);
      expect(e.work_location).toBeNull();
      const address = r.address_details ?? {};
      expect(e.home_location).toEqual({
        street_address: [address['address'], address['address_line_2']].filter(Boolean).join(', '),
        locality: address['city'],
        administrative_area: null,
        country: r.country?.alpha_2_code,
        post_code: address['postal_code'],
      });
      expect(e.groups?.[0]?.remote_id ?? null).toBe(r.department_id ?? null);
      expect(e.groups?.[0]?.name ?? null).toBe(r.department ?? null);
      expect(e.manager?.remote_id ?? null).toBe(r.manager ?? null);
      if (r.manager) {
        const m = raw.get(r.manager);
        expect(e.manager?.first_name).toBe(m?.full_name?.split(' ')[0]);
      }
      const emergency = r.emergency_contact_details ?? {};
      expect(e.emergency_contacts?.[0]?.first_name ?? null).toBe(emergency['name'] ?? null);
      expect(e.emergency_contacts?.[0]?.relationship ?? null).toBe(emergency['relationship'] ?? null);
    }
  });

  it('employees: yearly salary in cents → pay_rate in major units per year, with its currency', () => {
    const raw = new Map(emu.records.employments.map((e) => [e.id, e]));
    let salaried = 0;
    for (const e of employees) {
      const r = raw.get(e.remote_id);
      const cents = r?.contract_details?.['annual_gross_salary'];
      if (typeof cents !== 'number') {
        expect(e.compensation_history).toBeNull();
        continue;
      }
      salaried++;
      const code = COUNTRIES.find((c) => c.code === r?.country?.code)?.currency.toLowerCase() ?? '';
      // A currency the contract's enum lacks (AUD) is null rather than invalid.
      const currency = (CURRENCIES as readonly string[]).includes(code) ? code : null;
      expect(e.compensation_history).toEqual([
        {
          pay_rate: cents / 100,
          pay_period: 'year',
          pay_frequency: null,
          employment_type: r?.type === 'contractor' ? 'contractor' : null,
          currency,
          effective_date: r?.provisional_start_date,
          notes: null,
        },
      ]);
    }
    expect(salaried).toBeGreaterThan(100);
    expect(employees.some((e) => e.compensation_history?.[0]?.currency === 'eur')).toBe(true);
    // Cents survive: some salaries end in .50.
    expect(employees.some((e) => (e.compensation_history?.[0]?.pay_rate ?? 0) % 1 === 0.5)).toBe(true);
  });

  it('employees above detailsMaxEmployees: served from the list alone, the same way for everyone', async () => {
    const before = emu.stats.requests;
    const capped = createRemoteAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), {
      ...UNPACED,
      detailsMaxEmployees: 229,
    });
    const list = await capped.employees();
    expect(emu.stats.requests - before).toBe(3);
    expect(list.map((e) => e.remote_id)).toEqual(employees.map((e) => e.remote_id));
    expect(list.every((e) => e.compensation_history === null && e.start_date === null)).toBe(true);
    expect(list.map((e) => e.job_title)).toEqual(employees.map((e) => e.job_title));
    assertContract('/employees', list);
  });

  it('company: name, tax number, address with the alpha-3 country as alpha-2', async () => {
    const company = await adapter.company();
    assertContract('/company', company);
    const r = emu.records.company;
    expect(company).toEqual([
      {
        id: expect.any(String),
        remote_id: r.id,
        legal_name: r.name,
        display_name: r.name,
        tax_id: r.tax_number,
        address: {
          street_address: `${r.address_details?.['address']}, Floor 2`,
          locality: 'London',
          administrative_area: 'England',
          country: 'GB',
          post_code: 'EC1A 1BB',
        },
      },
    ]);
  });

  it('groups: the company departments', async () => {
    const groups = await adapter.groups();
    assertContract('/groups', groups);
    expect(groups.map((g) => [g.remote_id, g.name, g.type])).toEqual(
      emu.records.departments.map((d) => [d.id, d.name, 'department']),
    );
  });

  it('time off entries: hours summed over the days, statuses, types, the range filter', async () => {
    const entries = await adapter.timeOffEntries(null);
    assertContract('/time-off-entries', entries);
    expect(entries.map((e) => e.remote_id)).toEqual(emu.records.timeoffs.map((t) => t.id));
    const status = {
      approved: 'approved',
      taken: 'approved',
      requested: 'pending',
      declined: 'rejected',
      cancelled: 'rejected',
    } as const;
    for (const [i, e] of entries.entries()) {
      const r = emu.records.timeoffs[i];
      if (!r) throw new Error('record missing');
      expect(e.employee_remote_id).toBe(r.employment_id);
      expect(e.start_date).toBe(r.start_date);
      expect(e.end_date).toBe(r.end_date);
      expect(e.unit).toBe('hours');
      expect(e.amount).toBe((r.timeoff_days ?? []).reduce((s, d) => s + (d.hours ?? 0), 0));
      expect(e.status).toBe(status[r.status as keyof typeof status]);
      expect(e.policy_remote_id).toBe(r.timeoff_type);
      expect(e.policy_type).toBe(
        r.timeoff_type === 'paid_time_off' ? 'vacation' : r.timeoff_type === 'sick_leave' ? 'sick' : null,
      );
      expect(e.employee_note).toBe(r.notes);
    }
    expect(entries.some((e) => e.amount % 8 === 4)).toBe(true);
    const range = { start_date: '2025-03-01', end_date: '2025-03-31' };
    const inRange = await adapter.timeOffEntries(range);
    expect(inRange.map((e) => e.remote_id)).toEqual(
      emu.records.timeoffs
        .filter((t) => (t.start_date ?? '') <= range.end_date && (t.end_date ?? '') >= range.start_date)
        .map((t) => t.id),
    );
    expect(inRange.length).toBeGreaterThan(0);
  });

  it('time off balances: one per entitlement in days, hours converted, negative remainders kept', async () => {
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    const expected = emu.records.employments.flatMap((e) => {
      const b = emu.records.balances.get(e.id ?? '');
      const perDay = b?.working_hours_per_day ?? 8;
      const days = (d: unknown) => {
        const x = d as { days: number; hours: number };
        return Math.round((x.days + x.hours / perDay) * 100) / 100;
      };
      return (b?.timeoff_entitlements ?? []).map((t) => [e.id, t.type, days(t.remaining), days(t.taken)]);
    });
    expect(balances.map((b) => [b.employee_remote_id, b.policy_remote_id, b.balance, b.used])).toEqual(
      expected,
    );
    expect(balances.some((b) => (b.balance ?? 0) < 0)).toBe(true);
    expect(balances.some((b) => (b.balance ?? 0) % 1 === 0.5)).toBe(true);
    // Contractors have no balance (404), and are skipped rather than failing the list.
    expect(new Set(balances.map((b) => b.employee_remote_id)).size).toBe(emu.records.balances.size);
  });
});
