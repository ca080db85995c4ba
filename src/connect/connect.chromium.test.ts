/**
 * The connect page in real Chromium (playwright-core + Debian's /usr/bin/chromium): picker → sandbox → credentials
 * → MFA step → consent → 303 captured by a loopback callback server; and popup mode's postMessage to the opener.
 * Then the page's words and behaviour as a person meets them: a step counter that counts 1, 2, 3 and fits a phone,
 * focus on the error after a failed submit with only the failing field marked, API-key wording, a client logo that
 * cannot load, and error pages without raw codes. Screenshots of every state land in test-output/connect/ for a
 * person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../oauth/clients.js';
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
    expect(await stepText(page)).toBe('Step 1 of 3');
    await page.screenshot({ path: path.join(SHOTS, '01-picker.png'), fullPage: true });

    // The search box filters as you type (progressive enhancement).
    await page.getByLabel('Search providers').fill('sandb');
    await page.screenshot({ path: path.join(SHOTS, '02-picker-search.png'), fullPage: true });
    await page.getByRole('button', { name: /Sandbox/ }).click();

    await page.getByRole('heading', { name: /Sign in to/ }).waitFor();
    expect(await stepText(page)).toBe('Step 2 of 3');
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
    // The code is part of signing in: still step 2, so the count never jumps from 2 to 4.
    expect(await stepText(page)).toBe('Step 2 of 3');
    await page.screenshot({ path: path.join(SHOTS, '04-mfa.png'), fullPage: true });
    await page.getByRole('textbox', { name: 'Verification code' }).fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('verification code is not correct');
    expect(await page.getByRole('alert').textContent()).not.toContain('incorrect_mfa_or_otp');
    expect(await page.getByRole('alert').getAttribute('data-error-code')).toBe('incorrect_mfa_or_otp');
    expect(await focusedId(page)).toBe('form-error');
    expect(await page.getByRole('textbox', { name: 'Verification code' }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await page.screenshot({ path: path.join(SHOTS, '05-mfa-wrong-code.png'), fullPage: true });
    await page.getByRole('textbox', { name: 'Verification code' }).fill('123456');
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByRole('heading', { name: /Allow Acme Payroll Sync/ }).waitFor();
    expect(await stepText(page)).toBe('Step 3 of 3');
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

  it('the error page for a bad redirect URI never redirects, shows no raw codes and makes no claim about Affix', async () => {
    const page = await newPage();
    const res = await page.goto(
      `${base}/connect?client_id=${clientApp.client.id}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&mode=xhr&scope=/2023-03-01/xhr/employees`,
    );
    expect(res?.status()).toBe(400);
    expect(page.url().startsWith(base)).toBe(true);
    const text = ((await page.locator('main').textContent()) ?? '').toLowerCase();
    expect(text).not.toContain('never shared');
    expect(text).not.toContain('redirect_uri');
    expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    // What a developer needs is in the markup.
    const alert = page.getByRole('alert');
    expect(await alert.getAttribute('data-error-code')).toBe('invalid_request');
    expect(await alert.getAttribute('data-error-detail')).toContain('redirect_uri');
    await page.screenshot({ path: path.join(SHOTS, '08-error-page.png'), fullPage: true });
    await page.close();
  });

  const flowUrl = (o: { mode?: string; scope?: string; provider?: string; clientId?: string } = {}) => {
    const q = new URLSearchParams({
      client_id: o.clientId ?? clientApp.client.id,
      redirect_uri: `${clientApp.origin}/callback`,
      mode: o.mode ?? 'xhr',
      scope: o.scope ?? SCOPES,
    });
    if (o.provider) q.set('provider', o.provider);
    return `${base}/connect?${q}`;
  };

  it('on a 360 px wide phone the step counter counts 1, 2, 3 of 3 and never wraps', async () => {
    const page = await newPage({ viewport: { width: 360, height: 740 } });
    const seen: string[] = [];
    const check = async (shot: string) => {
      seen.push(await stepText(page));
      const layout = await page.evaluate(() => {
        const { document } = globalThis as unknown as { document: Doc };
        const el = document.querySelector('.steps') as El;
        const range = document.createRange();
        range.selectNodeContents(el);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        const card = (document.querySelector('.card') as El).getBoundingClientRect();
        return {
          lines,
          inside: el.getBoundingClientRect().right <= card.right,
          pageWidth: document.documentElement.scrollWidth,
        };
      });
      expect(layout).toEqual({ lines: 1, inside: true, pageWidth: 360 });
      await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
    };
    await page.goto(flowUrl());
    await check('12-phone-picker.png');
    await page.getByRole('button', { name: /Sandbox/ }).click();
    await page.getByRole('heading', { name: /Sign in to/ }).waitFor();
    await check('13-phone-credentials.png');
    await page.getByLabel('Username').fill('hr@acme.example');
    await page.getByLabel('Password').fill('pw');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await check('14-phone-consent.png');
    expect(seen).toEqual(['Step 1 of 3', 'Step 2 of 3', 'Step 3 of 3']);
    await page.close();
  }, 30_000);

  it('after a failed submit focus moves to the error and only the failing field is marked', async () => {
    const page = await newPage({ viewport: { width: 520, height: 900 } });
    await page.goto(flowUrl({ provider: 'sandbox' }));
    const username = page.getByLabel('Username');
    const password = page.getByLabel('Password');
    const invalid = async () =>
      page.evaluate(() => {
        const { document } = globalThis as unknown as { document: Doc };
        return [...document.querySelectorAll('[aria-invalid="true"]')].map((e) => e.getAttribute('name'));
      });

    // The provider refuses the password: the password is marked (it is what gets typed again), not the username.
    await username.fill('hr@acme.example');
    await password.fill('wrong-password');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    expect(await focusedId(page)).toBe('form-error');
    expect(await invalid()).toEqual(['password']);
    expect(await page.getByRole('alert').textContent()).not.toMatch(/incorrect_|error code/);
    expect(await page.getByRole('alert').getAttribute('data-error-code')).toBe(
      'incorrect_username_or_password',
    );
    expect(await username.inputValue()).toBe('hr@acme.example');
    await page.screenshot({ path: path.join(SHOTS, '15-wrong-password.png'), fullPage: true });

    // A required field left empty: only that field.
    await username.fill('');
    await password.fill('pw');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').filter({ hasText: 'Username is required' }).waitFor();
    expect(await focusedId(page)).toBe('form-error');
    expect(await invalid()).toEqual(['username']);
    expect(await username.getAttribute('aria-describedby')).toContain('form-error');
    expect((await password.getAttribute('aria-describedby')) ?? '').not.toContain('form-error');
    await page.screenshot({ path: path.join(SHOTS, '16-missing-username.png'), fullPage: true });
    await page.close();
  }, 30_000);

  it('an API-key provider says "Connect BambooHR" and names the key, not a password', async () => {
    const page = await newPage({ viewport: { width: 520, height: 900 } });
    await page.goto(
      flowUrl({ mode: 'official', scope: '/2023-03-01/official/employees', provider: 'bamboohr' }),
    );
    await page.getByRole('heading', { name: 'Connect BambooHR' }).waitFor();
    const lead = (await page.locator('.lead').textContent()) ?? '';
    expect(lead).toContain('API key');
    expect(lead).toContain('never sees your API key');
    expect(((await page.locator('main').textContent()) ?? '').toLowerCase()).not.toContain('password');
    // No picker: two steps.
    expect(await stepText(page)).toBe('Step 1 of 2');
    await page.screenshot({ path: path.join(SHOTS, '17-api-key-provider.png'), fullPage: true });
    await page.close();
  });

  it('a client logo that cannot be loaded falls back to the monogram; one that loads is shown', async () => {
    const accent = '#0f766e';
    const red = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#ff0000"/></svg>').toString('base64')}`;
    const logoPixel = async (logoUrl: string, shot: string) => {
      const { client } = await createClient(node.services, {
        name: 'Beta Payroll',
        redirectUris: [`${clientApp.origin}/callback`],
        logoUrl,
        accentColor: accent,
      });
      const page = await newPage({ viewport: { width: 520, height: 700 } });
      await page.goto(flowUrl({ clientId: client.id }));
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { document: Doc }).document.querySelector('img.logo')?.complete === true,
      );
      await page.screenshot({ path: path.join(SHOTS, shot), fullPage: true });
      const png = await page.locator('img.logo').screenshot();
      await page.close();
      return pixelAt(png, 0.2, 0.5);
    };
    // Nothing listens on this port: the browser's fetch of the logo fails.
    const unreachable = await logoPixel(
      `https://127.0.0.1:${await freePort()}/logo.png`,
      '18-logo-unreachable.png',
    );
    expect(unreachable).toEqual(rgbOf(accent));
    const loaded = await logoPixel(red, '19-logo-loaded.png');
    expect(loaded).toEqual([255, 0, 0]);
  }, 30_000);

  /** The colour at (x, y), as fractions of a PNG's size, decoded by the browser on a blank page. */
  async function pixelAt(png: Buffer, x: number, y: number): Promise<number[]> {
    const page = await newPage();
    try {
      return await page.evaluate(
        async ({ b64, x, y }) => {
          const { Image, document } = globalThis as unknown as {
            Image: new () => Img;
            document: { createElement(tag: 'canvas'): Canvas };
          };
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.width;
          canvas.height = img.height;
          const g = canvas.getContext('2d');
          g.drawImage(img, 0, 0);
          const d = g.getImageData(Math.floor(img.width * x), Math.floor(img.height * y), 1, 1).data;
          return [d[0] ?? -1, d[1] ?? -1, d[2] ?? -1];
        },
        { b64: png.toString('base64'), x, y },
      );
    } finally {
      await page.close();
    }
  }

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

/** The visible step counter, e.g. "Step 2 of 3". */
async function stepText(page: Page): Promise<string> {
  return ((await page.locator('.steps').textContent()) ?? '').trim();
}

function rgbOf(hex: string): number[] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The id of the element that has focus. */
function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as unknown as { document: Doc }).document.activeElement?.id);
}

// What the in-page checks use of the DOM, declared here because the project compiles without lib.dom.
interface Rect {
  top: number;
  right: number;
}
interface El {
  id: string;
  complete?: boolean;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): Rect;
}
interface Doc {
  activeElement: El | null;
  documentElement: { scrollWidth: number };
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
  createRange(): { selectNodeContents(el: El): void; getClientRects(): Iterable<Rect> };
}
interface Img {
  src: string;
  width: number;
  height: number;
  decode(): Promise<void>;
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(img: Img, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
}
