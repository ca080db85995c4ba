/**
 * Deputy against its emulator, HTTP sign-in only (no browser): the form's hidden CSRF field, the authenticator
 * step, every outcome code, employees / groups / timesheets valid against the contract and equal to the emulator's
 * records (employees over several 500-row QUERY pages), a lost session re-signed-in once for concurrent reads, a
 * changed password → reauthentication_required, and a per-provider proxy carrying every request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { startCountingProxy } from '../../testing/counting-proxy.js';
import { memoryConnectionState } from '../../testing/memory-state.js';
import { webLoginTester } from '../../testing/web-login.js';
import { createDeputyAdapter } from './adapter.js';
import { type DeputyEmulator, startEmulator } from './emulator/server.js';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('Deputy (xhr, HTTP sign-in)', () => {
  let emu: DeputyEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 1_100, days: 7, seed: 9, knobs: { totpSecret: SECRET } });
  });
  afterAll(() => emu.close());
  afterEach(() => {
    Object.assign(emu.knobs, {
      password: 'Dep#uty2024',
      botWall: false,
      role: 'System Administrator',
      account: 'ok',
      totpSecret: SECRET,
    });
  });

  const t = webLoginTester(() => emu);
  const { ctx, code } = t;
  const good = { password: 'Dep#uty2024', totp_secret: SECRET };

  it('connect-time outcomes', async () => {
    expect(await code(createDeputyAdapter(ctx({ password: 'nope' })).verify())).toBe(
      'incorrect_username_or_password',
    );
    expect(await code(createDeputyAdapter(ctx({ password: good.password })).verify())).toBe('mfa_required');
    expect(await code(createDeputyAdapter(ctx({ password: good.password, otp: '000000' })).verify())).toBe(
      'incorrect_mfa_or_otp',
    );
    emu.knobs.botWall = true;
    expect(await code(createDeputyAdapter(ctx(good)).verify())).toBe('captcha_challenge');
    emu.knobs.botWall = false;
    emu.knobs.account = 'setup_required';
    expect(await code(createDeputyAdapter(ctx(good)).verify())).toBe('additional_account_setup_required');
    emu.knobs.account = 'no_workplace';
    expect(await code(createDeputyAdapter(ctx(good)).verify())).toBe('no_valid_accounts');
    emu.knobs.account = 'ok';
    emu.knobs.role = 'Employee';
    expect(await code(createDeputyAdapter(ctx(good)).verify())).toBe('insufficient_permission');
    emu.knobs.role = 'Supervisor';
    expect(await code(createDeputyAdapter(ctx(good)).verify())).toBe('ok');
  });

  it('employees (three QUERY pages), groups and timesheets: contract-valid and equal to the emulator records', async () => {
    const state = memoryConnectionState();
    await createDeputyAdapter(ctx(good, state)).verify();
    const adapter = createDeputyAdapter(ctx(good, state));
    const api = emu.stats.api;
    const employees = (await adapter.employees?.()) ?? [];
    expect(emu.stats.api - api).toBe(3);
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), employees);
    expect(employees.map((e) => e.remote_id)).toEqual(emu.data.employees.map((e) => String(e.Id)));
    const first = emu.data.employees[0];
    expect(employees[0]).toMatchObject({
      first_name: first?.FirstName,
      work_email: emu.data.contacts.get(first?.Contact ?? 0)?.Email1,
      work_location: { remote_id: String(first?.Company) },
    });
    const groups = (await adapter.groups?.()) ?? [];
    assertValid(dataSchemaName('xhr', '/groups', 'get', '200'), groups);
    expect(groups.map((g) => g.name)).toEqual(emu.data.units.map((u) => u.OperationalUnitName));
    const sheets = (await adapter.timesheets?.(null)) ?? [];
    assertValid(dataSchemaName('xhr', '/timesheets', 'get', '200'), sheets);
    expect(sheets).toHaveLength(emu.data.timesheets.length);
    const from = emu.data.timesheets[100]?.Date ?? '';
    const ranged = (await adapter.timesheets?.({ start_date: from, end_date: from })) ?? [];
    expect(ranged.map((t) => t.remote_id)).toEqual(
      emu.data.timesheets.filter((t) => t.Date === from).map((t) => String(t.Id)),
    );
  });

  it('a lost session (401 from /api/v1): concurrent reads of several adapters sign in once, with the TOTP secret', async () => {
    const state = memoryConnectionState();
    const c = ctx(good, state);
    await createDeputyAdapter(c).verify();
    emu.expireSessions();
    const before = emu.stats.logins;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 ? createDeputyAdapter(c).groups?.() : createDeputyAdapter(c).timesheets?.(null),
      ),
    );
    expect(results.every((r) => (r?.length ?? 0) > 0)).toBe(true);
    expect(emu.stats.logins).toBe(before + 1);
  });

  it('password changed → reauthentication_required, the hook once, no login storm', async () => {
    const state = memoryConnectionState();
    const c = ctx(good, state);
    await createDeputyAdapter(c).verify();
    emu.expireSessions();
    emu.knobs.password = 'changed';
    t.hooks = 0;
    const failed = emu.stats.failedLogins;
    const codes = await Promise.all(
      Array.from({ length: 5 }, () => code(createDeputyAdapter(c).groups?.() ?? Promise.resolve())),
    );
    expect(codes).toEqual(Array(5).fill('reauthentication_required'));
    expect(t.hooks).toBe(1);
    expect(emu.stats.failedLogins - failed).toBe(1);
  });

  it('PROVIDER_DEPUTY_PROXY: sign-in and pages go through the proxy', async () => {
    const proxy = await startCountingProxy();
    try {
      const state = memoryConnectionState();
      await createDeputyAdapter(ctx(good, state, { proxyUrl: proxy.url })).verify();
      await createDeputyAdapter(ctx(good, state, { proxyUrl: proxy.url })).groups?.();
      expect(proxy.stats.requests + proxy.stats.tunnels).toBeGreaterThanOrEqual(1);
      expect(new Set(proxy.stats.hosts)).toEqual(new Set([new URL(emu.url).host]));
    } finally {
      await proxy.close();
    }
  });
});
