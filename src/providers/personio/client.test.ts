/** The Personio client paces to the documented rate limits; the emulator enforces them. */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { employeesFloorMs } from './emulator/server.js';
import { closeEmulators, emulatorWithAdapter as setup } from './test-support.js';

afterEach(closeEmulators);

describe('personio rate limits', () => {
  it('the client paces the employee list to 15 requests/s, so the emulator never answers 429', async () => {
    const { emu, adapter } = await setup({ employees: 200 }, { employeesPageSize: 10 });
    const started = Date.now();
    expect(await adapter.employees()).toHaveLength(200);
    const elapsed = Date.now() - started;
    // 20 pages: 15 at once, 5 more a second later. Exactly 20 list requests means no 429 retry happened.
    expect(emu.stats.requests.filter((r) => r.startsWith('/v1/company/employees?')).length).toBe(20);
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(1.5 * employeesFloorMs(20, 0) + 300);
  });

  it('the emulator enforces 15 requests/s on the employee list with 429 + Retry-After', async () => {
    const { emu } = await setup();
    const auth = await request(`${emu.baseUrl}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(emu.credentials),
    });
    const token = ((await auth.body.json()) as { data: { token: string } }).data.token;
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let i = 0; i < 16; i++) {
      const res = await request(`${emu.baseUrl}/company/employees?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body.dump();
      statuses.push(res.statusCode);
      if (res.statusCode === 429) retryAfter = res.headers['retry-after'];
    }
    expect(statuses.slice(0, 15).every((s) => s === 200)).toBe(true);
    expect(statuses[15]).toBe(429);
    expect(retryAfter).toBe('1');
  });

  it('employeesFloorMs: 100 pages at 15/s start over 6 s', () => {
    expect(employeesFloorMs(100, 5)).toBe(6_005);
    expect(employeesFloorMs(15, 5)).toBe(5);
  });
});
