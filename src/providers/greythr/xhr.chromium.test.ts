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
import { listScreenshots, readScreenshot } from '../../sync/screenshots.js';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { haveChromium, newPage, warnIfNoChromium } from '../../testing/chromium.js';
import type { TestNode } from '../../testing/node.js';
import { type XhrConnectHarness, startXhrConnectHarness, xhrSteps } from '../../testing/xhr-connect.js';
import { type GreytEmulator, startEmulator } from './emulator/server.js';

warnIfNoChromium('the greytHR xhr end-to-end tests are');

const SECRET = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';
const SHOTS = path.resolve(import.meta.dirname, '../../../test-output/connect-greythr');
const DAY = 86_400_000;

describe.skipIf(!haveChromium)('greytHR (xhr) through the connect page and the API', () => {
  let emu: GreytEmulator;
  let h: XhrConnectHarness;
  let steps: ReturnType<typeof xhrSteps>;
  let node: TestNode;
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
    ({ node } = h);
    steps = xhrSteps(h, emu, SHOTS);
  }, 30_000);

  afterAll(async () => {
    await h?.close();
    await emu?.close();
  });

  const read = (url: string, bearer = token) => h.read(url, bearer);

  it('connect-time outcomes map to the contract codes on the page', async () => {
    const page = await newPage(h.browser);
    try {
      const attempt = (password: string) => h.attempt(page, password);
      await steps.expectWrongPasswordAndBotWall(page);
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
    steps.expectNoScreenshots();
  }, 90_000);

  it('connects with MFA through the page (wrong code first) and without "keep me signed in" keeps no password', async () => {
    const { token: t, connectionId: id } = await steps.connectWrongCodeFirst(SECRET);
    expect(await steps.storedCredentials(id)).toEqual({ subdomain: 'acme', username: emu.username });
    // The session works; once greytHR ends it, only the user can sign in again.
    await steps.expectEndedSessionNeedsUser(t, id);
  }, 90_000);

  it('reconnect with "keep me signed in" and the authenticator secret → token; employees 202 then 200', async () => {
    ({ token, connectionId } = await steps.connectKept(emu.knobs.password, SECRET));
    await steps.expectSessionSealed(connectionId, 'ory_at_');
    const body = await steps.readEmployees202Then200<{ remote_id: string }>(token);
    expect(body.map((e) => e.remote_id).sort()).toEqual(
      emu.data.employees.map((e) => String(e.employeeId)).sort(),
    );
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
    await steps.expectTransparentRelogin(token);
  }, 60_000);

  it('twenty concurrent reads (twenty fetch jobs) during expiry → exactly one login', async () => {
    await steps.expectOneLoginForTwentyReads(
      token,
      connectionId,
      (i) => `/payruns?start_date=${2000 + i}-01-01&end_date=2100-01-01`,
    );
  }, 90_000);

  it('password changed → 401 reauthentication_required and the hook once; reconnecting works', async () => {
    await steps.expectChangedPasswordNeedsUser(
      token,
      connectionId,
      'Changed#2025',
      '/payruns?start_date=2000-01-01&end_date=2100-01-01',
    );
    // Reconnect with the new password.
    ({ token, connectionId } = await steps.connectKept('Changed#2025', SECRET));
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
