import { describe, expect, it } from 'vitest';
import { type Mode, RESOURCES } from '../../model/index.js';
import { ProviderError } from '../errors.js';
import { memoryConnectionState } from '../../testing/memory-state.js';
import type { ProviderContext } from '../types.js';
import { SANDBOX_TEST_CREDENTIALS } from './credentials.js';
import { sandboxProvider } from './provider.js';
import { parseSandboxSettings } from './settings.js';

function ctx(
  mode: Mode,
  credentials: Record<string, string>,
  settings: Record<string, unknown> = {},
): ProviderContext {
  return {
    connectionId: 'con_test',
    mode,
    credentials,
    settings: { employees: 25, asOf: '2025-06-01', ...settings },
    state: memoryConnectionState(),
    requireTls: false,
  };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('sandbox declaration', () => {
  it('is data first: id, modes, auth, fields, every resource', () => {
    expect(sandboxProvider.id).toBe('sandbox');
    expect(sandboxProvider.displayName).toBe('Sandbox');
    expect(sandboxProvider.tags).toEqual(['hr', 'payroll', 'sandbox']);
    expect(sandboxProvider.modes).toEqual(['official', 'xhr']);
    expect(sandboxProvider.auth).toEqual({ official: 'api_key', xhr: 'password' });
    expect(sandboxProvider.fields.xhr?.map((f) => [f.name, f.secret])).toEqual([
      ['username', false],
      ['password', true],
    ]);
    expect(sandboxProvider.fields.official?.map((f) => [f.name, f.secret])).toEqual([['api_key', true]]);
    expect(sandboxProvider.fields.xhr?.[0]?.help).toContain('+mfa');
    expect(sandboxProvider.resources.xhr).toEqual(RESOURCES);
    expect(sandboxProvider.resources.official).toEqual(RESOURCES);
  });
});

describe('sandbox verify(): test credentials', () => {
  const xhr = (username: string, password = 'pw', otp?: string) =>
    sandboxProvider
      .connect(ctx('xhr', { username, password, ...(otp === undefined ? {} : { otp }) }))
      .verify();
  const official = (api_key: string) => sandboxProvider.connect(ctx('official', { api_key })).verify();

  it('any non-empty login connects', async () => {
    await expect(xhr('someone', 'secret')).resolves.toBeUndefined();
    await expect(official('anything')).resolves.toBeUndefined();
  });

  it('wrong-password / wrong-key / empty → incorrect_username_or_password', async () => {
    for (const p of [
      xhr('demo@example.com', 'wrong-password'),
      xhr('', 'pw'),
      xhr('x', ''),
      official('wrong-key'),
      official(''),
    ]) {
      const e = await failure(p);
      expect([e.kind, e.options.code]).toEqual(['authentication', 'incorrect_username_or_password']);
    }
  });

  it('+mfa asks for a code; 123456 passes; another code fails', async () => {
    const asked = await failure(xhr(SANDBOX_TEST_CREDENTIALS.mfa.username));
    expect(asked.kind).toBe('mfa_required');
    expect(asked.message).toBe('enter the 6-digit code');
    await expect(xhr(SANDBOX_TEST_CREDENTIALS.mfa.username, 'pw', '123456')).resolves.toBeUndefined();
    const wrong = await failure(xhr(SANDBOX_TEST_CREDENTIALS.mfa.username, 'pw', '654321'));
    expect([wrong.kind, wrong.options.code]).toEqual(['authentication', 'incorrect_mfa_or_otp']);
  });

  it.each([
    SANDBOX_TEST_CREDENTIALS.captcha,
    SANDBOX_TEST_CREDENTIALS.noAccounts,
    SANDBOX_TEST_CREDENTIALS.noPermission,
    SANDBOX_TEST_CREDENTIALS.setup,
  ])('$username → $code (xhr and official)', async ({ username, api_key, code }) => {
    expect((await failure(xhr(username))).options.code).toBe(code);
    expect((await failure(official(api_key))).options.code).toBe(code);
  });

  it('+expired connects, then data calls need reauthentication', async () => {
    const adapter = sandboxProvider.connect(
      ctx('xhr', { username: 'demo+expired@example.com', password: 'pw' }),
    );
    await expect(adapter.verify()).resolves.toBeUndefined();
    for (const call of [adapter.employees?.(), adapter.company?.(), adapter.timeOffEntries?.(null)]) {
      const e = await failure(call ?? Promise.resolve());
      expect([e.kind, e.options.code]).toEqual(['authentication', 'reauthentication_required']);
    }
  });
});

describe('sandbox adapter', () => {
  it('identity is the connecting admin, with their login as email', async () => {
    const adapter = sandboxProvider.connect(ctx('xhr', { username: 'boss@example.com', password: 'pw' }));
    const me = await adapter.identity?.();
    expect(me?.email).toBe('boss@example.com');
    expect(me?.name).toMatch(/\S+ \S+/);
    const viaKey = await sandboxProvider.connect(ctx('official', { api_key: 'k' })).identity?.();
    expect(viaKey?.email).toMatch(/@.+\.example\.com$/);
  });

  it('works without credentials (connections made by `affix sandbox-token`) and defaults the seed to the connection', async () => {
    const a = await sandboxProvider.connect(ctx('xhr', {})).employees?.();
    const b = await sandboxProvider.connect(ctx('xhr', {}, { seed: 'con_test' })).employees?.();
    const c = await sandboxProvider.connect(ctx('xhr', {}, { seed: 'other' })).employees?.();
    expect(a).toHaveLength(25);
    expect(b).toEqual(a);
    expect(c?.[1]?.id).not.toBe(a?.[1]?.id);
  });

  it('filters payruns by the range and serves their payslips', async () => {
    const adapter = sandboxProvider.connect(ctx('xhr', {}));
    const q1 = (await adapter.payruns?.({ start_date: '2025-01-01', end_date: '2025-03-31' })) ?? [];
    expect(q1.filter((p) => p.type === 'regular').map((p) => p.start_date)).toEqual([
      '2025-01-01',
      '2025-02-01',
      '2025-03-01',
    ]);
    const slips = await adapter.payslips?.(q1[0]!.id);
    expect(slips?.length).toBeGreaterThan(10);
    expect(await adapter.payslips?.('pr_nope')).toBeNull();
  });

  it('createEmployee returns a full employee and persists it through ctx.state', async () => {
    const c = ctx('xhr', {});
    const adapter = sandboxProvider.connect(c);
    const before = (await adapter.employees?.()) ?? [];
    const manager = before[2]!;
    const location = (await adapter.workLocations?.())![0]!;
    const group = (await adapter.groups?.())![0]!;
    const created = await adapter.createEmployee!({
      first_name: 'Ada',
      last_name: 'Lovelace',
      work_email: 'ada@example.com',
      start_date: '2025-09-01',
      manager: { id: manager.id, remote_id: null, first_name: null, last_name: null, work_email: null },
      work_location: { id: location.id, remote_id: null, name: null, type: null, address: null },
      groups: [{ id: group.id, remote_id: null, name: null, type: null }],
    });
    expect(created.id).toMatch(/^emp_[0-9a-z]{16}$/);
    expect(created.remote_id).toMatch(/^\d+$/);
    expect(created.display_full_name).toBe('Ada Lovelace');
    expect(created.employment_status).toBe('pending');
    expect(created.manager?.first_name).toBe(manager.first_name);
    expect(created.work_location).toEqual(location);
    expect(created.groups).toEqual([group]);
    expect(created.dependents).toEqual([]);
    expect(created.bank_account).toBeNull();

    // A second adapter on the same connection (as after a restart) sees it.
    const again = sandboxProvider.connect(c);
    const after = (await again.employees?.()) ?? [];
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toEqual(created);
    const second = await again.createEmployee!({ first_name: 'Alan', last_name: 'Turing' });
    expect(second.id).not.toBe(created.id);
    expect(second.employment_status).toBe('active');
    expect((await adapter.employees?.())?.length).toBe(before.length + 2);
    // Another connection does not.
    expect((await sandboxProvider.connect(ctx('xhr', {})).employees?.())?.length).toBe(before.length);
  });
});

describe('sandbox settings', () => {
  it('defaults: seed = connection, 50 employees, first day of the current UTC month', () => {
    const s = parseSandboxSettings({}, 'con_x', new Date('2025-03-17T23:59:00Z'));
    expect(s).toEqual({ seed: 'con_x', employees: 50, asOf: '2025-03-01', churn: 0, epoch: 0 });
  });

  it('accepts numeric strings and refuses nonsense', () => {
    expect(parseSandboxSettings({ employees: '1000', churn: '0.1', epoch: '3' }, 's').employees).toBe(1000);
    for (const bad of [
      { employees: 0 },
      { employees: 10_001 },
      { employees: 'many' },
      { asOf: '2025-13-01' },
      { churn: 2 },
      { epoch: -1 },
    ]) {
      expect(() => parseSandboxSettings(bad, 's')).toThrow(RangeError);
    }
    expect(() => sandboxProvider.connect(ctx('xhr', {}, { employees: 20_000 }))).toThrow(RangeError);
  });
});
