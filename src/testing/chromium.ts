/**
 * Shared by the Chromium suites: Debian's /usr/bin/chromium driven by playwright-core, a loopback port, and pages
 * whose waits fail fast. Suites use `describe.skipIf(!haveChromium)`; the warning says why they were skipped.
 */
import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);

/** Call at module level of a Chromium suite so a skipped run says so on the console. */
export function warnIfNoChromium(what: string): void {
  if (!haveChromium) console.warn(`[tests] ${CHROMIUM} not found: ${what} SKIPPED`);
}

/** launch() gives every run a fresh temporary profile (user-data dir), deleted on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page whose waits fail after 8 s, so a broken step names itself instead of timing out the whole test. */
export async function newPage(browser: Browser, options?: Parameters<Browser['newPage']>[0]) {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(8_000);
  page.on('popup', (popup) => popup.setDefaultTimeout(8_000));
  return page;
}

export { freePort } from './processes.js';
