/**
 * XeroClient's own logic: OAuth token refresh and rotation kept in the sealed connection state, the refresh race
 * (single flight within a process, adoption of the winner's tokens across processes), and Xero's page walks (order,
 * duplicates, short pages, announced totals as hints).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXeroAdapter } from './adapter.js';
import { XERO_DEFAULT_BASE_URL, XeroClient, tokenUrlFor } from './client.js';
import { DEFAULT_KNOBS, type XeroEmulator, startEmulator } from './emulator/server.js';
import { XERO_TOKEN_STATE_KEY, XERO_TOKEN_URL, type TokenRecord } from './tokens.js';
import { failure } from '../../testing/provider-failure.js';
import { memoryState } from '../../testing/provider-context.js';
import { UNLIMITED, UNPACED, emulatorContext, providerContext } from './test-support.js';

describe('Xero OAuth tokens against the emulator', () => {
  let emu: XeroEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 12, seed: 31, knobs: UNLIMITED });
  });
  afterEach(() => {
    Object.assign(emu.knobs, DEFAULT_KNOBS, UNLIMITED);
  });
  afterAll(() => emu.close());

  it('the token endpoint: Xero identity for the real API, /connect/token on any other origin', () => {
    expect(tokenUrlFor(XERO_DEFAULT_BASE_URL)).toBe(XERO_TOKEN_URL);
    expect(XERO_TOKEN_URL).toBe('https://identity.xero.com/connect/token');
    expect(tokenUrlFor(emu.baseUrl)).toBe(`${emu.url}/connect/token`);
  });

  it('refreshes once, keeps the rotated pair in the connection state (never in the credentials), and a new adapter reuses it', async () => {
    const ctx = emulatorContext(emu);
    const original = ctx.credentials['refresh_token'];
    const before = emu.stats.refreshes;
    await createXeroAdapter(ctx, UNPACED).groups();
    expect(emu.stats.refreshes - before).toBe(1);
    const saved = await ctx.state.get<TokenRecord>(XERO_TOKEN_STATE_KEY);
    expect(saved?.accessToken).toMatch(/^emu_at_/);
    expect(saved?.refreshToken).toMatch(/^emu_rt_/);
    expect(saved?.refreshToken).not.toBe(original);
    expect(ctx.credentials['refresh_token']).toBe(original);
    // The platform builds an adapter per request: the next one starts from the saved pair.
    await createXeroAdapter(ctx, UNPACED).payruns({ start_date: '2026-01-01', end_date: '2026-12-31' });
    expect(emu.stats.refreshes - before).toBe(1);
  });

  it('refresh race on one adapter: two concurrent requests meeting an expired access token refresh exactly once', async () => {
    const adapter = createXeroAdapter(emulatorContext(emu), UNPACED);
    await adapter.groups();
    emu.expireAccessTokens();
    const before = emu.stats.tokenCalls;
    const [groups, runs] = await Promise.all([
      adapter.groups(),
      adapter.payruns({ start_date: '2026-01-01', end_date: '2026-12-31' }),
    ]);
    expect(groups.length).toBe(3);
    expect(runs.length).toBeGreaterThan(0);
    // One call of the token endpoint, not one refresh that won a race against another.
    expect(emu.stats.tokenCalls - before).toBe(1);
  });

  it('refresh race across adapters of one connection (one per request): cold and after expiry, once each', async () => {
    const ctx = emulatorContext(emu);
    const a = createXeroAdapter(ctx, UNPACED);
    const b = createXeroAdapter(ctx, UNPACED);
    const before = emu.stats.tokenCalls;
    await Promise.all([
      a.groups(),
      b.groups(),
      a.timeOffBalances(),
      b.payruns({ start_date: '2026-01-01', end_date: '2026-12-31' }),
    ]);
    expect(emu.stats.tokenCalls - before).toBe(1);
    emu.expireAccessTokens();
    await Promise.all([a.groups(), b.groups()]);
    expect(emu.stats.tokenCalls - before).toBe(2);
  });

  it("across processes: the loser of a refresh race gets invalid_grant and adopts the winner's tokens", async () => {
    const ctx = emulatorContext(emu);
    await createXeroAdapter(ctx, UNPACED).groups();
    emu.expireAccessTokens();
    // Two processes: no shared single flight (another connection id keys it), one sealed state.
    const here = createXeroAdapter(ctx, UNPACED);
    const there = createXeroAdapter({ ...ctx, connectionId: 'con_other_process' }, UNPACED);
    // Slow enough that both meet the 401 before either refresh is answered.
    emu.knobs.latencyMs = 150;
    const refreshes = emu.stats.refreshes;
    const calls = emu.stats.tokenCalls;
    const [g1, g2] = await Promise.all([here.groups(), there.groups()]);
    expect(g1).toEqual(g2);
    expect(emu.stats.refreshes - refreshes).toBe(1);
    // Both asked; one was refused and took the other's pair from the state.
    expect(emu.stats.tokenCalls - calls).toBe(2);
  });

  it('refreshes ahead of expiry: a token with less than a minute left is not used', async () => {
    let now = Date.now();
    const adapter = createXeroAdapter(emulatorContext(emu), { ...UNPACED, now: () => now });
    const before = emu.stats.refreshes;
    await adapter.groups();
    now += 28 * 60_000;
    await adapter.groups();
    expect(emu.stats.refreshes - before).toBe(1);
    now += 90_000;
    await adapter.groups();
    expect(emu.stats.refreshes - before).toBe(2);
  });

  it('a reconnect with a new refresh token ignores the pair grown from the old one', async () => {
    const ctx = emulatorContext(emu);
    await createXeroAdapter(ctx, UNPACED).groups();
    const old = await ctx.state.get<TokenRecord>(XERO_TOKEN_STATE_KEY);
    const reconnected = {
      ...ctx,
      credentials: { ...ctx.credentials, refresh_token: emu.issueRefreshToken() },
    };
    const before = emu.stats.refreshes;
    await createXeroAdapter(reconnected, UNPACED).groups();
    expect(emu.stats.refreshes - before).toBe(1);
    const now = await ctx.state.get<TokenRecord>(XERO_TOKEN_STATE_KEY);
    expect(now?.grant).not.toBe(old?.grant);
  });

  it('a revoked grant → reauthentication_required; at verify → incorrect_username_or_password', async () => {
    emu.knobs.revokeGrant = true;
    const err = await failure(createXeroAdapter(emulatorContext(emu), UNPACED).groups());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
    const atVerify = await failure(createXeroAdapter(emulatorContext(emu), UNPACED).verify());
    expect(atVerify.options.code).toBe('incorrect_username_or_password');
  });

  it('a revoked access token that refreshing does not cure → reauthentication_required after one refresh', async () => {
    const adapter = createXeroAdapter(emulatorContext(emu), UNPACED);
    await adapter.groups();
    emu.knobs.expireToken = true;
    const before = emu.stats.refreshes;
    const err = await failure(adapter.groups());
    expect(err.options.code).toBe('reauthentication_required');
    expect(emu.stats.refreshes - before).toBe(1);
  });

  it('wrong client secret, wrong refresh token, wrong tenant, missing fields: verify says the credentials are wrong', async () => {
    const ctx = () => emulatorContext(emu);
    const cases: Array<Record<string, string>> = [
      { ...ctx().credentials, client_secret: 'not-the-secret-0123456789' },
      { ...ctx().credentials, refresh_token: 'emu_rt_never_issued_0123456789' },
      { ...ctx().credentials, tenant_id: '00000000-0000-4000-8000-000000000000' },
      {},
    ];
    for (const credentials of cases) {
      const err = await failure(createXeroAdapter({ ...ctx(), credentials }, UNPACED).verify());
      expect(err.kind, JSON.stringify(credentials)).toBe('authentication');
      expect(err.options.code).toBe('incorrect_username_or_password');
    }
    // After connecting, a tenant the grant cannot reach is a permission problem.
    const wrongTenant = { ...ctx().credentials, tenant_id: '00000000-0000-4000-8000-000000000000' };
    const err = await failure(createXeroAdapter({ ...ctx(), credentials: wrongTenant }, UNPACED).groups());
    expect(err.options.code).toBe('insufficient_permission');
  });
});

/** A Xero look-alike whose pages a test scripts; it checks the bearer token and tenant header on every call. */
describe('XeroClient.walk', () => {
  let server: Server;
  let base = '';
  let script: (
    page: number,
    call: number,
  ) => { items: Array<{ id: string }>; pageCount?: number; itemCount?: number; delay?: number };
  const calls: number[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/connect/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: 'at',
            refresh_token: 'rt2',
            expires_in: 1800,
            token_type: 'Bearer',
          }),
        );
        return;
      }
      if (req.headers.authorization !== 'Bearer at' || req.headers['xero-tenant-id'] !== 'tenant-1') {
        res.writeHead(403).end();
        return;
      }
      const page = Number(url.searchParams.get('page'));
      calls.push(page);
      const { items, pageCount, itemCount, delay = 0 } = script(page, calls.length);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ pagination: { page, pageSize: 3, pageCount, itemCount }, things: items }));
      }, delay);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    calls.length = 0;
    warnings.length = 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = () =>
    new XeroClient(
      providerContext({
        baseUrl: `${base}/payroll.xro/2.0`,
        state: memoryState(),
        credentials: {
          client_id: 'client-0123456789',
          client_secret: 'secret',
          refresh_token: 'rt1',
          tenant_id: 'tenant-1',
        },
      }),
      { ...UNPACED, warn: (m) => warnings.push(m) },
    );
  const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ id: String(from + i) }));
  const walk = (c = client()) =>
    c.walk<{ id: string }, string>(
      '/Things',
      'things',
      {},
      (t) => t.id,
      (page) => page.map((t) => t.id),
    );

  it('fetches the pages after the first concurrently, keeps list order and drops a record listed twice', async () => {
    // Page 1 is slowest; page 2 repeats record 3 (the list moved while it was paged).
    script = (page) =>
      ({
        1: { items: ids(3), pageCount: 3, itemCount: 8, delay: 0 },
        2: { items: [{ id: '3' }, { id: '4' }, { id: '5' }], pageCount: 3, itemCount: 8, delay: 60 },
        3: { items: ids(3, 6), pageCount: 3, itemCount: 8, delay: 5 },
      })[page] ?? { items: [] };
    expect(await walk()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(calls.sort()).toEqual([1, 2, 3]);
    expect(warnings).toEqual([]);
  });

  it('a short page before the last is fetched again; still short → bad_response (never a partial list)', async () => {
    let second = 0;
    script = (page) => {
      if (page === 2 && second++ === 0) return { items: ids(1, 4), pageCount: 3, itemCount: 9 };
      return { items: ids(3, (page - 1) * 3 + 1), pageCount: 3, itemCount: 9 };
    };
    expect(await walk()).toHaveLength(9);
    expect(calls.filter((p) => p === 2)).toHaveLength(2);
    script = (page) => ({
      items: page === 2 ? ids(2, 4) : ids(3, (page - 1) * 3 + 1),
      pageCount: 3,
      itemCount: 9,
    });
    const err = await failure(walk());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/page 2 of 3 has 2 records/);
  });

  it('a total the pages consistently disagree with is a hint: walked again once, served, warned about', async () => {
    script = () => ({ items: ids(2), pageCount: 1, itemCount: 12 });
    expect(await walk()).toEqual(['1', '2']);
    expect(calls).toEqual([1, 1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/announced 12 records and returned 2 in two walks/);
  });

  it('two walks that disagree with the total and with each other → bad_response', async () => {
    script = (_page, call) => ({ items: ids(call === 1 ? 2 : 3), pageCount: 1, itemCount: 12 });
    const err = await failure(walk());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/two walks returned 2 and 3/);
  });

  it('without a page count: page by page until a short page', async () => {
    script = (page) => ({ items: page < 3 ? ids(3, (page - 1) * 3 + 1) : ids(1, 7) });
    expect(await walk()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(calls).toEqual([1, 2, 3]);
  });

  it('a response without the list → bad_response', async () => {
    const c = client();
    script = () => ({ items: ids(1), pageCount: 1, itemCount: 1 });
    const err = await failure(
      c.walk(
        '/Things',
        'others',
        {},
        () => undefined,
        (p) => p,
      ),
    );
    expect(err.kind).toBe('bad_response');
  });
});
