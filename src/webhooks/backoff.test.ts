/** The retry schedule: exponential with jitter, capped, never sooner than Retry-After; and the settings' bounds. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { backoffMs, retryAfterMs } from './delivery.js';

describe('webhook retry schedule', () => {
  it('doubles from the base, jittered within the upper half of each step, at most 6 hours', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 10_000, null, high))).toEqual([
      10_000, 20_000, 40_000, 80_000,
    ]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 10_000, null, low))).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(40, 10_000, null, high)).toBe(6 * 3_600_000);
  });

  it('waits at least Retry-After', () => {
    expect(backoffMs(1, 10, 5_000, () => 1)).toBe(5_000);
    expect(backoffMs(3, 10_000, 1_000, () => 1)).toBe(40_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it('refuses a timeout over 30 s and a retry window over 3 days', () => {
    expect(() => loadConfig({ WEBHOOK_TIMEOUT: '31s' })).toThrow(/WEBHOOK_TIMEOUT: at most 30s/);
    expect(() => loadConfig({ WEBHOOK_RETRY_WINDOW: '4d' })).toThrow(/WEBHOOK_RETRY_WINDOW: at most 3d/);
    expect(loadConfig({ WEBHOOK_TIMEOUT: '30s' }).webhookTimeoutMs).toBe(30_000);
  });
});
