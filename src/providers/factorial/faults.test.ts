/** Every emulator fault knob produces the documented ProviderError, and no call ever returns a partial list. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFactorialAdapter } from './adapter.js';
import type { FactorialClientOptions } from './client.js';
import { DEFAULT_KNOBS, type FactorialEmulator, startEmulator } from './emulator/server.js';
import { apiKeyOf, contextFor } from './test-support.js';
import { providerFailure as failure } from '../../testing/provider-errors.js';

describe('Factorial fault knobs', () => {
  let emu: FactorialEmulator;
  const adapter = (options: FactorialClientOptions = {}) =>
    createFactorialAdapter(contextFor(emu.baseUrl, apiKeyOf(emu)), options);

  beforeAll(async () => {
    // 250 employees = 3 cursor pages, so a middle page exists.
    emu = await startEmulator({ employees: 250, seed: 11 });
  });
  afterEach(() => Object.assign(emu.knobs, DEFAULT_KNOBS));
  afterAll(() => emu.close());

  it('429 with Retry-After is waited out and retried, then succeeds', async () => {
    emu.knobs.rateLimitEvery = 3;
    emu.knobs.retryAfterSeconds = 1;
    const before = emu.stats.rateLimited;
    const started = Date.now();
    const employees = await adapter().employees();
    expect(employees).toHaveLength(250);
    expect(emu.stats.rateLimited).toBeGreaterThan(before);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('persistent 429 → rate_limited with the Retry-After seconds', async () => {
    emu.knobs.rateLimitEvery = 1;
    emu.knobs.retryAfterSeconds = 1;
    const err = await failure(adapter({ retries: 1 }).workLocations());
    expect(err.kind).toBe('rate_limited');
    expect(err.options.retryAfterSeconds).toBe(1);
  });

  it('503 is retried, then → unavailable with Retry-After', async () => {
    emu.knobs.failEvery = 1;
    emu.knobs.status5xx = 503;
    emu.knobs.retryAfterSeconds = 1;
    const before = emu.stats.requests;
    const err = await failure(adapter({ retries: 1 }).company());
    expect(err.kind).toBe('unavailable');
    expect(err.options.retryAfterSeconds).toBe(1);
    expect(emu.stats.requests - before).toBe(2);
  });

  it('one transient 503 inside a multi-page walk is retried and the walk completes', async () => {
    emu.knobs.failEvery = 4;
    emu.knobs.status5xx = 503;
    emu.knobs.retryAfterSeconds = 0;
    const employees = await adapter().employees();
    expect(new Set(employees.map((e) => e.remote_id)).size).toBe(250);
  });

  it('500 on a page fails the whole call (never a partial list)', async () => {
    emu.knobs.failEvery = 2;
    emu.knobs.status5xx = 500;
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
    const err = await failure(adapter().groups());
    expect(err.kind).toBe('bad_response');
  });

  it('a short page in the middle of a walk → bad_response, not a silent partial list', async () => {
    emu.knobs.shortPage = true;
    const err = await failure(adapter().employees());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/more follow/);
  });

  it('revoked credentials → reauthentication_required; at verify → incorrect_username_or_password', async () => {
    const a = adapter();
    await a.verify();
    emu.knobs.expireToken = true;
    const err = await failure(a.groups());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
    expect((await failure(a.verify())).options.code).toBe('incorrect_username_or_password');
  });

  it('403 → insufficient_permission', async () => {
    emu.knobs.forbidden = true;
    const err = await failure(adapter().timeOffBalances());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('insufficient_permission');
  });
});
