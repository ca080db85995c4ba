/**
 * The Gusto client's own logic against the emulator: OAuth refresh with rotating refresh tokens (kept in the
 * connection state, refreshed once under a race, adopted across adapters), the API version header, `page`/`per`
 * walks (totals as hints), the payroll date windows, and pacing to the documented rate limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { capturedLog } from '../../testing/provider-context.js';
import type { Employee } from '../../model/index.js';
import { createGustoAdapter, payrollWindows } from './adapter.js';
import { TOKENS_STATE_KEY, type TokenPair } from './auth.js';
import { GUSTO_API_VERSION, GUSTO_RATE_LIMIT, type GustoClientOptions } from './client.js';
import { type EmulatorOptions, type GustoEmulator, floorMs, startEmulator } from './emulator/server.js';
import { gustoProvider } from './provider.js';
import { UNPACED, contextFor, memoryState, refreshGrant } from './test-support.js';

const open: GustoEmulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

async function emulator(options: EmulatorOptions = {}): Promise<GustoEmulator> {
  const emu = await startEmulator({
    employees: 30,
    seed: 5,
    ...options,
    knobs: { rateLimitPerMinute: 0, ...options.knobs },
  });
  open.push(emu);
  return emu;
}

function adapterFor(emu: GustoEmulator, state = memoryState(), options: GustoClientOptions = UNPACED) {
  return createGustoAdapter(contextFor(emu.baseUrl, emu.credentials, state), {
    retries: 1,
    readTimeoutMs: 2_000,
    ...options,
  });
}

/** Spends a refresh token at the emulator directly, as a stale copy of the credentials would. */
async function spend(emu: GustoEmulator, refreshToken: string): Promise<number> {
  const res = await refreshGrant(emu, refreshToken);
  await res.body?.cancel();
  return res.status;
}

describe('gusto OAuth tokens', () => {
  it('an expired access token is refreshed once; the new pair is kept in the state; the old refresh token is dead', async () => {
    const emu = await emulator();
    const state = memoryState();
    const adapter = adapterFor(emu, state);
    await adapter.groups();
    expect(emu.stats.tokenCalls).toBe(0);
    expect(state.data.has(TOKENS_STATE_KEY)).toBe(false);

    emu.expireAccessTokens();
    expect((await adapter.groups()).length).toBeGreaterThan(0);
    expect(emu.stats.refreshes).toBe(1);
    const stored = state.data.get(TOKENS_STATE_KEY) as TokenPair;
    expect(stored).toMatchObject(emu.currentPair());
    expect(stored.expires_at).toBeGreaterThan(Date.now() + 7_000_000);
    // Rotation: the refresh token typed on the connect page no longer works at Gusto.
    expect(await spend(emu, emu.credentials.refresh_token)).toBe(401);
  });

  it('a refresh race: concurrent requests on an expired token refresh exactly once', async () => {
    const emu = await emulator({ knobs: { tokenLatencyMs: 150 } });
    const adapter = adapterFor(emu);
    await adapter.groups();
    emu.expireAccessTokens();
    const results = await Promise.all([
      adapter.groups(),
      adapter.workLocations(),
      adapter.company(),
      adapter.timeOffBalances(),
      adapter.employees(),
    ]);
    expect(results.every((r) => r.length > 0)).toBe(true);
    expect(emu.stats.tokenCalls).toBe(1);
    expect(emu.stats.refreshes).toBe(1);
  });

  it('two adapters of one connection (two fetch jobs) racing on an expired token refresh once between them', async () => {
    const emu = await emulator({ knobs: { tokenLatencyMs: 150 } });
    const state = memoryState();
    const a = adapterFor(emu, state);
    const b = adapterFor(emu, state);
    await Promise.all([a.groups(), b.groups()]);
    emu.expireAccessTokens();
    await Promise.all([a.employees(), b.employees(), a.workLocations(), b.timeOffEntries(null)]);
    expect(emu.stats.tokenCalls).toBe(1);
    expect(state.data.get(TOKENS_STATE_KEY)).toMatchObject(emu.currentPair());
  });

  it('an adapter still holding a replaced pair adopts the stored one instead of spending its dead refresh token', async () => {
    const emu = await emulator();
    const state = memoryState();
    const a = adapterFor(emu, state);
    const b = adapterFor(emu, state);
    await Promise.all([a.groups(), b.groups()]);
    emu.expireAccessTokens();
    await a.groups();
    expect(emu.stats.refreshes).toBe(1);
    // b still holds the connect-page pair: its access token answers 401, and its refresh token is spent.
    expect((await b.groups()).length).toBeGreaterThan(0);
    expect(emu.stats.tokenCalls).toBe(1);
  });

  it('a new adapter starts from the refreshed pair in the state, not from the spent connect-page pair', async () => {
    const emu = await emulator();
    const state = memoryState();
    const first = adapterFor(emu, state);
    await first.groups();
    emu.expireAccessTokens();
    await first.groups();
    const unauthorized = emu.stats.unauthorized;
    // The platform's provider.connect path, with the sealed state of the connection.
    const second = gustoProvider.connect(contextFor(emu.baseUrl, emu.credentials, state));
    expect((await second.groups?.())?.length).toBeGreaterThan(0);
    expect(emu.stats.tokenCalls).toBe(1);
    expect(emu.stats.unauthorized).toBe(unauthorized);
  });

  it('a stored pair that descends from other connect-page tokens is ignored', async () => {
    const emu = await emulator();
    const state = memoryState();
    await state.set(TOKENS_STATE_KEY, {
      access_token: 'an-old-connection-access-token',
      refresh_token: 'an-old-connection-refresh-token',
      expires_at: null,
      seed: 'not-these-credentials',
    });
    expect((await adapterFor(emu, state).groups()).length).toBeGreaterThan(0);
    expect(emu.stats.unauthorized).toBe(0);
  });

  it('a token known to expire within a minute is refreshed before it is used, without meeting a 401', async () => {
    const emu = await emulator({ knobs: { accessTokenTtlMs: 30_000 } });
    const adapter = adapterFor(emu);
    // The connect-page pair has no known expiry: it is used until Gusto refuses it.
    await adapter.groups();
    expect([emu.stats.refreshes, emu.stats.unauthorized]).toEqual([0, 0]);
    emu.expireAccessTokens();
    await adapter.groups();
    expect([emu.stats.refreshes, emu.stats.unauthorized]).toEqual([1, 1]);
    // The new pair says `expires_in: 30`: inside the margin, so the next call refreshes first.
    await adapter.groups();
    expect([emu.stats.refreshes, emu.stats.unauthorized]).toEqual([2, 1]);
  });

  it('a grant Gusto revoked → reauthentication_required (after one refresh attempt); at connect → incorrect credentials', async () => {
    const emu = await emulator();
    const adapter = adapterFor(emu);
    emu.knobs.expireToken = true;
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
    expect(emu.stats.tokenCalls).toBe(1);
    const atConnect = await failure(adapterFor(emu).verify());
    expect(atConnect.options.code).toBe('incorrect_username_or_password');
  });

  it('at connect, a stale access token with a good refresh token is refreshed and the pair kept', async () => {
    const emu = await emulator();
    const state = memoryState();
    const ctx = contextFor(
      emu.baseUrl,
      { ...emu.credentials, access_token: 'stale-access-token-00000' },
      state,
    );
    await createGustoAdapter(ctx, UNPACED).verify();
    expect(emu.stats.refreshes).toBe(1);
    expect(state.data.get(TOKENS_STATE_KEY)).toMatchObject(emu.currentPair());
  });

  it('wrong app credentials cannot refresh → reauthentication_required, nothing stored', async () => {
    const emu = await emulator();
    const state = memoryState();
    const ctx = contextFor(emu.baseUrl, { ...emu.credentials, client_secret: 'not-the-secret' }, state);
    const adapter = createGustoAdapter(ctx, UNPACED);
    emu.expireAccessTokens();
    expect((await failure(adapter.groups())).options.code).toBe('reauthentication_required');
    expect(state.writes).toBe(0);
  });
});

describe('gusto requests', () => {
  it('every request names the API version the adapter was written for', async () => {
    const emu = await emulator();
    const adapter = adapterFor(emu);
    await adapter.verify();
    await Promise.all([
      adapter.employees(),
      adapter.company(),
      adapter.identity(),
      adapter.timeOffEntries(null),
    ]);
    await adapter.payruns({ start_date: '2025-01-01', end_date: '2025-12-31' });
    expect(GUSTO_API_VERSION).toBe('2025-06-15');
    expect(emu.stats.apiRequests).toBeGreaterThan(8);
    expect(emu.stats.missingVersion).toBe(0);
  });

  it('asks 100 a page and follows a smaller X-Per-Page when the server caps it', async () => {
    const emu = await emulator({ employees: 250 });
    expect(await adapterFor(emu).employees()).toHaveLength(250);
    expect(emu.stats.log.filter((l) => l.includes('/employees?')).length).toBe(3);
    const capped = await emulator({ employees: 250 });
    expect(await adapterFor(capped, memoryState(), { ...UNPACED, pageSize: 150 }).employees()).toHaveLength(
      250,
    );
    // Asked 150, answered 100 a page: pages 1–3 of 100, never a page 2 of 150.
    const pages = capped.stats.log
      .filter((l) => l.includes('/employees?'))
      .map((l) => new URL(l.split(' ')[1] ?? '', 'http://x').searchParams.get('page'));
    expect(pages.sort()).toEqual(['1', '2', '3']);
  });

  it('a list whose total disagrees with its records twice in a row is served as Gusto answers it', async () => {
    // Two pages of 100: the second (the last) comes back cut in half every time.
    const emu = await emulator({ employees: 200, knobs: { shortPage: true } });
    const { log, warnings } = capturedLog();
    const adapter = createGustoAdapter(
      { ...contextFor(emu.baseUrl, emu.credentials, memoryState()), log },
      { retries: 1, readTimeoutMs: 2_000, ...UNPACED },
    );
    expect(await adapter.employees()).toHaveLength(150);
    // Walked twice, then served, with a warning.
    expect(emu.stats.log.filter((l) => l.includes('/employees?')).length).toBe(4);
    expect(warnings.some((w) => /announced 200 records and returned 150 in two walks/.test(w))).toBe(true);
  });

  it('with a sink, employees go on in list order page by page; pushed + returned = the list without a sink', async () => {
    const emu = await emulator({ employees: 450 });
    const adapter = adapterFor(emu);
    const plain = await adapter.employees();
    const pushes: Employee[][] = [];
    let expected: number | undefined;
    const rest = await adapter.employees({
      expect: (n) => (expected = n),
      push: (items) => pushes.push([...items]),
    });
    expect(expected).toBe(450);
    expect(pushes.length).toBeGreaterThanOrEqual(4);
    expect([...pushes.flat(), ...rest]).toEqual(plain);
    // The last page is never streamed: it is what a second walk would have to confirm.
    expect(rest.length).toBeGreaterThanOrEqual(50);
  });

  it('a streamed list whose last page lies twice is completed from the second walk', async () => {
    const emu = await emulator({ employees: 200, knobs: { shortPage: true } });
    const pushes: Employee[][] = [];
    const rest = await adapterFor(emu).employees({ push: (items) => pushes.push([...items]) });
    expect(pushes.flat()).toHaveLength(100);
    expect(pushes.flat().length + rest.length).toBe(150);
  });

  it('payroll windows: a year at most, overlapping by a month, ending 3 months from today at the latest', () => {
    expect(payrollWindows({ start_date: '2025-01-01', end_date: '2025-06-30' }, '2025-06-30')).toEqual([
      { start_date: '2025-01-01', end_date: '2025-06-30' },
    ]);
    const windows = payrollWindows({ start_date: '2020-01-01', end_date: '2030-12-31' }, '2025-06-30');
    expect(windows.at(-1)?.end_date).toBe('2025-09-30');
    for (const [i, w] of windows.entries()) {
      expect(Date.parse(w.end_date) - Date.parse(w.start_date)).toBeLessThanOrEqual(364 * 86_400_000);
      const next = windows[i + 1];
      if (next) expect(Date.parse(w.end_date) - Date.parse(next.start_date)).toBe(30 * 86_400_000);
    }
    expect(payrollWindows({ start_date: '2026-01-01', end_date: '2026-02-01' }, '2025-06-30')).toEqual([]);
  });

  it('payruns over eleven years: every payroll once, none lost at a window boundary, Gusto never refuses a window', async () => {
    const emu = await emulator();
    const payruns = await adapterFor(emu).payruns({ start_date: '2020-01-01', end_date: '2030-12-31' });
    expect(payruns.map((p) => p.id).sort()).toEqual(emu.records.payrolls.map((p) => p.payroll_uuid).sort());
    const payrollCalls = emu.stats.log.filter((l) => l.includes('/payrolls?'));
    expect(payrollCalls.length).toBeGreaterThan(5);
    expect(payrollCalls.every((l) => l.includes('processing_statuses=processed%2Cunprocessed'))).toBe(true);
  });
});

describe('gusto rate limit', () => {
  it('the documented limit: 200 requests per rolling minute, with slack', () => {
    expect(GUSTO_RATE_LIMIT.requests).toBe(200);
    expect(GUSTO_RATE_LIMIT.perMs).toBeGreaterThanOrEqual(60_000);
    expect(floorMs(100, 5)).toBe(5);
    expect(floorMs(201, 5)).toBe(60_005);
  });

  it('the client paces itself to the window, so the emulator never answers 429', async () => {
    const emu = await emulator({ employees: 300, knobs: { rateLimitPerMinute: 10, rateWindowMs: 1_000 } });
    // Half a second of slack a window, as in production (60.5 s for Gusto's minute): here it absorbs the jitter of a
    // busy test machine, where the emulator shares its event loop with the mapping of the pages.
    const adapter = adapterFor(emu, memoryState(), {
      rateLimit: { requests: 10, perMs: 1_500 },
      pageSize: 10,
    });
    const started = Date.now();
    expect(await adapter.employees()).toHaveLength(300);
    expect(emu.stats.rateLimited).toBe(0);
    // 30 pages at 10 a window: the last ones start two windows in.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('the emulator enforces 200 per minute with 429, Retry-After and the X-RateLimit headers', async () => {
    const emu = await emulator({ knobs: { rateLimitPerMinute: 200 } });
    const headers = {
      authorization: `Bearer ${emu.credentials.access_token}`,
      'x-gusto-api-version': GUSTO_API_VERSION,
    };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 201; i++) {
      last = await fetch(`${emu.url}/v1/token_info`, { headers });
      await last.body?.cancel();
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 200).every((s) => s === 200)).toBe(true);
    expect(statuses[200]).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(last?.headers.get('x-ratelimit-limit')).toBe('200');
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Date.parse(last?.headers.get('x-ratelimit-reset') ?? '')).toBeGreaterThan(Date.now());
  });
});
