/**
 * Deputy in xhr mode end to end: the user on the connect page in Debian's Chromium, the node signing in to the
 * emulator over HTTP (form + CSRF, authenticator step): connect with MFA through the page (wrong code first) →
 * token → employees 202 then 200 → the session lifetime shortened until it runs out → the next read re-logs in
 * transparently with the stored authenticator secret (twenty concurrent reads: one login) → password changed → 401
 * reauthentication_required + the hook → reconnect. Connect-time outcomes map to the contract's codes and keep no
 * screenshot (they are expected).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_STATE_KEY } from '../../providers/session/jar.js';
import { rowsIn } from '../../store/testing.js';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { haveChromium, newPage, warnIfNoChromium } from '../../testing/chromium.js';
import type { TestNode } from '../../testing/node.js';
import {
  type XhrConnectHarness,
  type XhrConnectOptions,
  startXhrConnectHarness,
} from '../../testing/xhr-connect.js';
import { totpCode } from '../session/totp.js';
import { type DeputyEmulator, startEmulator } from './emulator/server.js';

warnIfNoChromium('the Deputy xhr end-to-end tests are');

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SHOTS = path.resolve(import.meta.dirname, '../../../test-output/connect-deputy');

describe.skipIf(!haveChromium)('Deputy (xhr) through the connect page and the API', () => {
  let emu: DeputyEmulator;
  let h: XhrConnectHarness;
  let node: TestNode;
  let hookCalls: string[];
  let token = '';
  let connectionId = '';
  const fill = async (page: Page, password: string) => {
    await page.getByLabel('Deputy address', { exact: true }).fill('acme.au');
    await page.getByLabel('Email', { exact: true }).fill(emu.username);
    await page.getByLabel('Password', { exact: true }).fill(password);
  };

  beforeAll(async () => {
    emu = await startEmulator({ employees: 30, seed: 11, knobs: { totpSecret: SECRET } });
    h = await startXhrConnectHarness({
      provider: 'deputy',
      displayName: 'Deputy',
      emulatorUrl: emu.url,
      shotsDir: SHOTS,
      fill,
    });
    ({ node, hookCalls } = h);
    // The client listens for webhooks, so the session's end is also queued as a signed lifecycle event.
    await node.services.store.clients.update(h.clientApp.client.id, {
      name: 'Acme Payroll Sync',
      redirectUris: [h.clientApp.redirectUri],
      webhookUri: `${h.clientApp.origin}/hooks`,
    });
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
      emu.knobs.account = 'setup_required';
      expect(await attempt(emu.knobs.password)).toBe('additional_account_setup_required');
      // Workplace and role are read once signed in: past the authenticator step.
      emu.knobs.totpSecret = null;
      emu.knobs.account = 'no_workplace';
      expect(await attempt(emu.knobs.password)).toBe('no_valid_accounts');
      emu.knobs.account = 'ok';
      emu.knobs.role = 'Employee';
      expect(await attempt(emu.knobs.password)).toBe('insufficient_permission');
    } finally {
      emu.knobs.account = 'ok';
      emu.knobs.role = 'System Administrator';
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
    expect(creds).toEqual({ install: 'acme.au', username: emu.username });
    // The session works; once Deputy ends it, only the user can sign in again.
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
    expect(Buffer.from(rows[0]?.sealed ?? []).includes('dp_session')).toBe(false);

    emu.knobs.latencyMs = 400;
    const { first, res } = await read('/employees');
    emu.knobs.latencyMs = 0;
    expect(first).toBe(202);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Array<{ remote_id: string; work_email: string }>;
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), body);
    expect(body.map((e) => e.remote_id).sort()).toEqual(emu.data.employees.map((e) => String(e.Id)).sort());
    const again = await read('/employees');
    expect(again.first).toBe(200);
  }, 60_000);

  it('groups and timesheets validate against the contract; payruns are not offered (Deputy runs no payroll)', async () => {
    const groups = await read('/groups');
    expect(groups.res.status).toBe(200);
    const g = await groups.res.json();
    assertValid(dataSchemaName('xhr', '/groups', 'get', '200'), g);
    expect(g).toHaveLength(emu.data.units.length);
    const { res } = await read('/timesheets?start_date=2000-01-01&end_date=2100-01-01');
    expect(res.status).toBe(200);
    const sheets = (await res.json()) as unknown[];
    assertValid(dataSchemaName('xhr', '/timesheets', 'get', '200'), sheets);
    expect(sheets).toHaveLength(emu.data.timesheets.length);
    expect((await read('/payruns?start_date=2000-01-01&end_date=2100-01-01')).res.status).toBe(501);
  }, 60_000);

  it('the session lifetime shortened → once it runs out the next read signs in again transparently (authenticator secret answers MFA)', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    // Sessions from now on last 3 s: sign in to get one, then let it run out.
    emu.knobs.sessionTtlMs = 3_000;
    emu.expireSessions();
    expect((await read('/groups')).res.status).toBe(200);
    await node.services.cache.invalidateConnection(connectionId);
    await new Promise((r) => setTimeout(r, 3_200));
    emu.knobs.sessionTtlMs = 30 * 60_000;
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
      ...Array.from({ length: 19 }, (_, i) => `/timesheets?start_date=${2000 + i}-01-01&end_date=2100-01-01`),
    ];
    expect(urls).toHaveLength(20);
    const results = await Promise.all(urls.map((u) => read(u)));
    expect(results.map((r) => r.res.status)).toEqual(Array(20).fill(200));
    expect(emu.stats.logins).toBe(before + 1);
  }, 90_000);

  it('password changed → 401 reauthentication_required, one connection.reauthentication_required event; reconnecting works', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    emu.expireSessions();
    emu.knobs.password = 'Changed#2025';
    const failed = emu.stats.failedLogins;
    const [a, b] = await Promise.all([
      read('/employees'),
      read('/timesheets?start_date=2000-01-01&end_date=2100-01-01'),
    ]);
    for (const { res } of [a, b]) {
      expect(res.status).toBe(401);
      const body = await res.json();
      assertValid(dataSchemaName('xhr', '/employees', 'get', '401'), body);
      expect(body).toMatchObject({ error: 'authentication_error', code: 'reauthentication_required' });
    }
    expect(hookCalls).toEqual([connectionId]);
    const events = (
      await node.services.store.webhookEvents.list(h.clientApp.client.id, { limit: 50 })
    ).filter((e) => e.type === 'connection.reauthentication_required' && e.connectionId === connectionId);
    expect(events).toHaveLength(1);
    expect(emu.stats.failedLogins - failed).toBe(1);
    // Reconnect with the new password.
    token = await connect({ password: 'Changed#2025', totpSecret: SECRET, keep: true });
    connectionId = (await node.services.tokens.verify(token)).sub;
    expect((await read('/employees')).res.status).toBe(200);
  }, 90_000);

  it('the HTTP strategy never opened a browser page', () => {
    expect(node.services.browsers.stats.peak).toBe(0);
  });
});
