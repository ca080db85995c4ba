/**
 * The connect page in real Chromium (playwright-core + Debian's /usr/bin/chromium): picker → sandbox → credentials
 * → MFA step → consent → 303 captured by a loopback callback server; and popup mode's postMessage to the opener.
 * Screenshots of every step land in test-output/connect/ for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientApp, exchangeAtManagement, startClientApp, startNode } from '../oauth/tests/support.js';
import {
  freePort,
  haveChromium,
  launchChromium,
  newPage as openPage,
  warnIfNoChromium,
} from '../testing/chromium.js';
import type { TestNode } from '../testing/node.js';

warnIfNoChromium('the Chromium connect-page tests are');

const SHOTS = path.resolve(import.meta.dirname, '../../test-output/connect');
const SCOPES = '/2023-03-01/xhr/employees /2023-03-01/xhr/payruns /2023-03-01/xhr/identity';

describe.skipIf(!haveChromium)('connect page in Chromium', () => {
  let node: TestNode;
  let base: string;
  let browser: Browser;
  let clientApp: ClientApp;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    node = await startNode({ PUBLIC_URL: base });
    await node.app.listen({ port, host: '127.0.0.1' });

    // The developer's app: a callback endpoint and a page using connect.js in popup mode.
    clientApp = await startClientApp(node, (url, res, app) => {
      if (url.pathname !== '/app') return false;
      const params = JSON.stringify({
        client_id: app.client.id,
        redirect_uri: app.redirectUri,
        mode: 'xhr',
        scope: SCOPES,
        provider: 'sandbox',
        state: 'popup-state',
      });
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Acme</title>
<script src="${base}/connect.js"></script>
<button id="connect">Connect your HR system</button>
<script>
document.getElementById('connect').onclick = function(){
  AffixConnect.open({ display: 'popup', params: ${params}, onMessage: function(m){ window.__result = m; } });
};
</script>`);
      return true;
    });

    browser = await launchChromium();
  }, 30_000);

  const newPage = (options?: Parameters<Browser['newPage']>[0]) => openPage(browser, options);

  afterAll(async () => {
    await browser?.close();
    await clientApp?.close();
    await node?.close();
  });

  it('picker → sandbox → credentials → MFA → consent → 303 to the callback', async () => {
    const page = await newPage({ viewport: { width: 520, height: 900 } });
    const q = new URLSearchParams({
      client_id: clientApp.client.id,
      redirect_uri: `${clientApp.origin}/callback`,
      response_type: 'code',
      mode: 'xhr',
      scope: SCOPES,
      state: 'chromium-state',
    });
    const first = await page.goto(`${base}/connect?${q}`);
    expect(first?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await expect(page.title()).resolves.toContain('Select your provider');
    await page.screenshot({ path: path.join(SHOTS, '01-picker.png'), fullPage: true });

    // The search box filters as you type (progressive enhancement).
    await page.getByLabel('Search providers').fill('sandb');
    await page.screenshot({ path: path.join(SHOTS, '02-picker-search.png'), fullPage: true });
    await page.getByRole('button', { name: /Sandbox/ }).click();

    await page.getByRole('heading', { name: /Sign in to/ }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, '03-credentials.png'), fullPage: true });
    // Keyboard only: labels lead to fields, Tab moves in order, Enter submits.
    await page
      .getByLabel(/user|email/i)
      .first()
      .fill('demo+mfa@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type('correct horse battery');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Enter your verification code' }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, '04-mfa.png'), fullPage: true });
    await page.getByRole('textbox', { name: 'Verification code' }).fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('incorrect_mfa_or_otp');
    await page.screenshot({ path: path.join(SHOTS, '05-mfa-wrong-code.png'), fullPage: true });
    await page.getByRole('textbox', { name: 'Verification code' }).fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByRole('heading', { name: /Allow Acme Payroll Sync/ }).waitFor();
    expect(await page.locator('.scopes li').count()).toBe(3);
    await page.screenshot({ path: path.join(SHOTS, '06-consent.png'), fullPage: true });
    await Promise.all([
      page.waitForURL(`${clientApp.origin}/callback?**`),
      page.getByRole('button', { name: 'Allow' }).click(),
    ]);
    await page.screenshot({ path: path.join(SHOTS, '07-callback.png'), fullPage: true });

    const cb = clientApp.callbacks.at(-1) as URL;
    expect(cb.searchParams.get('state')).toBe('chromium-state');
    expect(cb.searchParams.get('iss')).toBe(base);
    const code = cb.searchParams.get('code') as string;
    expect(cb.searchParams.get('authorization_code')).toBe(code);

    const token = await exchangeAtManagement(base, clientApp.client, code, `${clientApp.origin}/callback`);
    expect(token.status).toBe(201);
    await page.close();
  }, 30_000);

  it('the error page for a bad redirect URI never redirects', async () => {
    const page = await newPage();
    const res = await page.goto(
      `${base}/connect?client_id=${clientApp.client.id}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&mode=xhr&scope=/2023-03-01/xhr/employees`,
    );
    expect(res?.status()).toBe(400);
    expect(page.url().startsWith(base)).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, '08-error-page.png'), fullPage: true });
    await page.close();
  });

  it('popup mode: connect.js opens the flow and the opener receives {name: "auth-message", authorizationCode, state}', async () => {
    const page = await newPage();
    await page.goto(`${clientApp.origin}/app`);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#connect')]);
    await popup.getByRole('heading', { name: /Sign in to/ }).waitFor();
    await popup.screenshot({ path: path.join(SHOTS, '09-popup-credentials.png'), fullPage: true });
    await popup
      .getByLabel(/user|email/i)
      .first()
      .fill('hr@acme.example');
    await popup.getByLabel(/password/i).fill('pw');
    await popup.getByRole('button', { name: 'Continue' }).click();
    await popup.getByRole('button', { name: 'Allow' }).waitFor();
    await popup.screenshot({ path: path.join(SHOTS, '10-popup-consent.png'), fullPage: true });
    await Promise.all([popup.waitForEvent('close'), popup.getByRole('button', { name: 'Allow' }).click()]);

    await page.waitForFunction(
      () => (globalThis as unknown as { __result?: unknown }).__result !== undefined,
    );
    const result = await page.evaluate(
      () => (globalThis as unknown as { __result: Record<string, string> }).__result,
    );
    expect(result).toMatchObject({ name: 'auth-message', state: 'popup-state', iss: base });
    expect(result.authorizationCode).toMatch(/^[\w-]{43}$/);
    await page.screenshot({ path: path.join(SHOTS, '11-popup-opener.png'), fullPage: true });

    // The code works like any other.
    const token = await fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: result.authorizationCode as string,
        redirect_uri: `${clientApp.origin}/callback`,
        client_id: clientApp.client.id,
        client_secret: clientApp.client.secret,
      }),
    });
    expect(token.status).toBe(200);
    await page.close();
  }, 30_000);

  it('popup closed by the user → {closed: true}', async () => {
    const page = await newPage();
    await page.goto(`${clientApp.origin}/app`);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#connect')]);
    await popup.close();
    await page.waitForFunction(
      () => (globalThis as unknown as { __result?: unknown }).__result !== undefined,
    );
    expect(
      await page.evaluate(() => (globalThis as unknown as { __result: unknown }).__result),
    ).toMatchObject({ closed: true });
    await page.close();
  }, 20_000);
});
