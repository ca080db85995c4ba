/**
 * The fault knobs every emulator shares (emulator-faults.ts), against every provider's adapter, the official API
 * providers' and the xhr providers' web apps alike: each knob gives the documented ProviderError, and no call ever
 * returns a partial list. What only one provider has (its token endpoint, short pages, its own limits; for the xhr
 * providers the session's expiry and re-login) stays in that provider's own tests; a revoke or short-page knob is
 * tested here for each emulator whose entry sets it. An entry that cannot run here (greytHR's browser login
 * without Chromium) is skipped, saying why.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../testing/provider-failure.js';
import { emulators, type RunningEmulator } from './emulators.js';

const unavailable = emulators.filter((e) => e.unavailable);
for (const e of unavailable) console.warn(`[tests] ${e.id} fault knobs SKIPPED: ${e.unavailable}`);
describe.skip.each(unavailable.map((e) => [e.id, e.unavailable] as const))('%s fault knobs (%s)', () => {
  it('skipped', () => {});
});

const runnable = emulators.filter((e) => !e.unavailable);
describe.each(runnable.map((e) => [e.id, e] as const))('%s fault knobs', (_id, entry) => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await entry.start();
  }, 60_000);
  afterEach(() => emu.reset());
  afterAll(() => emu.close());

  it('429 with Retry-After is waited out and retried; the list is complete', async () => {
    const adapter = await emu.adapter();
    Object.assign(emu.knobs, { rateLimitEvery: emu.transientEvery, retryAfterSeconds: 1 });
    const started = Date.now();
    const list = await emu.list(adapter);
    expect(new Set(list.map((r) => r.id)).size).toBe(emu.listLength);
    // At least one Retry-After of 1 s was honoured.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('persistent 429 → rate_limited with retryAfterSeconds', async () => {
    const adapter = await emu.adapter({ retries: 1 });
    Object.assign(emu.knobs, { rateLimitEvery: 1, retryAfterSeconds: 1 });
    const err = await failure(emu.single(adapter));
    expect(err.kind).toBe('rate_limited');
    expect(err.options.retryAfterSeconds).toBe(1);
  });

  it('503 is retried, then → unavailable with retryAfterSeconds', async () => {
    const adapter = await emu.adapter({ retries: 1 });
    Object.assign(emu.knobs, { failEvery: 1, status5xx: 503, retryAfterSeconds: 1 });
    const before = emu.requests();
    const err = await failure(emu.single(adapter));
    expect(err.kind).toBe('unavailable');
    expect(err.options.retryAfterSeconds).toBe(emu.retryAfter503 ?? 1);
    expect(emu.requests() - before).toBe(2);
  });

  it('a transient 503 inside a multi-page listing is retried and the listing completes', async () => {
    const adapter = await emu.adapter();
    Object.assign(emu.knobs, { failEvery: emu.transientEvery, status5xx: 503, retryAfterSeconds: 0 });
    const list = await emu.list(adapter);
    expect(new Set(list.map((r) => r.id)).size).toBe(emu.listLength);
  });

  it('500 on one page of a listing fails the whole call (never a partial result)', async () => {
    const adapter = await emu.adapter();
    Object.assign(emu.knobs, { failEvery: emu.failingEvery, status5xx: 500 });
    const err = await failure(emu.list(adapter));
    expect(err.kind).toBe('unavailable');
  });

  it('hang → read timeout → unavailable', async () => {
    const adapter = await emu.adapter({ readTimeoutMs: 300, retries: 0 });
    emu.knobs.hang = true;
    const started = Date.now();
    const err = await failure(emu.single(adapter));
    expect(err.kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('malformed JSON → bad_response', async () => {
    const adapter = await emu.adapter();
    emu.knobs.malformedJson = true;
    const err = await failure(emu.single(adapter));
    expect(err.kind).toBe('bad_response');
  });

  it('revoked credentials → reauthentication_required on the next call; at verify → incorrect_username_or_password', async (ctx) => {
    if (!emu.revoke) return ctx.skip();
    const adapter = await emu.adapter();
    emu.revoke();
    const err = await failure(emu.single(adapter));
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
    expect((await failure(adapter.verify())).options.code).toBe('incorrect_username_or_password');
  });

  it('a short page in the middle of a listing → bad_response, not a silent partial list', async (ctx) => {
    if (!emu.shortPage) return ctx.skip();
    const adapter = await emu.adapter();
    emu.shortPage.set();
    const err = await failure(emu.list(adapter));
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(emu.shortPage.message);
  });
});
