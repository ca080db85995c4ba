/**
 * The Gusto adapter against its emulator, field by field against the emulator's own records (read here the plain
 * way, not through the mappers), and every unified list checked against the contract's schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee, Payslip } from '../../model/index.js';
import { type GustoAdapter, createGustoAdapter } from './adapter.js';
import { type GustoEmulator, startEmulator } from './emulator/server.js';
import type { GustoEmployee, GustoPayroll } from './raw.js';
import { assertContract } from '../../testing/unified.js';
import { UNPACED, contextFor } from './test-support.js';

const EMPLOYEES = 180;
/** The emulator's off-cycle reasons that are not plain off-cycle runs. */
const OFF_CYCLE_TYPES: Record<string, string> = {
  Bonus: 'one_time',
  'Wage correction': 'correction',
  Reversal: 'reversal',
};
/** Dollars with at most two decimals → cents; plain float arithmetic is exact enough at this size. */
const cents = (v: unknown) => Math.round(Number(v) * 100);

function expectedStatus(e: GustoEmployee): Employee['employment_status'] {
  if (e.terminations?.some((t) => t.active)) return 'inactive';
  return e.onboarding_status === 'onboarding_completed' ? 'active' : 'pending';
}

describe('Gusto adapter against the emulator', () => {
  let emu: GustoEmulator;
  let adapter: GustoAdapter;

  beforeAll(async () => {
    emu = await startEmulator({ employees: EMPLOYEES, seed: 17, knobs: { rateLimitPerMinute: 0 } });
    adapter = createGustoAdapter(contextFor(emu.baseUrl, emu.credentials), UNPACED);
  }, 30_000);
  afterAll(() => emu?.close());

  it('verify() reads the token and the company; identity() is the admin who authorized the token', async () => {
    await adapter.verify();
    const identity = await adapter.identity();
    assertContract('/identity', identity);
    const admin = emu.records.admins.find((a) => a.uuid === emu.records.tokenInfo.resource_owner?.uuid);
    expect(identity).toEqual({
      name: `${admin?.first_name} ${admin?.last_name}`,
      email: admin?.email,
      phone_number: admin?.phone ?? null,
    });
  });

  it('company: names, EIN and the filing address', async () => {
    const companies = await adapter.company();
    assertContract('/company', companies);
    const raw = emu.records.company;
    const filing = emu.records.locations.find((l) => l.filing_address);
    expect(companies).toEqual([
      {
        id: raw.uuid,
        remote_id: raw.uuid,
        legal_name: raw.name,
        display_name: raw.trade_name,
        tax_id: raw.ein,
        address: {
          street_address: `${filing?.street_1}, ${filing?.street_2}`,
          locality: filing?.city,
          administrative_area: filing?.state,
          country: 'US',
          post_code: filing?.zip,
        },
      },
    ]);
  });

  it('groups are the departments; work locations the active company locations', async () => {
    const groups = await adapter.groups();
    assertContract('/groups', groups);
    expect(groups).toEqual(
      emu.records.departments.map((d) => ({
        id: d.uuid,
        remote_id: d.uuid,
        name: d.title,
        type: 'department',
      })),
    );
    const locations = await adapter.workLocations();
    assertContract('/work-locations', locations);
    const active = emu.records.locations.filter((l) => l.active);
    expect(active.length).toBeLessThan(emu.records.locations.length);
    expect(locations.map((l) => [l.id, l.address?.locality, l.address?.post_code])).toEqual(
      active.map((l) => [l.uuid, l.city, l.zip]),
    );
  });

  it('employees, field by field', async () => {
    const employees = await adapter.employees();
    assertContract('/employees', employees);
    expect(employees).toHaveLength(EMPLOYEES);
    const raw = new Map(emu.records.employees.map((e) => [e.uuid, e]));
    const statuses = new Set<string | null>();
    for (const e of employees) {
      const r = raw.get(e.id);
      expect(r, e.id).toBeDefined();
      if (!r) continue;
      const job = r.jobs?.[0];
      const manager = r.manager_uuid ? raw.get(r.manager_uuid) : undefined;
      const type = r.current_employment_status;
      statuses.add(e.employment_status);
      expect(e).toMatchObject({
        remote_id: r.uuid,
        employee_number: r.employee_code,
        first_name: r.first_name,
        last_name: r.last_name,
        display_full_name: `${r.preferred_first_name ?? r.first_name} ${r.last_name}`,
        work_email: r.work_email ?? null,
        personal_email: r.email ?? null,
        mobile_phone_number: r.phone ?? null,
        date_of_birth: r.date_of_birth,
        job_title: job?.title,
        start_date: r.hired_at,
        termination_date: r.terminations?.[0]?.effective_date ?? null,
        employment_status: expectedStatus(r),
        employment_type:
          type === 'full_time'
            ? 'full_time'
            : type?.startsWith('part_time')
              ? 'part_time'
              : type
                ? 'other'
                : null,
        groups: r.department_uuid
          ? [{ id: r.department_uuid, remote_id: r.department_uuid, name: r.department, type: 'department' }]
          : null,
        manager: manager
          ? {
              id: manager.uuid,
              remote_id: manager.uuid,
              first_name: manager.first_name,
              last_name: manager.last_name,
              work_email: manager.work_email ?? null,
            }
          : null,
        home_location: {
          locality: r.current_home_address.city,
          administrative_area: r.current_home_address.state,
          post_code: r.current_home_address.zip,
          country: 'US',
        },
        custom_fields: r.custom_fields.length ? { 'T-shirt size': r.custom_fields[0]?.value } : null,
      });
      expect(e.work_location?.id).toBe(job?.location_uuid);
      // Every effective-dated compensation, oldest first, in dollars per unit.
      expect(
        e.compensation_history?.map((c) => [c.pay_rate, c.pay_period, c.effective_date, c.currency]),
      ).toEqual(
        (job?.compensations ?? []).map((c) => [
          cents(c.rate) / 100,
          c.payment_unit === 'Hour' ? 'hour' : 'year',
          c.effective_date,
          'usd',
        ]),
      );
    }
    expect([...statuses].sort()).toEqual(['active', 'inactive', 'pending']);
    // A scheduled termination leaves the employee active until its date.
    const later = emu.records.employees.find((r) => r.terminations?.some((t) => !t.active));
    expect(employees.find((e) => e.id === later?.uuid)?.employment_status).toBe('active');
  });

  it('time off entries: hours summed per request, statuses, policies; the date filter is Gusto’s', async () => {
    const entries = await adapter.timeOffEntries(null);
    assertContract('/time-off-entries', entries);
    const policies = new Map(emu.records.policies.map((p) => [p.uuid, p]));
    const status = {
      pending: 'pending',
      approved: 'approved',
      consumed: 'approved',
      declined: 'rejected',
    } as const;
    expect(entries).toHaveLength(emu.records.timeOffRequests.length);
    for (const [i, r] of emu.records.timeOffRequests.entries()) {
      const days = Object.keys(r.days ?? {}).sort();
      const hours = Object.values(r.days ?? {}).reduce((a: number, h) => a + Math.round(Number(h) * 1000), 0);
      expect(entries[i]).toEqual({
        id: r.uuid,
        remote_id: r.uuid,
        employee_id: r.employee?.uuid,
        employee_remote_id: r.employee?.uuid,
        start_date: days[0],
        end_date: days.at(-1),
        amount: Math.round(hours / 100) / 10,
        unit: 'hours',
        status: status[r.status ?? 'pending'],
        employee_note: r.employee_note,
        policy_id: r.policy_uuid,
        policy_remote_id: r.policy_uuid,
        policy_name: policies.get(r.policy_uuid ?? '')?.name,
        policy_type:
          { vacation: 'vacation', sick: 'sick', personal_day: 'personal' }[r.policy_type ?? ''] ?? null,
        remote_created_at: null,
        remote_modified_at: null,
      });
    }
    const march = await adapter.timeOffEntries({ start_date: '2025-03-01', end_date: '2025-03-31' });
    expect(march.length).toBeGreaterThan(0);
    expect(march.length).toBeLessThan(entries.length);
    for (const e of march) expect(e.start_date! <= '2025-03-31' && e.end_date! >= '2025-03-01').toBe(true);
  });

  it('time off balances in hours, negative ones included', async () => {
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    const expected = emu.records.balances.flatMap((b) =>
      (b.balances ?? []).map((row) => [
        b.employee_uuid,
        row.policy_uuid,
        Number(row.balance_hours),
        Number(row.used_hours),
      ]),
    );
    expect(balances.map((b) => [b.employee_id, b.policy_id, b.balance, b.used])).toEqual(expected);
    expect(balances.some((b) => (b.balance ?? 0) < 0)).toBe(true);
    expect(balances.every((b) => b.policy_name && b.policy_type)).toBe(true);
  });

  it('payruns: regular, one-time, correction, off-cycle and reversal, processed or pending', async () => {
    const payruns = await adapter.payruns({ start_date: '2025-01-01', end_date: '2025-12-31' });
    assertContract('/payruns', payruns);
    const byId = new Map<string, GustoPayroll>(emu.records.payrolls.map((p) => [p.payroll_uuid ?? '', p]));
    expect(payruns).toHaveLength(emu.records.payrolls.length);
    for (const p of payruns) {
      const r = byId.get(p.id);
      expect(p).toEqual({
        id: r?.payroll_uuid,
        remote_id: r?.payroll_uuid,
        state: r?.processed ? 'paid' : 'pending',
        type: !r?.off_cycle ? 'regular' : (OFF_CYCLE_TYPES[r.off_cycle_reason ?? ''] ?? 'off_cycle'),
        start_date: r?.pay_period?.start_date,
        end_date: r?.pay_period?.end_date,
        payment_date: r?.check_date,
      });
    }
    expect(new Set(payruns.map((p) => p.type))).toEqual(
      new Set(['regular', 'one_time', 'correction', 'off_cycle', 'reversal']),
    );
    expect(new Set(payruns.map((p) => p.state))).toEqual(new Set(['paid', 'pending']));
    // The range filters: the first quarter up to 19 March holds five regular payrolls and no off-cycle one.
    const q1 = await adapter.payruns({ start_date: '2025-01-01', end_date: '2025-03-19' });
    expect(q1.map((p) => p.type)).toEqual(Array(5).fill('regular'));
  });

  it('payslips: cents from Gusto’s decimals, net = gross − employee taxes − deductions to the cent', async () => {
    const checked: Payslip[] = [];
    for (const payroll of emu.records.payrolls.filter((p) => p.processed)) {
      const uuid = payroll.payroll_uuid ?? '';
      const slips = await adapter.payslips(uuid);
      assertContract('/payruns/{payrun_id}', slips);
      const raw = emu.records.compensations(uuid) ?? [];
      expect(slips).toHaveLength(raw.length);
      for (const [i, s] of (slips ?? []).entries()) {
        const r = raw[i];
        expect(s).toMatchObject({
          id: `${uuid}:${r?.employee_uuid}`,
          employee_id: r?.employee_uuid,
          payrun_id: uuid,
          currency: 'usd',
          gross_pay: cents(r?.gross_pay),
          net_pay: cents(r?.net_pay),
          start_date: payroll.pay_period?.start_date,
          end_date: payroll.pay_period?.end_date,
          payment_date: payroll.check_date,
        });
        const earned = [...(r?.hourly_compensations ?? []), ...(r?.fixed_compensations ?? [])]
          .filter((l) => l.name !== 'Reimbursement' && cents(l.amount) !== 0)
          .map((l) => cents(l.amount));
        expect(s.earnings?.map((l) => l.amount).sort()).toEqual(earned.sort());
        const employeeTaxes = (s.taxes ?? [])
          .filter((t) => !t.employer_tax)
          .reduce((a, t) => a + t.amount, 0);
        const deducted = (s.deductions ?? []).reduce((a, d) => a + d.amount, 0);
        expect(s.gross_pay! - employeeTaxes - deducted).toBe(s.net_pay);
        expect(s.taxes?.length).toBe(r?.taxes?.filter((t) => cents(t.amount) !== 0).length);
        checked.push(s);
      }
    }
    const kinds = new Set(checked.map((s) => s.payrun_type));
    expect(kinds).toEqual(new Set(['regular', 'one_time', 'correction', 'off_cycle', 'reversal']));
    // Reversals pay back in the negative.
    expect(checked.filter((s) => s.payrun_type === 'reversal').every((s) => (s.gross_pay ?? 0) < 0)).toBe(
      true,
    );
    expect(checked.some((s) => s.earnings?.some((l) => l.hours !== null))).toBe(true);
    expect(checked.some((s) => (s.reimbursements ?? []).length > 0)).toBe(true);
  }, 30_000);

  it('an unknown payrun → null; passthrough reaches the API with the token and version', async () => {
    expect(await adapter.payslips('00000000-0000-4000-8000-000000000000')).toBeNull();
    const res = await adapter.passthrough({ path: '/v1/token_info' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(emu.records.tokenInfo);
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
  });
});
