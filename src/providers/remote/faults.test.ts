/** Remote's own faults produce the documented ProviderError, and no call ever returns a partial list. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { createRemoteAdapter, type RemoteAdapterOptions } from './adapter.js';
import { DEFAULT_KNOBS, type RemoteEmulator, startEmulator } from './emulator/server.js';
import { contextFor, UNPACED } from './test-support.js';

describe('Remote fault knobs', () => {
  let emu: RemoteEmulator;
  const adapter = (options: RemoteAdapterOptions = {}) =>
    createRemoteAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), { ...UNPACED, ...options });

  beforeAll(async () => {
    // 250 employments = 3 pages, so a middle page exists.
    emu = await startEmulator({ employees: 250, seed: 11 });
  });
  afterEach(() => Object.assign(emu.knobs, DEFAULT_KNOBS));
  afterAll(() => emu.close());

  it("Remote's own 429 (no Retry-After, x-ratelimit-reset in ms) is waited out for that many ms, then retried", async () => {
    // Unpaced against a 3-per-600 ms window: the fourth request meets Remote's 429 and waits for the reset.
    emu.knobs.rateLimit = { requests: 3, perMs: 600 };
    const limited = emu.stats.rateLimited;
    const started = Date.now();
    const company = await adapter({ concurrency: 1 }).company();
    await adapter({ concurrency: 1 }).company();
    expect(company).toHaveLength(1);
    expect(emu.stats.rateLimited - limited).toBe(1);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(5_000);
  });

  it('a window longer than the client will wait → rate_limited with the true wait in seconds', async () => {
    emu.knobs.rateLimit = { requests: 1, perMs: 60_000 };
    const err = await failure(adapter({ maxRetryAfterMs: 1_000 }).company());
    expect(err.kind).toBe('rate_limited');
    expect(err.options.retryAfterSeconds).toBeGreaterThan(50);
    expect(err.options.retryAfterSeconds).toBeLessThanOrEqual(61);
  });
  // Last: the details still in flight when the list fails keep arriving at the emulator for a moment.
  it('an employment detail failing mid-way fails the whole list (no employee without the details others have)', async () => {
    emu.knobs.failEvery = 20;
    emu.knobs.status5xx = 500;
    const err = await failure(adapter({ detailsMaxEmployees: 1000, retries: 0 }).employees());
    expect(err.kind).toBe('unavailable');
  });
});
