/**
 * Benchmark P2 in miniature: a cold fetch of 10,000 employees (100 per page, 5 ms per page) must take at most 1.5×
 * the emulator's floor. Cursor pages are sequential by nature, so the floor is measured in the same run as the
 * least time a bare client (no mapping, no checks) needs to walk the same cursor chain; the theoretical floor
 * (`emulatorFloorMs`, pages × latency) is printed next to it.
 */
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBambooHrAdapter } from './adapter.js';
import { EMPLOYEE_FIELDS } from './mappers/to-employee.js';
import { type Emulator, emulatorFloorMs, startEmulator } from './emulator/server.js';
import { contextFor } from './test-support.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ employees: 10_000, seed: 1, knobs: { latencyMs: 5 } });
}, 30_000);
afterAll(async () => {
  await emu.close();
});

async function bareWalk(): Promise<number> {
  const auth = `Basic ${Buffer.from(`${emu.credentials.api_key}:x`).toString('base64')}`;
  const started = performance.now();
  let after: string | null = null;
  do {
    const q = new URLSearchParams({ fields: EMPLOYEE_FIELDS.join(','), 'page[limit]': '100' });
    if (after) q.set('page[after]', after);
    const res = await request(`${emu.url}/api/v1/employees?${q}`, { headers: { authorization: auth } });
    after = ((await res.body.json()) as { meta: { page: { nextCursor: string | null } } }).meta.page
      .nextCursor;
  } while (after);
  return performance.now() - started;
}

it('P2: 10,000 employees within 1.5× the emulator floor', async () => {
  await bareWalk(); // warm the emulator's code paths, as the floor should not pay for JIT
  const floor = await bareWalk();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const employees = await createBambooHrAdapter(contextFor(emu)).employees();
  const elapsed = performance.now() - started;
  console.info(
    `[bamboohr P2] adapter ${elapsed.toFixed(0)} ms, measured floor ${floor.toFixed(0)} ms, ` +
      `theoretical floor ${emulatorFloorMs(10_000, 5)} ms, rss +${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB`,
  );
  expect(employees).toHaveLength(10_000);
  expect(elapsed).toBeLessThanOrEqual(floor * 1.5);
}, 30_000);
