/**
 * The session engine against a loopback form-login app: HTTP strategy (CSRF + hidden fields, redirects, TOTP step),
 * the three signs of a lost session, one re-login for twenty concurrent reads, the sealed-state mark and the hook
 * when only the user can sign in again, and a per-provider proxy that sees every request.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy } from '../../testing/counting-proxy.js';
import { memoryConnectionState } from '../../testing/memory-state.js';
import { ProviderError } from '../errors.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import { BrowserPool } from './browser-pool.js';
import { SESSION_STATE_KEY, type StoredSession } from './jar.js';
import { type FormApp, formAppLogin, startFormApp } from './test-app.js';
import { totpCode } from './totp.js';
import { WebSession } from './web-session.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DP';

function context(
  state: ConnectionState,
  credentials: Record<string, string>,
  extra: Partial<ProviderContext> = {},
): ProviderContext & { hookCalls: number } {
  const ctx = {
    connectionId: `con_${Math.random().toString(36).slice(2)}`,
    mode: 'xhr' as const,
    credentials,
    settings: {},
    state,
    requireTls: false,
    hookCalls: 0,
    ...extra,
  };
  ctx.reauthenticationRequired = async () => {
    ctx.hookCalls++;
  };
  return ctx;
}

async function authCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof ProviderError) return err.options.code ?? err.kind;
    throw err;
  }
}

describe('WebSession (HTTP strategy)', () => {
  let app: FormApp;
  const creds = { username: 'ada@example.com', password: 'correct horse' };
  beforeAll(async () => {
    app = await startFormApp();
  });
  afterAll(() => app.close());
  afterEach(() => {
    Object.assign(app.knobs, { password: 'correct horse', totpSecret: null, lost: '401', loginDelayMs: 0 });
  });

  const session = (ctx: ProviderContext) => new WebSession({ ctx, baseUrl: app.url, login: formAppLogin });

  it('signs in through the form (CSRF + cookie), stores the jar in the state, reads JSON with the cookie', async () => {
    const state = memoryConnectionState();
    const ctx = context(state, creds);
    await session(ctx).signIn();
    const stored = await state.get<StoredSession>(SESSION_STATE_KEY);
    expect(stored?.generation).toBe(1);
    expect(JSON.stringify(stored?.jar)).toContain('sid');
    // A new adapter of the connection starts from the stored jar: no login.
    const before = app.stats.logins;
    const { body } = await session(ctx).json<{ items: number[] }>({ path: '/api/data' });
    expect(body.items).toEqual([1, 2, 3]);
    expect(app.stats.logins).toBe(before);
  });

  it('maps a wrong password and a wrong code; a needed code without one is mfa_required', async () => {
    expect(
      await authCode(session(context(memoryConnectionState(), { ...creds, password: 'x' })).signIn()),
    ).toBe('incorrect_username_or_password');
    app.knobs.totpSecret = SECRET;
    expect(await authCode(session(context(memoryConnectionState(), creds)).signIn())).toBe('mfa_required');
    expect(
      await authCode(session(context(memoryConnectionState(), { ...creds, otp: '000000' })).signIn()),
    ).toBe('incorrect_mfa_or_otp');
    expect(
      await authCode(session(context(memoryConnectionState(), { ...creds, otp: totpCode(SECRET) })).signIn()),
    ).toBeUndefined();
  });

  it.each(['401', 'redirect', 'form'] as const)(
    'a lost session answered by %s → one re-login with the stored password, the read retried',
    async (lost) => {
      app.knobs.lost = lost;
      const state = memoryConnectionState();
      const ctx = context(state, creds);
      await session(ctx).signIn();
      app.expireSessions();
      const before = app.stats.logins;
      const { body } = await session(ctx).json<{ items: number[] }>({ path: '/api/data' });
      expect(body.items).toHaveLength(3);
      expect(app.stats.logins).toBe(before + 1);
      expect((await state.get<StoredSession>(SESSION_STATE_KEY))?.generation).toBe(2);
    },
  );

  it('twenty concurrent reads of twenty adapters during expiry → exactly one login', async () => {
    const state = memoryConnectionState();
    const ctx = context(state, creds);
    await session(ctx).signIn();
    app.expireSessions();
    app.knobs.loginDelayMs = 100;
    const before = app.stats.logins;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => session(ctx).json<{ items: number[] }>({ path: '/api/data' })),
    );
    expect(results.every((r) => r.body.items.length === 3)).toBe(true);
    expect(app.stats.logins).toBe(before + 1);
  });

  it('MFA at re-login: the stored authenticator secret answers it', async () => {
    app.knobs.totpSecret = SECRET;
    const ctx = context(memoryConnectionState(), { ...creds, totp_secret: SECRET });
    await session(ctx).signIn();
    app.expireSessions();
    expect((await session(ctx).json<{ items: number[] }>({ path: '/api/data' })).body.items).toHaveLength(3);
  });

  it.each([
    ['no stored password', { username: creds.username }, (): void => {}],
    [
      'the password changed',
      creds,
      (): void => {
        app.knobs.password = 'changed';
      },
    ],
    [
      'MFA without an authenticator secret',
      creds,
      (): void => {
        app.knobs.totpSecret = SECRET;
      },
    ],
  ] as const)(
    'no way back in (%s) → reauthentication_required, the hook once, no further login attempts',
    async (_label, stored, change) => {
      const state = memoryConnectionState();
      await session(context(state, creds)).signIn();
      const ctx = context(state, stored);
      app.expireSessions();
      change();
      const failedBefore = app.stats.failedLogins;
      const codes = await Promise.all(
        Array.from({ length: 5 }, () => authCode(session(ctx).json({ path: '/api/data' }))),
      );
      expect(codes).toEqual(Array(5).fill('reauthentication_required'));
      expect(ctx.hookCalls).toBe(1);
      expect((await state.get<StoredSession>(SESSION_STATE_KEY))?.reauthenticationRequired).toBe(true);
      // Later reads answer at once: no login is tried again (a changed password is not hammered).
      expect(await authCode(session(ctx).json({ path: '/api/data' }))).toBe('reauthentication_required');
      expect(app.stats.failedLogins - failedBefore).toBeLessThanOrEqual(1);
      expect(ctx.hookCalls).toBe(1);
      // Signing in again (the user reconnects) clears the mark.
      Object.assign(app.knobs, { password: 'correct horse', totpSecret: null });
      const again = context(state, creds);
      await session(again).signIn();
      expect((await session(again).json<{ items: number[] }>({ path: '/api/data' })).body.items).toHaveLength(
        3,
      );
    },
  );

  it('PROVIDER_<ID>_PROXY: the login and every data call go through the proxy', async () => {
    const proxy = await startCountingProxy();
    try {
      const ctx = context(memoryConnectionState(), creds, { proxyUrl: proxy.url });
      await session(ctx).signIn();
      await session(ctx).json({ path: '/api/data' });
      const seen = proxy.stats.requests + proxy.stats.tunnels;
      expect(seen).toBeGreaterThanOrEqual(1);
      expect(proxy.stats.hosts.every((h) => h === new URL(app.url).host)).toBe(true);
      // Without a proxy nothing reaches it.
      await session(context(memoryConnectionState(), creds)).signIn();
      expect(proxy.stats.requests + proxy.stats.tunnels).toBe(seen);
    } finally {
      await proxy.close();
    }
  });

  it('a browser login without a usable browser → unavailable (503), never a 500', async () => {
    const browsers = new BrowserPool({
      executablePath: '/nonexistent/chromium',
      maxPages: 1,
      maxMemoryMb: 128,
    });
    try {
      const ctx = context(memoryConnectionState(), creds, { browsers });
      const login = {
        strategy: 'browser' as const,
        expired: formAppLogin.expired,
        signIn: async () => {},
      };
      const err = await new WebSession({ ctx, baseUrl: app.url, login }).signIn().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect((err as ProviderError).kind).toBe('unavailable');
      expect(browsers.stats.open).toBe(0);
    } finally {
      await browsers.close();
    }
  });
});
