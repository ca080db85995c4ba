/** Every emulator fault knob produces the documented ProviderError, and a passing fault leaves a complete result. */
import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { type GustoAdapter, createGustoAdapter } from './adapter.js';
import type { GustoClientOptions } from './client.js';
import { type EmulatorOptions, type GustoEmulator, startEmulator } from './emulator/server.js';
import { UNPACED, contextFor } from './test-support.js';

const open: GustoEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function setup(
  emulator: EmulatorOptions = {},
  options: GustoClientOptions = {},
): Promise<{ emu: GustoEmulator; adapter: GustoAdapter }> {
  const emu = await startEmulator({
    employees: 250,
    seed: 11,
    ...emulator,
    knobs: { rateLimitPerMinute: 0, ...emulator.knobs },
  });
  open.push(emu);
  // The company uuid is given, so every fault meets the call under test rather than `/v1/token_info`.
  const ctx = contextFor(emu.baseUrl, { ...emu.credentials, company_uuid: emu.records.company.uuid });
  const adapter = createGustoAdapter(ctx, { ...UNPACED, retries: 2, readTimeoutMs: 2_000, ...options });
  return { emu, adapter };
}

describe('gusto faults', () => {
  it('401 that a refresh cannot cure (grant revoked) → reauthentication_required', async () => {
    const { emu, adapter } = await setup();
    emu.knobs.expireToken = true;
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('403 (a scope missing) → insufficient_permission, no refresh attempted', async () => {
    const { emu, adapter } = await setup({ knobs: { forbidden: true } });
    const err = await failure(adapter.payruns({ start_date: '2025-01-01', end_date: '2025-06-30' }));
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('insufficient_permission');
    expect(emu.stats.tokenCalls).toBe(0);
  });

  it('a 500 is not retried and maps to unavailable', async () => {
    const { emu, adapter } = await setup({ knobs: { failEvery: 1, status5xx: 500 } });
    const err = await failure(adapter.groups());
    expect(err.kind).toBe('unavailable');
    expect(emu.stats.apiRequests).toBe(1);
  });

  it('a slow token endpoint during a refresh → read timeout → unavailable, not reauthentication', async () => {
    const { emu, adapter } = await setup(
      { knobs: { tokenLatencyMs: 1_500 } },
      { readTimeoutMs: 300, retries: 0 },
    );
    emu.expireAccessTokens();
    const err = await failure(adapter.groups());
    expect(err.kind).toBe('unavailable');
  });

  it('malformed JSON → bad_response', async () => {
    const { emu, adapter } = await setup({ knobs: { malformedJson: true } });
    expect((await failure(adapter.timeOffEntries(null))).kind).toBe('bad_response');
    const payroll = emu.records.payrolls[0]?.payroll_uuid ?? '';
    expect((await failure(adapter.payslips(payroll))).kind).toBe('bad_response');
  });

  it('a persistently short page in the middle of a list → bad_response, never a list with a hole', async () => {
    const { adapter } = await setup({ knobs: { shortPage: true } });
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/page 2 has 50 of 100/);
  });

  it('a short page once is fetched again and the list is complete', async () => {
    const { emu, adapter } = await setup({ knobs: { shortPage: 'once' } });
    const employees = await adapter.employees();
    expect(new Set(employees.map((e) => e.id)).size).toBe(250);
    expect(emu.knobs.shortPage).toBe(false);
  });

  it('a short page of payroll compensations (paged inside the payroll) → bad_response', async () => {
    const { emu, adapter } = await setup({ knobs: { shortPage: true } });
    const regular = emu.records.payrolls.find((p) => !p.off_cycle && p.processed);
    const err = await failure(adapter.payslips(regular?.payroll_uuid ?? ''));
    expect(err.kind).toBe('bad_response');
  });

  it('an unknown payrun is null (→ 404), not an error', async () => {
    const { adapter } = await setup();
    expect(await adapter.payslips('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
