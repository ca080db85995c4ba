/**
 * The harness of the xhr providers' end-to-end tests: a listening node pointed at the provider's emulator (small
 * browser pool, short cache wait), a client app, Debian's Chromium for the user, the connect page driven to a
 * token (credentials, optional OTP step, consent, code exchange), reads that poll their 202s, and the
 * reauthentication observer's calls. Each test file supplies how its provider's own fields are filled. Not
 * imported by production code.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { providerBaseUrlVar } from '../config.js';
import type { ProviderId } from '../model/index.js';
import { grantableScopes } from '../oauth/scopes.js';
import { type ClientApp, exchangeAtManagement, startClientApp, startNode } from '../oauth/tests/support.js';
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
    async alertCode(page) {
      await page.getByRole('alert').waitFor();
      return page.getByRole('alert').getAttribute('data-error-code');
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
