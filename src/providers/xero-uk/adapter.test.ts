/**
 * The Xero adapter against the emulator, field by field against the emulator's own records (money against the exact
 * pence the emulator generated), every list also valid against the Affix contract's schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type XeroAdapter, createXeroAdapter } from './adapter.js';
import { EMULATOR_TODAY } from './emulator/data.js';
import { type XeroEmulator, startEmulator } from './emulator/server.js';
import { xeroUkProvider } from './provider.js';
import type { XeroEmployee } from './raw.js';
import { assertContract } from '../../testing/unified.js';
import { emulatorContext, UNLIMITED, UNPACED } from './test-support.js';

/** Tables the mappers must implement, written independently of them. */
const CONTRACT_TYPE: Record<string, string | null> = {
  FullTime: 'full_time',
  PartTime: 'part_time',
  ZeroHour: 'other',
  Unspecified: null,
};
const CALENDAR_FREQUENCY: Record<string, string> = {
  Weekly: 'weekly',
  Fortnightly: 'biweekly',
  Monthly: 'monthly',
};
const day = (v: string | null | undefined) => (v ? v.slice(0, 10) : null);
const tenths = (n: number) => Math.round(n * 10) / 10;

function expectedStatus(e: XeroEmployee): string {
  if (e.endDate && day(e.endDate)! < EMULATOR_TODAY) return 'inactive';
  if (e.startDate && day(e.startDate)! > EMULATOR_TODAY) return 'pending';
  return 'active';
}

function expectedType(e: XeroEmployee): string | null {
  if (e.isOffPayrollWorker) return 'contractor';
  const started = (e.contracts ?? [])
    .filter((c) => day(c.startDate)! <= EMULATOR_TODAY)
    .sort((a, b) => (day(a.startDate) ?? '').localeCompare(day(b.startDate) ?? ''));
  const contract = started.at(-1) ?? e.contracts?.[0];
  return contract ? (CONTRACT_TYPE[contract.contractType ?? ''] ?? null) : null;
}

describe('Xero Payroll UK adapter against the emulator', () => {
  let emu: XeroEmulator;
  let adapter: XeroAdapter;

  beforeAll(async () => {
    emu = await startEmulator({ employees: 60, seed: 7, knobs: UNLIMITED });
    adapter = createXeroAdapter(emulatorContext(emu), UNPACED);
  });
  afterAll(() => emu.close());

  it('declares the provider as data', () => {
    expect(xeroUkProvider.id).toBe('xero uk');
    expect(xeroUkProvider.modes).toEqual(['official']);
    expect(xeroUkProvider.auth).toEqual({ official: 'oauth2' });
    expect(xeroUkProvider.fields.official?.map((f) => [f.name, f.secret, f.required])).toEqual([
      ['client_id', false, true],
      ['client_secret', true, true],
      ['refresh_token', true, true],
      ['tenant_id', false, true],
    ]);
    for (const f of xeroUkProvider.fields.official ?? []) {
      const value = emu.credentials[f.name as keyof XeroEmulator['credentials']];
      expect(new RegExp(f.pattern ?? '').test(value), f.name).toBe(true);
    }
    expect(xeroUkProvider.logo).toMatch(/^data:image\/svg\+xml,/);
    expect(xeroUkProvider.defaultBaseUrl).toBe('https://api.xero.com/payroll.xro/2.0');
  });

  it('verify() succeeds with the emulator credentials', async () => {
    await expect(adapter.verify()).resolves.toBeUndefined();
  });

  it('employees() match the raw employees field by field, compensation from salary and wages', async () => {
    const employees = await adapter.employees();
    assertContract('/employees', employees);
    expect(employees.map((e) => e.id)).toEqual(emu.records.employees.map((e) => e.employeeID));
    const calendars = new Map(emu.records.calendars.map((c) => [c.payrollCalendarID, c]));
    const byId = new Map(employees.map((e) => [e.id, e]));
    const statuses = new Set<string | null>();
    for (const raw of emu.records.employees) {
      const e = byId.get(raw.employeeID ?? '');
      if (!e) throw new Error(`missing ${raw.employeeID}`);
      statuses.add(e.employment_status);
      expect(e.remote_id).toBe(raw.employeeID);
      expect(e.first_name).toBe(raw.firstName);
      expect(e.last_name).toBe(raw.lastName);
      expect(e.display_full_name).toBe(`${raw.firstName} ${raw.lastName}`);
      expect(e.work_email).toBe(raw.email ?? null);
      expect(e.mobile_phone_number).toBe(raw.phoneNumber ?? null);
      expect(e.tax_id).toBe(raw.nationalInsuranceNumber);
      expect(e.gender).toBe(raw.gender === 'F' ? 'female' : 'male');
      expect(e.date_of_birth).toBe(day(raw.dateOfBirth));
      expect(e.start_date).toBe(day(raw.startDate));
      expect(e.termination_date).toBe(day(raw.endDate));
      expect(e.remote_created_at).toBe(day(raw.createdDateUTC));
      expect(e.employment_status).toBe(expectedStatus(raw));
      expect(e.employment_type).toBe(expectedType(raw));
      expect(e.home_location).toEqual({
        street_address: [raw.address?.addressLine1, raw.address?.addressLine2].filter(Boolean).join(', '),
        locality: raw.address?.city,
        administrative_area: null,
        country: 'GB',
        post_code: raw.address?.postCode,
      });
      const calendar = calendars.get(raw.payrollCalendarID);
      expect(e.groups).toEqual([
        {
          id: raw.payrollCalendarID,
          remote_id: raw.payrollCalendarID,
          name: calendar?.name?.trim(),
          type: 'pay_group',
        },
      ]);
      expect(e.custom_fields).toMatchObject({
        title: raw.title,
        payroll_calendar_id: raw.payrollCalendarID,
        is_off_payroll_worker: raw.isOffPayrollWorker,
        contracts: raw.contracts,
      });
      const salary = emu.records.salaryAndWages(raw.employeeID ?? '') ?? [];
      expect(e.compensation_history).toHaveLength(salary.length);
      for (const s of salary) {
        expect(e.compensation_history).toContainEqual(
          expect.objectContaining({
            pay_rate: s.paymentType === 'Salary' ? s.annualSalary : s.ratePerUnit,
            pay_period: s.paymentType === 'Salary' ? 'year' : 'hour',
            pay_frequency: CALENDAR_FREQUENCY[calendar?.calendarType ?? ''],
            currency: 'gbp',
            effective_date: day(s.effectiveFrom),
            employment_type: expectedType(raw),
          }),
        );
      }
      // Newest first.
      const dates = (e.compensation_history ?? []).map((c) => c.effective_date ?? '');
      expect(dates).toEqual([...dates].sort().reverse());
    }
    expect(statuses).toEqual(new Set(['active', 'inactive', 'pending']));
  });

  it('employees() over the compensation limit: compensation unknown (null), no per-employee calls', async () => {
    const before = emu.stats.byPath.get('/Employees/{id}/SalaryAndWages') ?? 0;
    const limited = createXeroAdapter(emulatorContext(emu), { ...UNPACED, compensationMaxEmployees: 59 });
    const employees = await limited.employees();
    expect(employees).toHaveLength(60);
    expect(employees.every((e) => e.compensation_history === null)).toBe(true);
    expect(emu.stats.byPath.get('/Employees/{id}/SalaryAndWages') ?? 0).toBe(before);
  });

  it('groups() are the payroll calendars, as pay groups', async () => {
    const groups = await adapter.groups();
    assertContract('/groups', groups);
    expect(groups).toEqual(
      emu.records.calendars.map((c) => ({
        id: c.payrollCalendarID,
        remote_id: c.payrollCalendarID,
        name: c.name?.trim(),
        type: 'pay_group',
      })),
    );
  });

  it('payruns(): paid in the range, with state, type (regular, off-cycle, correction) and period dates', async () => {
    const all = await adapter.payruns({ start_date: '2000-01-01', end_date: '2100-01-01' });
    assertContract('/payruns', all);
    const raw = emu.records.payRuns();
    expect(all.map((r) => r.id)).toEqual(raw.map((r) => r.payRunID));
    for (const r of raw) {
      expect(all.find((p) => p.id === r.payRunID)).toEqual({
        id: r.payRunID,
        remote_id: r.payRunID,
        state: r.payRunStatus === 'Posted' ? 'paid' : 'pending',
        type: { Scheduled: 'regular', Unscheduled: 'off_cycle', EarlierYearUpdate: 'correction' }[
          r.payRunType ?? ''
        ],
        start_date: day(r.periodStartDate),
        end_date: day(r.periodEndDate),
        payment_date: day(r.paymentDate),
      });
    }
    expect(new Set(all.map((r) => r.type))).toEqual(new Set(['regular', 'off_cycle', 'correction']));
    const may = await adapter.payruns({ start_date: '2026-05-01', end_date: '2026-05-31' });
    expect(may.length).toBeGreaterThan(0);
    expect(may.map((r) => r.id)).toEqual(
      raw
        .filter((r) => day(r.paymentDate)! >= '2026-05-01' && day(r.paymentDate)! <= '2026-05-31')
        .map((r) => r.payRunID),
    );
  });

  it('payslips(): every run, money in the exact pence the emulator generated, lines named', async () => {
    const names = new Map<string, string>([
      ...emu.records.earningsRates.map((r) => [r.earningsRateID, r.name] as const),
      ...emu.records.deductions.map((d) => [d.deductionId, d.deductionName] as const),
      ...emu.records.earningsOrders.map((o) => [o.id, o.name] as const),
    ]);
    let checked = 0;
    for (const run of emu.records.payRuns()) {
      const id = run.payRunID ?? '';
      const slips = await adapter.payslips(id);
      if (!slips) throw new Error(`no payslips for ${id}`);
      assertContract('/payruns/{payrun_id}', slips);
      const expected = emu.records.payslips(id) ?? [];
      expect(slips.map((s) => s.id)).toEqual(expected.map((s) => s.wire.paySlipID));
      for (const [i, { wire, pence }] of expected.entries()) {
        const s = slips[i]!;
        expect(s.employee_id).toBe(wire.employeeID);
        expect(s.payrun_id).toBe(id);
        expect(s.currency).toBe('gbp');
        expect(s.start_date).toBe(day(run.periodStartDate));
        expect(s.end_date).toBe(day(run.periodEndDate));
        expect(s.payment_date).toBe(day(run.paymentDate));
        expect(s.payrun_type).toBe(
          { Scheduled: 'regular', Unscheduled: 'off_cycle', EarlierYearUpdate: 'correction' }[
            run.payRunType ?? ''
          ],
        );
        expect(s.gross_pay).toBe(pence.gross);
        expect(s.net_pay).toBe(pence.net);
        expect(s.earnings?.map((e) => e.amount)).toEqual(pence.earnings);
        expect(s.deductions?.map((d) => d.amount)).toEqual([...pence.deductions, ...pence.courtOrders]);
        expect(s.taxes?.map((t) => [t.amount, t.employer_tax])).toEqual([
          ...pence.employeeTaxes.map((a) => [a, false]),
          ...pence.employerTaxes.map((a) => [a, true]),
        ]);
        expect(s.contributions?.map((c) => c.amount)).toEqual(pence.benefits);
        expect(s.reimbursements?.map((r) => r.amount)).toEqual(pence.reimbursements);
        const lines = [
          ...(wire.earningsLines ?? []),
          ...(wire.leaveEarningsLines ?? []),
          ...(wire.timesheetEarningsLines ?? []),
        ];
        expect(s.earnings?.map((e) => e.name)).toEqual(
          lines.map((l) => l.displayName ?? names.get(l.earningsRateID ?? '')),
        );
        expect(s.earnings?.map((e) => e.hours)).toEqual(
          lines.map((l) =>
            ['Bonus', 'Statutory Sick Pay'].includes(names.get(l.earningsRateID ?? '') ?? '')
              ? null
              : l.numberOfUnits,
          ),
        );
        expect(s.deductions?.map((d) => d.name)).toEqual([
          ...(wire.deductionLines ?? []).map((l) => names.get(l.deductionTypeID ?? '')),
          ...(wire.courtOrderLines ?? []).map((l) => names.get(l.courtOrderTypeID ?? '')),
        ]);
        expect(s.taxes?.map((t) => t.name)).toEqual([
          ...(wire.employeeTaxLines ?? []).map((l) => l.description),
          ...(wire.employerTaxLines ?? []).map((l) => l.description),
        ]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('payslips(): unknown pay run → null (404); a non-uuid id → null without asking Xero', async () => {
    expect(await adapter.payslips('00000000-0000-4000-8000-000000000000')).toBeNull();
    const before = emu.stats.requests;
    expect(await adapter.payslips('not-a-pay-run')).toBeNull();
    expect(emu.stats.requests).toBe(before);
  });

  it('timesheets(): one per line of every approved or completed timesheet; drafts left out; range by day', async () => {
    const all = await adapter.timesheets(null);
    assertContract('/timesheets', all);
    const final = emu.records.timesheets().filter((t) => t.status === 'Approved' || t.status === 'Completed');
    const lines = final.flatMap((t) => (t.timesheetLines ?? []).map((l) => ({ t, l })));
    expect(emu.records.timesheets().some((t) => t.status === 'Draft')).toBe(true);
    expect(all).toHaveLength(lines.length);
    const byId = new Map(all.map((s) => [s.id, s]));
    for (const { t, l } of lines) {
      expect(byId.get(l.timesheetLineID ?? '')).toEqual({
        id: l.timesheetLineID,
        remote_id: l.timesheetLineID,
        employee_id: t.employeeID,
        employee_remote_id: t.employeeID,
        start_time: `${day(l.date)}T00:00:00Z`,
        end_time: null,
        hours_worked: tenths(l.numberOfUnits ?? 0),
        remote_created_at: null,
        remote_modified_at: day(t.updatedDateUTC),
      });
    }
    const range = { start_date: '2026-06-10', end_date: '2026-06-20' };
    const some = await adapter.timesheets(range);
    expect(some.length).toBeGreaterThan(0);
    expect(some.map((s) => s.id).sort()).toEqual(
      lines
        .filter(({ l }) => day(l.date)! >= range.start_date && day(l.date)! <= range.end_date)
        .map(({ l }) => l.timesheetLineID)
        .sort(),
    );
  });

  it('timeOffEntries(): every leave, amount the sum of its periods, units from the balance (hours or days)', async () => {
    const entries = await adapter.timeOffEntries(null);
    assertContract('/time-off-entries', entries);
    const types = new Map(emu.records.leaveTypes.map((t) => [t.leaveTypeID, t.name]));
    let count = 0;
    const units = new Set<string>();
    for (const e of emu.records.employees) {
      const id = e.employeeID ?? '';
      const balances = emu.records.leaveBalances(id) ?? [];
      for (const l of emu.records.leave(id) ?? []) {
        count++;
        const entry = entries.find((x) => x.id === l.leaveID);
        const typeOfUnits = balances.find((b) => b.leaveTypeID === l.leaveTypeID)?.typeOfUnits;
        const unit = typeOfUnits === 'Days' ? 'days' : 'hours';
        units.add(unit);
        expect(entry).toEqual({
          id: l.leaveID,
          remote_id: l.leaveID,
          employee_id: id,
          employee_remote_id: id,
          start_date: day(l.startDate),
          end_date: day(l.endDate),
          amount: tenths((l.periods ?? []).reduce((a, p) => a + (p.numberOfUnits ?? 0), 0)),
          unit,
          status: 'approved',
          employee_note: l.description,
          policy_id: l.leaveTypeID,
          policy_remote_id: l.leaveTypeID,
          policy_name: types.get(l.leaveTypeID),
          policy_type: expect.any(String),
          remote_created_at: null,
          remote_modified_at: day(l.updatedDateUTC),
        });
      }
    }
    expect(entries).toHaveLength(count);
    expect(units).toEqual(new Set(['hours', 'days']));
    const range = { start_date: EMULATOR_TODAY, end_date: '2026-12-31' };
    const ahead = await adapter.timeOffEntries(range);
    expect(ahead.map((x) => x.id).sort()).toEqual(
      entries
        .filter((x) => (x.end_date ?? '') >= range.start_date)
        .map((x) => x.id)
        .sort(),
    );
  });

  it('timeOffBalances(): every balance of every employee, negative ones included', async () => {
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    const expected = emu.records.employees.flatMap((e) =>
      (emu.records.leaveBalances(e.employeeID ?? '') ?? []).map((b) => ({
        employee_id: e.employeeID,
        balance: b.balance,
        policy_id: b.leaveTypeID,
        policy_name: b.name,
      })),
    );
    expect(
      balances.map((b) => ({
        employee_id: b.employee_id,
        balance: b.balance,
        policy_id: b.policy_id,
        policy_name: b.policy_name,
      })),
    ).toEqual(expected);
    expect(balances.some((b) => (b.balance ?? 0) < 0)).toBe(true);
  });

  it('passthrough: an authenticated request with the tenant header, the provider status and body back', async () => {
    const ok = await adapter.passthrough({ path: '/PayRunCalendars' });
    expect(ok.status).toBe(200);
    expect((ok.body as { payRunCalendars: unknown[] }).payRunCalendars).toHaveLength(3);
    expect(ok.headers['content-type']).toMatch(/json/);
    const missing = await adapter.passthrough({ path: '/PayRuns/00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
  });
});
