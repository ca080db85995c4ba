/** Every emulator fault knob produces the documented ProviderError; the documented rate limits are respected. */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.js';
import { type PersonioAdapterOptions, createPersonioAdapter } from './adapter.js';
import {
  type EmulatorOptions,
  type PersonioEmulator,
  employeesFloorMs,
  startEmulator,
} from './emulator/server.js';
import { personioProvider } from './provider.js';
import { contextFor } from './test-support.js';

const open: PersonioEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function setup(emulator: EmulatorOptions = {}, options: PersonioAdapterOptions = {}) {
  const emu = await startEmulator({ employees: 250, seed: 11, ...emulator });
  open.push(emu);
  const adapter = createPersonioAdapter(contextFor(emu.baseUrl, emu.credentials), {
    retries: 2,
    readTimeoutMs: 2_000,
    ...options,
  });
  return { emu, adapter };
}

async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected a ProviderError');
}

describe('personio faults', () => {
  it('bad credentials at verify → authentication incorrect_username_or_password', async () => {
    const { emu } = await setup();
    const adapter = personioProvider.connect(
      contextFor(emu.baseUrl, { client_id: emu.credentials.client_id, client_secret: 'wrong-secret-123' }),
    );
    const err = await failure(adapter.verify());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('incorrect_username_or_password');
    expect(emu.stats.dataCalls).toBe(0);
  });

  it('429 with Retry-After is retried and then succeeds', async () => {
    const { emu, adapter } = await setup({ knobs: { rateLimitEvery: 2, retryAfterSeconds: 1 } });
    const employees = await adapter.employees();
    expect(employees).toHaveLength(250);
    expect(emu.stats.dataCalls).toBeGreaterThan(3);
  });

  it('a 500 is not retried and maps to unavailable', async () => {
    const { emu, adapter } = await setup({ knobs: { failEvery: 1, status5xx: 500 } });
    const err = await failure(adapter.groups());
    expect(err.kind).toBe('unavailable');
    expect(emu.stats.dataCalls).toBe(1);
  });

  it('malformed JSON → bad_response', async () => {
    const { adapter } = await setup({ knobs: { malformedJson: true } });
    const err = await failure(adapter.timeOffEntries(null));
    expect(err.kind).toBe('bad_response');
  });

  it('a persistently short page in the middle → bad_response, never a silent partial list', async () => {
    const { adapter } = await setup({ knobs: { shortPage: true } });
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/announced/);
  });

  it('a short page once is fetched again and the list is complete', async () => {
    const { emu, adapter } = await setup({ knobs: { shortPage: 'once' } });
    const employees = await adapter.employees();
    expect(new Set(employees.map((e) => e.remote_id)).size).toBe(250);
    expect(emu.knobs.shortPage).toBe(false);
  });

  it('short time-off page (page-number pagination) → bad_response', async () => {
    const { adapter } = await setup({ employees: 400, knobs: { shortPage: true } }, { pageSize: 50 });
    const err = await failure(adapter.timeOffEntries(null));
    expect(err.kind).toBe('bad_response');
  });

  it('an expired token (401 once) is refreshed through /auth and the call succeeds', async () => {
    const { emu, adapter } = await setup();
    await adapter.groups();
    expect(emu.stats.authCalls).toBe(1);
    emu.knobs.expireToken = true;
    expect((await adapter.groups()).length).toBeGreaterThan(0);
    expect(emu.stats.authCalls).toBe(2);
  });

  it('401 that survives a refresh → reauthentication_required', async () => {
    const { adapter, emu } = await setup();
    emu.knobs.expireToken = 'always';
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('credentials revoked after connecting → reauthentication_required (not incorrect password)', async () => {
    const { emu } = await setup();
    const adapter = createPersonioAdapter(
      contextFor(emu.baseUrl, { client_id: emu.credentials.client_id, client_secret: 'revoked-secret-1' }),
    );
    const err = await failure(adapter.employees());
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('403 → insufficient_permission, after one fresh-token retry', async () => {
    const { adapter, emu } = await setup({ knobs: { forbidden: true } });
    const err = await failure(adapter.timesheets(null));
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('insufficient_permission');
    expect(emu.stats.authCalls).toBe(2);
  });

  it('verify() with valid credentials but no employee permission → insufficient_permission', async () => {
    const { adapter } = await setup({ knobs: { forbidden: true } });
    const err = await failure(adapter.verify());
    expect(err.options.code).toBe('insufficient_permission');
  });
});

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
