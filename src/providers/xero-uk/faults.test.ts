/**
 * Every emulator fault knob produces the documented ProviderError (and Xero's own limits are met by the client's
 * pacing); no call ever returns a partial list.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type XeroAdapterOptions, createXeroAdapter } from './adapter.js';
import { XERO_LIMITS, XERO_PACE } from './client.js';
import { DEFAULT_KNOBS, type XeroEmulator, startEmulator } from './emulator/server.js';
import { failure } from '../../testing/provider-failure.js';
import { UNLIMITED, UNPACED, emulatorContext } from './test-support.js';

describe('Xero fault knobs', () => {
  let emu: XeroEmulator;
  /** An adapter whose token is already fetched, so a knob meets the payroll call it is about. */
  const warm = async (options: XeroAdapterOptions = {}) => {
    const adapter = createXeroAdapter(emulatorContext(emu), { ...UNPACED, ...options });
    await adapter.groups();
    return adapter;
  };

  beforeAll(async () => {
    // 250 employees: three pages, so page 2 is a middle page.
    emu = await startEmulator({ employees: 250, seed: 11, knobs: UNLIMITED });
  });
  afterEach(() => {
    Object.assign(emu.knobs, DEFAULT_KNOBS, UNLIMITED);
  });
  afterAll(() => emu.close());

  it('hang → read timeout → unavailable, for a payroll call and for the token endpoint', async () => {
    const adapter = await warm({ readTimeoutMs: 300, retries: 0 });
    emu.knobs.hang = true;
    const started = Date.now();
    expect((await failure(adapter.groups())).kind).toBe('unavailable');
    const cold = createXeroAdapter(emulatorContext(emu), { ...UNPACED, readTimeoutMs: 300, retries: 0 });
    expect((await failure(cold.groups())).kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('latency is only latency', async () => {
    const adapter = await warm();
    emu.knobs.latencyMs = 150;
    const started = Date.now();
    expect(await adapter.groups()).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('short page in the middle of /Employees → bad_response, not a silent partial list', async () => {
    const adapter = await warm({ compensationMaxEmployees: 0 });
    emu.knobs.shortPage = true;
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/page 2 of 3 has 50 records/);
  });

  it('an overstated total is a hint: walked twice, served as Xero consistently answers, with a warning', async () => {
    const warnings: string[] = [];
    const adapter = await warm({ compensationMaxEmployees: 0, warn: (m) => warnings.push(m) });
    emu.knobs.overstateTotal = true;
    expect(await adapter.employees()).toHaveLength(250);
    expect(warnings.some((w) => /\/Employees announced 251 records and returned 250/.test(w))).toBe(true);
  });

  it('expired or revoked access token → refreshed once; still refused → reauthentication_required', async () => {
    const adapter = await warm();
    emu.knobs.expireToken = true;
    const err = await failure(adapter.groups());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('revoked grant → reauthentication_required', async () => {
    emu.knobs.revokeGrant = true;
    const err = await failure(createXeroAdapter(emulatorContext(emu), UNPACED).groups());
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('403 (a tenant the grant cannot reach) → insufficient_permission', async () => {
    const ctx = emulatorContext(emu);
    const adapter = createXeroAdapter(
      { ...ctx, credentials: { ...ctx.credentials, tenant_id: '00000000-0000-4000-8000-000000000000' } },
      UNPACED,
    );
    const err = await failure(adapter.groups());
    expect(err.options.code).toBe('insufficient_permission');
  });
});

describe("Xero's documented limits", () => {
  it('the client paces to 5 in flight and 60 a minute (with slack), as developer.xero.com/faq/limits says', () => {
    expect(XERO_LIMITS).toEqual({ concurrent: 5, perMinute: 60, perDay: 5_000 });
    expect(XERO_PACE.requests).toBe(60);
    expect(XERO_PACE.perMs).toBeGreaterThan(60_000);
  });

  it('as shipped, the adapter never exceeds 5 calls in progress (the emulator enforcing it, slow answers)', async () => {
    const emu = await startEmulator({ employees: 1_200, seed: 12, knobs: { latencyMs: 30 } });
    try {
      // Production pacing and concurrency: only the clock is the emulator's.
      const adapter = createXeroAdapter(emulatorContext(emu), { now: UNPACED.now, warn: () => {} });
      expect(await adapter.employees()).toHaveLength(1_200);
      expect(emu.stats.rateLimited).toBe(0);
    } finally {
      await emu.close();
    }
  });

  it('pacing meets a per-minute limit (a minute scaled to 1 s): no 429, the walk spread over the windows', async () => {
    const emu = await startEmulator({
      employees: 1_400,
      seed: 13,
      knobs: { perMinute: 6, minuteMs: 1_000, concurrent: 5, perDay: 0 },
    });
    try {
      const adapter = createXeroAdapter(emulatorContext(emu), {
        // The slack stands for XERO_PACE's half second a minute, scaled up for a loaded test machine.
        rateLimit: { requests: 6, perMs: 1_300 },
        now: UNPACED.now,
        warn: () => {},
      });
      const started = Date.now();
      // 14 employee pages + calendars = 15 calls at 6 a second: at least two full windows.
      expect(await adapter.employees()).toHaveLength(1_400);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
      expect(emu.stats.rateLimited).toBe(0);
    } finally {
      await emu.close();
    }
  });

  it('a client ignoring the limits meets 429s (Retry-After, X-Rate-Limit-Problem) and backs off to completion', async () => {
    const emu = await startEmulator({
      employees: 1_400,
      seed: 14,
      knobs: { perMinute: 6, minuteMs: 1_000, concurrent: 5, perDay: 0, latencyMs: 20 },
    });
    try {
      const adapter = createXeroAdapter(emulatorContext(emu), { ...UNPACED, concurrency: 10, retries: 8 });
      expect(await adapter.employees()).toHaveLength(1_400);
      expect(emu.stats.rateLimited).toBeGreaterThan(0);
    } finally {
      await emu.close();
    }
  });

  it('the daily limit spent → rate_limited at once, with Retry-After until the day frees up', async () => {
    const emu = await startEmulator({
      employees: 10,
      seed: 15,
      knobs: { perDay: 2, perMinute: 0, concurrent: 0 },
    });
    try {
      const adapter = createXeroAdapter(emulatorContext(emu), UNPACED);
      await adapter.groups();
      await adapter.groups();
      const started = Date.now();
      const err = await failure(adapter.groups());
      expect(err.kind).toBe('rate_limited');
      expect(err.options.retryAfterSeconds).toBeGreaterThan(86_000);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await emu.close();
    }
  });
});
