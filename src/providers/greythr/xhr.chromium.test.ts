/**
 * greytHR in xhr mode end to end, with Debian's Chromium on both sides (the user on the connect page; the node's
 * browser pool signing in to the emulator's JavaScript login): connect with MFA through the page (wrong password,
 * wrong code, then right) → token → employees 202 then 200 → session ends → reads re-login transparently with the
 * stored authenticator secret (twenty concurrent reads: one login) → password changed → 401
 * reauthentication_required + the hook → reconnect. Connect-time outcomes map to the contract's codes; an
 * unexpected login page leaves exactly one sealed screenshot, gone after the 5-day retention.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionJob, retentionPolicy } from '../../jobs/retention.js';
import { SESSION_STATE_KEY } from '../../providers/session/jar.js';
import { rowsIn } from '../../store/testing.js';
import { listScreenshots, readScreenshot } from '../../sync/screenshots.js';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { haveChromium, newPage, warnIfNoChromium } from '../../testing/chromium.js';
import type { TestNode } from '../../testing/node.js';
import {
  type XhrConnectHarness,
  type XhrConnectOptions,
  startXhrConnectHarness,
} from '../../testing/xhr-connect.js';
import { totpCode } from '../session/totp.js';
import { type GreytEmulator, startEmulator } from './emulator/server.js';

warnIfNoChromium('the greytHR xhr end-to-end tests are');

const SECRET = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';
const SHOTS = path.resolve(import.meta.dirname, '../../../test-output/connect-greythr');
const DAY = 86_400_000;

describe.skipIf(!haveChromium)('greytHR (xhr) through the connect page and the API', () => {
  let emu: GreytEmulator;
  let h: XhrConnectHarness;
  let node: TestNode;
  let hookCalls: string[];
  let token = '';
  let connectionId = '';
  const fill = async (page: Page, password: string) => {
    await page.getByLabel('Company address', { exact: true }).fill('acme');
    await page.getByLabel('Login ID', { exact: true }).fill(emu.username);
    await page.getByLabel('Password', { exact: true }).fill(password);
  };

  beforeAll(async () => {
    emu = await startEmulator({ employees: 30, seed: 11, knobs: { totpSecret: SECRET } });
    h = await startXhrConnectHarness({
      provider: 'greythr',
      displayName: 'greytHR',
      emulatorUrl: emu.url,
      shotsDir: SHOTS,
      fill,
    });
    ({ node, hookCalls } = h);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
    await emu?.close();
  });

  const read = (url: string, bearer = token) => h.read(url, bearer);
  const connect = (o: XhrConnectOptions) => h.connect(o);

  it('connect-time outcomes map to the contract codes on the page', async () => {
    const page = await newPage(h.browser);
    try {
      const attempt = async (password: string) => {
        await page.goto(h.connectUrl());
        await fill(page, password);
        await page.getByRole('button', { name: 'Continue' }).click();
        return h.alertCode(page);
      };
      expect(await attempt('wrong')).toBe('incorrect_username_or_password');
      emu.knobs.botWall = true;
      expect(await attempt(emu.knobs.password)).toBe('captcha_challenge');
      emu.knobs.botWall = false;
      emu.knobs.account = 'password_expired';
      expect(await attempt(emu.knobs.password)).toBe('additional_account_setup_required');
      emu.knobs.account = 'no_company';
      expect(await attempt(emu.knobs.password)).toBe('no_valid_accounts');
      emu.knobs.account = 'ok';
      emu.knobs.role = 'ess';
      emu.knobs.totpSecret = null;
      expect(await attempt(emu.knobs.password)).toBe('insufficient_permission');
    } finally {
      emu.knobs.role = 'admin';
      emu.knobs.totpSecret = SECRET;
      await page.close();
    }
    // None of the refused attempts kept a screenshot: they are expected outcomes.
    expect(fs.existsSync(path.join(node.config.DATA_DIR, 'screenshots'))).toBe(false);
  }, 90_000);

  it('connects with MFA through the page (wrong code first) and without "keep me signed in" keeps no password', async () => {
    const before = emu.stats.logins;
    const t = await connect({
      password: emu.knobs.password,
      keep: false,
      shots: true,
      otp: async (page) => {
        const otp = page.locator('input[name=otp]');
        await otp.waitFor();
        await page.screenshot({ path: path.join(SHOTS, '02-otp.png'), fullPage: true });
        await otp.fill('000000');
        await page.getByRole('button', { name: 'Verify' }).click();
        expect(await h.alertCode(page)).toBe('incorrect_mfa_or_otp');
        await page.screenshot({ path: path.join(SHOTS, '03-wrong-otp.png'), fullPage: true });
        await page.locator('input[name=otp]').fill(totpCode(SECRET));
        await page.getByRole('button', { name: 'Verify' }).click();
      },
    });
    expect(emu.stats.logins).toBe(before + 1);
    const id = (await node.services.tokens.verify(t)).sub;
    const sealed = await rowsIn(node.services.store, 'connection_secrets', { connection_id: id });
    const creds = await node.services.vault.openJson<Record<string, string>>(
      id,
      'credentials',
      Buffer.from(sealed[0]?.sealed ?? []) as never,
    );
    expect(creds).toEqual({ subdomain: 'acme', username: emu.username });
    // The session works; once greytHR ends it, only the user can sign in again.
    expect((await read('/employees', t)).res.status).toBe(200);
    emu.expireSessions();
    await node.services.cache.invalidateConnection(id);
    const { res } = await read('/employees', t);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: 'authentication_error',
      code: 'reauthentication_required',
    });
    expect(hookCalls).toEqual([id]);
    hookCalls.length = 0;
  }, 90_000);

  it('reconnect with "keep me signed in" and the authenticator secret → token; employees 202 then 200', async () => {
    token = await connect({ password: emu.knobs.password, totpSecret: SECRET, keep: true });
    connectionId = (await node.services.tokens.verify(token)).sub;
    // The session's cookies are sealed in the connection state: no cookie value in the row.
    const rows = await rowsIn(node.services.store, 'connection_state', { connection_id: connectionId });
    expect(rows.map((r) => r.key)).toContain(SESSION_STATE_KEY);
    expect(Buffer.from(rows[0]?.sealed ?? []).includes('ory_at_')).toBe(false);

    emu.knobs.latencyMs = 400;
    const { first, res } = await read('/employees');
    emu.knobs.latencyMs = 0;
    expect(first).toBe(202);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Array<{ remote_id: string; work_email: string }>;
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), body);
    expect(body.map((e) => e.remote_id).sort()).toEqual(
      emu.data.employees.map((e) => String(e.employeeId)).sort(),
    );
    const again = await read('/employees');
    expect(again.first).toBe(200);
  }, 60_000);

  it('payruns validate against the contract; payslips are not offered (the contract has no INR)', async () => {
    const { res } = await read('/payruns?start_date=2000-01-01&end_date=2100-01-01');
    expect(res.status).toBe(200);
    const payruns = (await res.json()) as Array<{ id: string }>;
    assertValid(dataSchemaName('xhr', '/payruns', 'get', '200'), payruns);
    expect(payruns).toHaveLength(12);
    expect((await read(`/payruns/${payruns[0]?.id}`)).res.status).toBe(501);
  }, 60_000);

  it('the session ends → the next read signs in again transparently (authenticator secret answers MFA)', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    emu.expireSessions();
    const before = emu.stats.logins;
    const { res } = await read('/employees');
    expect(res.status).toBe(200);
    expect(emu.stats.logins).toBe(before + 1);
    expect(hookCalls).toEqual([]);
  }, 60_000);

  it('twenty concurrent reads (twenty fetch jobs) during expiry → exactly one login', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    emu.expireSessions();
    const before = emu.stats.logins;
    const urls = [
      '/employees',
      ...Array.from({ length: 19 }, (_, i) => `/payruns?start_date=${2000 + i}-01-01&end_date=2100-01-01`),
    ];
    expect(urls).toHaveLength(20);
    const results = await Promise.all(urls.map((u) => read(u)));
    expect(results.map((r) => r.res.status)).toEqual(Array(20).fill(200));
    expect(emu.stats.logins).toBe(before + 1);
  }, 90_000);

  it('password changed → 401 reauthentication_required and the hook once; reconnecting works', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    emu.expireSessions();
    emu.knobs.password = 'Changed#2025';
    const failed = emu.stats.failedLogins;
    const [a, b] = await Promise.all([
      read('/employees'),
      read('/payruns?start_date=2000-01-01&end_date=2100-01-01'),
    ]);
    for (const { res } of [a, b]) {
      expect(res.status).toBe(401);
      const body = await res.json();
      assertValid(dataSchemaName('xhr', '/employees', 'get', '401'), body);
      expect(body).toMatchObject({ error: 'authentication_error', code: 'reauthentication_required' });
    }
    expect(hookCalls).toEqual([connectionId]);
    expect(emu.stats.failedLogins - failed).toBe(1);
    // Reconnect with the new password.
    token = await connect({ password: 'Changed#2025', totpSecret: SECRET, keep: true });
    connectionId = (await node.services.tokens.verify(token)).sub;
    expect((await read('/employees')).res.status).toBe(200);
  }, 90_000);

  it('an unexpected login page → 502, exactly one sealed screenshot, removed by retention after 5 days', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    emu.expireSessions();
    emu.knobs.brokenLoginPage = true;
    try {
      const { res } = await read('/employees');
      expect(res.status).toBe(502);
    } finally {
      emu.knobs.brokenLoginPage = false;
    }
    const shots = await listScreenshots(node.services, connectionId);
    expect(shots).toHaveLength(1);
    const file = path.join(node.config.DATA_DIR, 'screenshots', connectionId, `${shots[0]}.sealed`);
    const raw = fs.readFileSync(file);
    // Sealed: no PNG signature on disk; it opens to a PNG.
    expect(raw.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
      false,
    );
    const png = await readScreenshot(node.services, connectionId, shots[0] as string);
    expect(png?.subarray(1, 4).toString()).toBe('PNG');
    const job = (offset: number) =>
      new RetentionJob(node.services.store, retentionPolicy(node.config), {
        dataDir: node.config.DATA_DIR,
        now: () => Date.now() + offset,
      });
    await job(4 * DAY).run();
    expect(await listScreenshots(node.services, connectionId)).toHaveLength(1);
    await job(5 * DAY + 60_000).run();
    expect(await listScreenshots(node.services, connectionId)).toEqual([]);
  }, 60_000);

  it('the browser pool never held more pages than its cap', () => {
    expect(node.services.browsers.stats.peak).toBeLessThanOrEqual(2);
    expect(node.services.browsers.stats.open).toBe(0);
  });
});
