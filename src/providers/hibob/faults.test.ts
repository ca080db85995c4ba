/** Every emulator fault knob produces the documented ProviderError, and no call ever returns a partial list. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHibobAdapter, type HibobAdapterOptions } from './adapter.js';
import { DEFAULT_KNOBS, type HibobEmulator, startEmulator } from './emulator/server.js';
import { providerContext, UNPACED } from './test-support.js';
import { failure } from '../../testing/provider-failure.js';

describe('HiBob fault knobs', () => {
  let emu: HibobEmulator;
  const adapter = (options: HibobAdapterOptions = {}) =>
    createHibobAdapter(providerContext({ baseUrl: emu.baseUrl, credentials: emu.credentials }), {
      ...UNPACED,
      // 30 employees in batches of 8: four search batches and four salaries requests.
      peopleBatch: 8,
      ...options,
    });

  beforeAll(async () => {
    emu = await startEmulator({ employees: 30, seed: 11, knobs: { ratePerMinute: 0 } });
  });
  afterEach(() => {
    Object.assign(emu.knobs, DEFAULT_KNOBS, { ratePerMinute: 0 });
  });
  afterAll(() => emu.close());

  it('short salaries pages: the cursor is followed to the end, every entry exactly once', async () => {
    const whole = await adapter().employees();
    emu.knobs.shortPage = true;
    const shortened = await adapter().employees();
    expect(shortened).toEqual(whole);
    const entries = shortened.flatMap((e) => e.compensation_history ?? []);
    expect(entries).toHaveLength([...emu.records.salaries.values()].flat().length);
  });

  it('a search batch short once is asked again and served whole', async () => {
    emu.knobs.shortSearch = 'flaky';
    const employees = await adapter().employees();
    expect(employees.map((e) => e.id)).toEqual(emu.records.employees.map((e) => e.id));
  });

  it('a search batch consistently short is served as HiBob answers it, the rest in order', async () => {
    emu.knobs.shortSearch = 'always';
    const employees = await adapter().employees();
    // Each batch of 8 consistently leaves out its last id.
    const missing = new Set([7, 15, 23, 29].map((i) => emu.records.employees[i]?.id));
    expect(employees.map((e) => e.id)).toEqual(
      emu.records.employees.map((e) => e.id).filter((id) => !missing.has(id)),
    );
  });

  it('revoked token → reauthentication_required, asked once (HiBob’s WAF blocks repeated 401s)', async () => {
    const a = adapter();
    await a.verify();
    emu.knobs.expireToken = true;
    const before = emu.stats.requests;
    const err = await failure(a.groups());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
    expect(emu.stats.requests - before).toBe(1);
  });

  it('403 → insufficient_permission, asked once', async () => {
    emu.knobs.forbidden = true;
    const before = emu.stats.requests;
    const err = await failure(adapter().timeOffBalances());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('insufficient_permission');
    // The policy types and the id list go out together; neither is repeated.
    expect(emu.stats.requests - before).toBe(2);
  });
});
