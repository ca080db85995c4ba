/**
 * Smoke run against Prism serving Xero's published spec UNMODIFIED (static mode: it answers with the spec's own
 * examples). Proves the adapter speaks the real spec's dialect, not only our emulator's: its date forms, its nulls,
 * and its inconsistent example totals (`/LeaveTypes` announces 12 leave types and lists 2: walked twice, served).
 *
 * Nothing is stripped or merged: Prism loads the file as published. The spec has no token endpoint (Xero's identity
 * service is another API), so tokens come from the Xero emulator's `/connect/token`; Prism routes on the spec's path
 * keys without the server's `/payroll.xro/2.0`, so the base URL is the bare Prism root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';
import { type XeroAdapter, createXeroAdapter } from './adapter.js';
import { type XeroEmulator, startEmulator } from './emulator/server.js';
import { type Prism, startPrism } from '../../testing/prism.js';
import { assertContract } from '../../testing/unified.js';
import { UNLIMITED, UNPACED, providerContext } from './test-support.js';

const SPEC = providerSpec('xero-uk', 'xero-payroll-uk.yaml');
/** A pay run id from the spec's own examples (`GET /PayRuns`, `GET /Payslips`). */
const EXAMPLE_PAY_RUN = 'e0a59d82-6229-4be4-9d66-49891b4d933e';

describe('Xero Payroll UK adapter against Prism serving the published spec', () => {
  let prism: Prism | undefined;
  let tokens: XeroEmulator;
  let why = '';
  let adapter: XeroAdapter;
  const warnings: string[] = [];

  beforeAll(async () => {
    tokens = await startEmulator({ employees: 1, seed: 99, knobs: UNLIMITED });
    try {
      prism = await startPrism(SPEC);
    } catch (err) {
      why = String(err);
      return;
    }
    adapter = createXeroAdapter(
      providerContext({
        baseUrl: prism.url,
        credentials: { ...tokens.credentials },
      }),
      { ...UNPACED, tokenUrl: `${tokens.url}/connect/token`, warn: (m) => warnings.push(m) },
    );
  }, 70_000);

  afterAll(async () => {
    await prism?.stop();
    await tokens?.close();
  });

  const needPrism = (ctx: { skip: () => void }) =>
    skipOrFailInCi(ctx, prism ? null : why, 'xero prism smoke');

  it('verify() and employees(): the example employees with their example salary, valid against the contract', async (ctx) => {
    needPrism(ctx);
    await adapter.verify();
    const employees = await adapter.employees();
    assertContract('/employees', employees);
    expect(employees.map((e) => `${e.first_name} ${e.last_name}`)).toEqual([
      'Jack Allan',
      'Charlotte Danes',
      'Chelsea Serati',
    ]);
    expect(employees[0]?.compensation_history?.[0]).toMatchObject({
      pay_rate: 25000,
      pay_period: 'year',
      currency: 'gbp',
    });
    expect(employees[0]?.groups?.[0]).toMatchObject({ name: 'Weekly', type: 'pay_group' });
  });

  it('groups(), payruns() and payslips() of the example pay run', async (ctx) => {
    needPrism(ctx);
    assertContract('/groups', await adapter.groups());
    const runs = await adapter.payruns({ start_date: '2020-01-01', end_date: '2020-12-31' });
    assertContract('/payruns', runs);
    expect(runs.map((r) => [r.state, r.type])).toEqual([
      ['pending', 'regular'],
      ['paid', 'regular'],
    ]);
    const slips = await adapter.payslips(EXAMPLE_PAY_RUN);
    expect(slips).not.toBeNull();
    assertContract('/payruns/{payrun_id}', slips ?? []);
    expect(slips?.[0]).toMatchObject({ gross_pay: 48077, net_pay: 38654, currency: 'gbp' });
  });

  it('timesheets(), time-off entries and balances, valid against the contract', async (ctx) => {
    needPrism(ctx);
    const sheets = await adapter.timesheets(null);
    expect(sheets.length).toBeGreaterThan(0);
    assertContract('/timesheets', sheets);
    const entries = await adapter.timeOffEntries(null);
    expect(entries.length).toBeGreaterThan(0);
    assertContract('/time-off-entries', entries);
    expect(entries[0]).toMatchObject({
      amount: 40,
      unit: 'hours',
      policy_name: 'Holiday',
      policy_type: 'vacation',
    });
    // The example announces 12 leave types and lists 2: a hint, walked again and served.
    expect(warnings.some((w) => /\/LeaveTypes announced 12 records and returned 2/.test(w))).toBe(true);
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    expect(balances.map((b) => b.balance)).toContain(-80);
  });

  it('passthrough answers with the example', async (ctx) => {
    needPrism(ctx);
    const res = await adapter.passthrough({ path: '/PayRunCalendars' });
    expect(res.status).toBe(200);
    expect((res.body as { payRunCalendars: unknown[] }).payRunCalendars).toHaveLength(3);
  });
});
