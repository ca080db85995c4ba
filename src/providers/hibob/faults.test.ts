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

  it('429 with Retry-After is waited out and retried, then succeeds', async () => {
    emu.knobs.rateLimitEvery = 3;
    emu.knobs.retryAfterSeconds = 1;
    const before = emu.stats.rateLimited;
    const started = Date.now();
    const employees = await adapter().employees();
    expect(employees).toHaveLength(30);
    expect(emu.stats.rateLimited).toBeGreaterThan(before);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('persistent 429 → rate_limited with retryAfterSeconds', async () => {
    emu.knobs.rateLimitEvery = 1;
    emu.knobs.retryAfterSeconds = 1;
    const err = await failure(adapter({ retries: 1 }).workLocations());
    expect(err.kind).toBe('rate_limited');
    expect(err.options.retryAfterSeconds).toBe(1);
  });

  it('503 is retried, then → unavailable with retryAfterSeconds', async () => {
    Object.assign(emu.knobs, { failEvery: 1, status5xx: 503, retryAfterSeconds: 1 });
    const before = emu.stats.requests;
    const err = await failure(adapter({ retries: 1 }).groups());
    expect(err.kind).toBe('unavailable');
    expect(err.options.retryAfterSeconds).toBe(1);
    expect(emu.stats.requests - before).toBe(2);
  });

  it('a transient 503 inside a batched listing is retried and the listing completes', async () => {
    Object.assign(emu.knobs, { failEvery: 3, status5xx: 503, retryAfterSeconds: 0 });
    const employees = await adapter().employees();
    expect(new Set(employees.map((e) => e.id)).size).toBe(30);
  });

  it('500 on one request of a listing fails the whole call (never a partial result)', async () => {
    Object.assign(emu.knobs, { failEvery: 4, status5xx: 500 });
    const err = await failure(adapter().employees());
    expect(err.kind).toBe('unavailable');
  });

  it('hang → read timeout → unavailable', async () => {
    emu.knobs.hang = true;
    const started = Date.now();
    const err = await failure(adapter({ readTimeoutMs: 300, retries: 0 }).workLocations());
    expect(err.kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('malformed JSON → bad_response', async () => {
    emu.knobs.malformedJson = true;
    const err = await failure(adapter().employees());
    expect(err.kind).toBe('bad_response');
  });

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
