/**
 * The harness of the xhr providers' end-to-end tests: a listening node pointed at the provider's emulator (small
 * browser pool, short cache wait), a client app, Debian's Chromium for the user, the connect page driven to a
 * token (credentials, optional OTP step, consent, code exchange), reads that poll their 202s, and the
 * reauthentication observer's calls; and `xhrSteps`, the scenario steps every web-login provider's test walks
 * (wrong code first, the sealed session, the ended session, one login for twenty reads, a changed password). Each
 * test file supplies how its provider's own fields are filled and keeps its own checks. Not imported by production
 * code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { providerBaseUrlVar } from '../config.js';
import type { ProviderId } from '../model/index.js';
import { grantableScopes } from '../oauth/scopes.js';
import { type ClientApp, exchangeAtManagement, startClientApp, startNode } from '../oauth/tests/support.js';
import { SESSION_STATE_KEY } from '../providers/session/jar.js';
import { totpCode } from '../providers/session/totp.js';
import { rowsIn } from '../store/testing.js';
import { assertValid, dataSchemaName } from './affix-spec.js';
import { freePort, launchChromium, newPage } from './chromium.js';
import type { TestNode } from './node.js';

export interface XhrConnectOptions {
  password: string;
  totpSecret?: string;
  /** Ticks "Keep me signed in". */
  keep: boolean;
  /** Answers the OTP step when the page shows one. */
  otp?: (page: Page) => Promise<void>;
  /** Keeps screenshots of the steps in the harness's `shotsDir`. */
  shots?: boolean;
}

export interface XhrConnectHarness {
  node: TestNode;
  base: string;
  clientApp: ClientApp;
  browser: Browser;
  /** Connection ids the reauthentication observer was called with. */
  hookCalls: string[];
  /** GET over HTTP; the first answer is kept, a 202 is retried (its Retry-After checked) until the data is there. */
  read(url: string, bearer: string): Promise<{ first: number; res: Response }>;
  /** The connect page's URL for the provider in xhr mode with every grantable scope. */
  connectUrl(state?: string): string;
  /** The error code of the alert the connect page shows. */
  alertCode(page: Page): Promise<string | null>;
  /** One sign-in attempt on `page` (the provider's fields, `password`, Continue): the alert's error code. */
  attempt(page: Page, password: string): Promise<string | null>;
  /** The connect page in Chromium, through consent and the code exchange: the access token. */
  connect(o: XhrConnectOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startXhrConnectHarness(o: {
  provider: ProviderId;
  displayName: string;
  emulatorUrl: string;
  shotsDir: string;
  /** Fills the provider's own fields and the password on its credentials page. */
  fill(page: Page, password: string): Promise<void>;
}): Promise<XhrConnectHarness> {
  fs.mkdirSync(o.shotsDir, { recursive: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const node = await startNode({
    PUBLIC_URL: base,
    CACHE_WAIT: '200ms',
    PROVIDER_READ_TIMEOUT: '4s',
    BROWSER_MAX_PAGES: '2',
    [providerBaseUrlVar(o.provider)]: o.emulatorUrl,
  });
  const hookCalls: string[] = [];
  node.services.onReauthenticationRequired = async (c) => {
    hookCalls.push(c.id);
  };
  await node.app.listen({ port, host: '127.0.0.1' });
  const clientApp = await startClientApp(node);
  const browser = await launchChromium();

  const connectUrl = (state?: string) =>
    `${base}/connect?${new URLSearchParams({
      client_id: clientApp.client.id,
      redirect_uri: clientApp.redirectUri,
      response_type: 'code',
      mode: 'xhr',
      scope: grantableScopes('xhr').join(' '),
      provider: o.provider,
      ...(state ? { state } : {}),
    })}`;

  const alertCode = async (page: Page) => {
    await page.getByRole('alert').waitFor();
    return page.getByRole('alert').getAttribute('data-error-code');
  };

  return {
    node,
    base,
    clientApp,
    browser,
    hookCalls,
    connectUrl,
    async read(url, bearer) {
      let first = 0;
      for (let i = 0; ; i++) {
        const res = await fetch(`${base}/2023-03-01/xhr${url}`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        if (i === 0) first = res.status;
        if (res.status !== 202 || i >= 100) return { first, res };
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        await res.body?.cancel();
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    alertCode,
    async attempt(page, password) {
      await page.goto(connectUrl());
      await o.fill(page, password);
      await page.getByRole('button', { name: 'Continue' }).click();
      return alertCode(page);
    },
    async connect(c) {
      const page = await newPage(browser, { viewport: { width: 520, height: 1000 } });
      const shot = (name: string) =>
        c.shots ? page.screenshot({ path: path.join(o.shotsDir, name), fullPage: true }) : Promise.resolve();
      try {
        await page.goto(connectUrl('st'));
        await page.getByRole('heading', { name: `Sign in to ${o.displayName}` }).waitFor();
        await o.fill(page, c.password);
        if (c.totpSecret) {
          await page.getByLabel('Authenticator secret (optional) (optional)').fill(c.totpSecret);
        }
        if (c.keep) await page.getByLabel('Keep me signed in').check();
        await shot('01-credentials.png');
        await page.getByRole('button', { name: 'Continue' }).click();
        if (c.otp) await c.otp(page);
        await page.getByRole('heading', { name: /Allow Acme Payroll Sync/ }).waitFor();
        await shot('04-consent.png');
        await Promise.all([
          page.waitForURL(`${clientApp.origin}/callback?**`),
          page.getByRole('button', { name: 'Allow' }).click(),
        ]);
      } finally {
        await page.close();
      }
      const code = (clientApp.callbacks.at(-1) as URL).searchParams.get('code') ?? '';
      const res = await exchangeAtManagement(base, clientApp.client, code, clientApp.redirectUri);
      expect(res.status).toBe(201);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await browser.close();
      await clientApp.close();
      await node.close();
    },
  };
}

/** What the scenario steps switch and count on a web-app emulator (session/web-app-emulator.ts). */
export interface XhrEmulatorControls {
  knobs: { password: string; latencyMs: number; botWall: boolean };
  stats: { logins: number; failedLogins: number };
  expireSessions(): void;
}

/**
 * The scenario steps every xhr provider's end-to-end test walks, on its harness and emulator. Each step checks what
 * holds for every web login; the provider's test adds its own checks (its credential fields, its objects, its
 * lifecycle events) around them.
 */
export function xhrSteps(h: XhrConnectHarness, emu: XhrEmulatorControls, shotsDir: string) {
  const { node, hookCalls } = h;
  return {
    /** On the credentials page: a wrong password, then a bot wall (lifted again) map to the contract's codes. */
    async expectWrongPasswordAndBotWall(page: Page): Promise<void> {
      expect(await h.attempt(page, 'wrong')).toBe('incorrect_username_or_password');
      emu.knobs.botWall = true;
      try {
        expect(await h.attempt(page, emu.knobs.password)).toBe('captcha_challenge');
      } finally {
        emu.knobs.botWall = false;
      }
    },

    /** Connects with "keep me signed in" and the authenticator secret: the token and its connection id. */
    async connectKept(password: string, secret: string): Promise<{ token: string; connectionId: string }> {
      const token = await h.connect({ password, totpSecret: secret, keep: true });
      return { token, connectionId: (await node.services.tokens.verify(token)).sub };
    },

    /** No refused sign-in kept a screenshot: they are expected outcomes. */
    expectNoScreenshots(): void {
      expect(fs.existsSync(path.join(node.config.DATA_DIR, 'screenshots'))).toBe(false);
    },

    /**
     * Connects without "keep me signed in" through the page's MFA step, a wrong code first (screenshots of both
     * steps): one login at the emulator. The connection id and its token.
     */
    async connectWrongCodeFirst(secret: string): Promise<{ token: string; connectionId: string }> {
      const before = emu.stats.logins;
      const token = await h.connect({
        password: emu.knobs.password,
        keep: false,
        shots: true,
        otp: async (page) => {
          const otp = page.locator('input[name=otp]');
          await otp.waitFor();
          await page.screenshot({ path: path.join(shotsDir, '02-otp.png'), fullPage: true });
          await otp.fill('000000');
          await page.getByRole('button', { name: 'Verify' }).click();
          expect(await h.alertCode(page)).toBe('incorrect_mfa_or_otp');
          await page.screenshot({ path: path.join(shotsDir, '03-wrong-otp.png'), fullPage: true });
          await page.locator('input[name=otp]').fill(totpCode(secret));
          await page.getByRole('button', { name: 'Verify' }).click();
        },
      });
      expect(emu.stats.logins).toBe(before + 1);
      return { token, connectionId: (await node.services.tokens.verify(token)).sub };
    },

    /** The connection's stored credentials, opened from their sealed row. */
    async storedCredentials(connectionId: string): Promise<Record<string, string>> {
      const sealed = await rowsIn(node.services.store, 'connection_secrets', { connection_id: connectionId });
      return node.services.vault.openJson<Record<string, string>>(
        connectionId,
        'credentials',
        Buffer.from(sealed[0]?.sealed ?? []) as never,
      );
    },

    /**
     * A connection without a stored password: its session works; once the provider ends it, reads answer 401
     * reauthentication_required and the hook is called once (its calls are then cleared).
     */
    async expectEndedSessionNeedsUser(token: string, connectionId: string): Promise<void> {
      expect((await h.read('/employees', token)).res.status).toBe(200);
      emu.expireSessions();
      await node.services.cache.invalidateConnection(connectionId);
      const { res } = await h.read('/employees', token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: 'authentication_error',
        code: 'reauthentication_required',
      });
      expect(hookCalls).toEqual([connectionId]);
      hookCalls.length = 0;
    },

    /** The session's cookies are sealed in the connection state: `cookie` (a cookie value's mark) is not in the row. */
    async expectSessionSealed(connectionId: string, cookie: string): Promise<void> {
      const rows = await rowsIn(node.services.store, 'connection_state', { connection_id: connectionId });
      expect(rows.map((r) => r.key)).toContain(SESSION_STATE_KEY);
      expect(Buffer.from(rows[0]?.sealed ?? []).includes(cookie)).toBe(false);
    },

    /** A slow provider: the first read of employees answers 202, the poll 200 (valid), the next read 200 at once. */
    async readEmployees202Then200<T>(token: string): Promise<T[]> {
      emu.knobs.latencyMs = 400;
      const { first, res } = await h.read('/employees', token);
      emu.knobs.latencyMs = 0;
      expect(first).toBe(202);
      expect(res.status).toBe(200);
      const body = (await res.json()) as T[];
      assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), body);
      expect((await h.read('/employees', token)).first).toBe(200);
      return body;
    },

    /** With its session ended, the next read signs in again (one login) without asking the user. */
    async expectTransparentRelogin(token: string): Promise<void> {
      const before = emu.stats.logins;
      const { res } = await h.read('/employees', token);
      expect(res.status).toBe(200);
      expect(emu.stats.logins).toBe(before + 1);
      expect(hookCalls).toEqual([]);
    },

    /** Twenty concurrent reads (employees and nineteen `other(i)`) while the session is ended: exactly one login. */
    async expectOneLoginForTwentyReads(
      token: string,
      connectionId: string,
      other: (i: number) => string,
    ): Promise<void> {
      await node.services.cache.invalidateConnection(connectionId);
      emu.expireSessions();
      const before = emu.stats.logins;
      const urls = ['/employees', ...Array.from({ length: 19 }, (_, i) => other(i))];
      const results = await Promise.all(urls.map((u) => h.read(u, token)));
      expect(results.map((r) => r.res.status)).toEqual(Array(20).fill(200));
      expect(emu.stats.logins).toBe(before + 1);
    },

    /**
     * The password changed at the provider while the session ended: two concurrent reads (employees and `other`)
     * answer 401 reauthentication_required, the hook is called once, one failed login at the provider.
     */
    async expectChangedPasswordNeedsUser(
      token: string,
      connectionId: string,
      password: string,
      other: string,
    ): Promise<void> {
      await node.services.cache.invalidateConnection(connectionId);
      emu.expireSessions();
      emu.knobs.password = password;
      const failed = emu.stats.failedLogins;
      const [a, b] = await Promise.all([h.read('/employees', token), h.read(other, token)]);
      for (const { res } of [a, b]) {
        expect(res.status).toBe(401);
        const body = await res.json();
        assertValid(dataSchemaName('xhr', '/employees', 'get', '401'), body);
        expect(body).toMatchObject({ error: 'authentication_error', code: 'reauthentication_required' });
      }
      expect(hookCalls).toEqual([connectionId]);
      expect(emu.stats.failedLogins - failed).toBe(1);
    },
  };
}
