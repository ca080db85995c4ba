import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { haveChromium, newPage, warnIfNoChromium } from '../../testing/chromium.js';
import type { TestNode } from '../../testing/node.js';
import { type XhrConnectHarness, startXhrConnectHarness, xhrSteps } from '../../testing/xhr-connect.js';
import { type DeputyEmulator, startEmulator } from './emulator/server.js';

warnIfNoChromium('the Deputy xhr end-to-end tests are');

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const SHOTS = path.resolve(import.meta.dirname, '../../../test-output/connect-deputy');

describe.skipIf(!haveChromium)('Deputy (xhr) through the connect page and the API', () => {
  let emu: DeputyEmulator;
  let h: XhrConnectHarness;
  let steps: ReturnType<typeof xhrSteps>;
  let node: TestNode;
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
    ({ node } = h);
    steps = xhrSteps(h, emu, SHOTS);
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

  it('connect-time outcomes map to the contract codes on the page', async () => {
    const page = await newPage(h.browser);
    try {
      const attempt = (password: string) => h.attempt(page, password);
      await steps.expectWrongPasswordAndBotWall(page);
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
    steps.expectNoScreenshots();
  }, 90_000);

  it('connects with MFA through the page (wrong code first) and without "keep me signed in" keeps no password', async () => {
    const { token: t, connectionId: id } = await steps.connectWrongCodeFirst(SECRET);
    expect(await steps.storedCredentials(id)).toEqual({ install: 'acme.au', username: emu.username });
    // The session works; once Deputy ends it, only the user can sign in again.
    await steps.expectEndedSessionNeedsUser(t, id);
  }, 90_000);

  it('reconnect with "keep me signed in" and the authenticator secret → token; employees 202 then 200', async () => {
    ({ token, connectionId } = await steps.connectKept(emu.knobs.password, SECRET));
    await steps.expectSessionSealed(connectionId, 'dp_session');
    const body = await steps.readEmployees202Then200<{ remote_id: string }>(token);
    expect(body.map((e) => e.remote_id).sort()).toEqual(emu.data.employees.map((e) => String(e.Id)).sort());
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
    await steps.expectTransparentRelogin(token);
  }, 60_000);

  it('twenty concurrent reads (twenty fetch jobs) during expiry → exactly one login', async () => {
    await steps.expectOneLoginForTwentyReads(
      token,
      connectionId,
      (i) => `/timesheets?start_date=${2000 + i}-01-01&end_date=2100-01-01`,
    );
  }, 90_000);

  it('password changed → 401 reauthentication_required, one connection.reauthentication_required event; reconnecting works', async () => {
    await steps.expectChangedPasswordNeedsUser(
      token,
      connectionId,
      'Changed#2025',
      '/timesheets?start_date=2000-01-01&end_date=2100-01-01',
    );
    const events = (
      await node.services.store.webhookEvents.list(h.clientApp.client.id, { limit: 50 })
    ).filter((e) => e.type === 'connection.reauthentication_required' && e.connectionId === connectionId);
    expect(events).toHaveLength(1);
    // Reconnect with the new password.
    ({ token, connectionId } = await steps.connectKept('Changed#2025', SECRET));
    expect((await read('/employees')).res.status).toBe(200);
  }, 90_000);

  it('the HTTP strategy never opened a browser page', () => {
    expect(node.services.browsers.stats.peak).toBe(0);
  });
});
