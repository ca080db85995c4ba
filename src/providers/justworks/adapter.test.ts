/**
 * Justworks against its emulator, HTTP sign-in only (no browser): CSRF from the login page, the authenticator step,
 * every outcome code, employees / payruns / payslips valid against the contract and equal to the emulator's
 * records, a lost session re-signed-in once for concurrent reads, a changed password → reauthentication_required,
 * and a per-provider proxy carrying every request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { startCountingProxy } from '../../testing/counting-proxy.js';
import { memoryConnectionState } from '../../testing/memory-state.js';
import { webLoginTester } from '../../testing/web-login.js';
import { createJustworksAdapter } from './adapter.js';
import { type JwEmulator, startEmulator } from './emulator/server.js';
import { cents } from './mappers/to-unified.js';

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('Justworks (xhr, HTTP sign-in)', () => {
  let emu: JwEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 25, seed: 9, knobs: { totpSecret: SECRET } });
  });
  afterAll(() => emu.close());
  afterEach(() => {
    Object.assign(emu.knobs, {
      password: 'Justw0rks!',
      botWall: false,
      role: 'admin',
      account: 'ok',
      totpSecret: SECRET,
    });
  });

  const t = webLoginTester(() => emu);
  const { ctx, code } = t;
  const good = { password: 'Justw0rks!', totp_secret: SECRET };

  it('connect-time outcomes', async () => {
    expect(await code(createJustworksAdapter(ctx({ password: 'nope' })).verify())).toBe(
      'incorrect_username_or_password',
    );
    expect(await code(createJustworksAdapter(ctx({ password: good.password })).verify())).toBe(
      'mfa_required',
    );
    expect(await code(createJustworksAdapter(ctx({ password: good.password, otp: '000000' })).verify())).toBe(
      'incorrect_mfa_or_otp',
    );
    emu.knobs.botWall = true;
    expect(await code(createJustworksAdapter(ctx(good)).verify())).toBe('captcha_challenge');
    emu.knobs.botWall = false;
    emu.knobs.account = 'setup_required';
    expect(await code(createJustworksAdapter(ctx(good)).verify())).toBe('additional_account_setup_required');
    emu.knobs.account = 'ok';
    emu.knobs.role = 'employee';
    expect(await code(createJustworksAdapter(ctx(good)).verify())).toBe('insufficient_permission');
    emu.knobs.role = 'admin';
    expect(await code(createJustworksAdapter(ctx(good)).verify())).toBe('ok');
  });

  it('employees, payruns and payslips: contract-valid and equal to the emulator records', async () => {
    const state = memoryConnectionState();
    await createJustworksAdapter(ctx(good, state)).verify();
    const adapter = createJustworksAdapter(ctx(good, state));
    const employees = (await adapter.employees?.()) ?? [];
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), employees);
    expect(employees.map((e) => e.work_email).sort()).toEqual(
      emu.data.members.map((m) => m.work_email).sort(),
    );
    const runs = (await adapter.payruns?.({ start_date: '2000-01-01', end_date: '2100-01-01' })) ?? [];
    assertValid(dataSchemaName('xhr', '/payruns', 'get', '200'), runs);
    expect(runs).toHaveLength(24);
    const run = emu.data.payrolls[5];
    const slips = (await adapter.payslips?.(run?.uuid ?? '')) ?? [];
    assertValid(dataSchemaName('xhr', '/payruns/{payrun_id}', 'get', '200'), slips);
    const raw = emu.data.paystubs.get(run?.uuid ?? '') ?? [];
    expect(slips).toHaveLength(raw.length);
    expect(slips[0]?.gross_pay).toBe(cents(raw[0]?.gross_pay));
    expect(slips[0]?.currency).toBe('usd');
    expect(slips[0]?.taxes?.some((t) => t.employer_tax)).toBe(true);
    expect(await adapter.payslips?.('no-such-payroll')).toBeNull();
  });

  it('a lost session (redirect to /login): concurrent reads of several adapters sign in once, with the TOTP secret', async () => {
    const state = memoryConnectionState();
    const c = ctx(good, state);
    await createJustworksAdapter(c).verify();
    emu.expireSessions();
    const before = emu.stats.logins;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2
          ? createJustworksAdapter(c).employees?.()
          : createJustworksAdapter(c).payruns?.({ start_date: '2000-01-01', end_date: '2100-01-01' }),
      ),
    );
    expect(results.every((r) => (r?.length ?? 0) > 0)).toBe(true);
    expect(emu.stats.logins).toBe(before + 1);
  });

  it('password changed → reauthentication_required, the hook once, no login storm', async () => {
    const state = memoryConnectionState();
    const c = ctx(good, state);
    await createJustworksAdapter(c).verify();
    emu.expireSessions();
    emu.knobs.password = 'changed';
    t.hooks = 0;
    const failed = emu.stats.failedLogins;
    const codes = await Promise.all(
      Array.from({ length: 5 }, () => code(createJustworksAdapter(c).employees?.() ?? Promise.resolve())),
    );
    expect(codes).toEqual(Array(5).fill('reauthentication_required'));
    expect(t.hooks).toBe(1);
    expect(emu.stats.failedLogins - failed).toBe(1);
  });

  it('PROVIDER_JUSTWORKS_PROXY: sign-in and pages go through the proxy', async () => {
    const proxy = await startCountingProxy();
    try {
      const state = memoryConnectionState();
      await createJustworksAdapter(ctx(good, state, { proxyUrl: proxy.url })).verify();
      await createJustworksAdapter(ctx(good, state, { proxyUrl: proxy.url })).employees?.();
      expect(proxy.stats.requests + proxy.stats.tunnels).toBeGreaterThanOrEqual(1);
      expect(new Set(proxy.stats.hosts)).toEqual(new Set([new URL(emu.url).host]));
    } finally {
      await proxy.close();
    }
  });

  it('cents: exact decimal dollars', () => {
    expect([cents('1234.5'), cents('0.07'), cents('-3.10'), cents('12'), cents('1.234'), cents('x')]).toEqual(
      [123450, 7, -310, 1200, null, null],
    );
  });
});
