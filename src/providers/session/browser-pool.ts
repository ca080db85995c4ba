/**
 * The browser for logins that need JavaScript: one headless Chromium per node (Debian's, driven by playwright-core),
 * launched on first use, with a hard cap on open pages (each login gets its own context and page; callers beyond the
 * cap wait their turn) and a memory cap (the V8 heap of every renderer, `--js-flags=--max-old-space-size`). A page
 * and its context are closed on every path, success or throw; a browser that crashed is launched again on next use.
 * playwright-core itself is imported on first launch, not at start: loading it costs a node about 90 MB of RSS, which
 * a node that never logs in through a browser must not pay.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface BrowserPoolOptions {
  executablePath: string;
  /** Most pages open at once. */
  maxPages: number;
  /** V8 heap limit of each renderer, in MiB. */
  maxMemoryMb: number;
  /** Longest a login waits for a free page before failing (unavailable). */
  acquireTimeoutMs?: number;
}

export interface PageOptions {
  /** `http://host:port` of an HTTP(S) proxy every request of the page goes through. */
  proxy?: string;
  /** Default wait of the page's locators and navigations. */
  timeoutMs?: number;
}

export class PoolTimeoutError extends Error {
  constructor() {
    super('no free browser page in time');
    this.name = 'PoolTimeoutError';
  }
}

export class BrowserPool {
  private browser: Promise<Browser> | undefined;
  private open = 0;
  private peakPages = 0;
  private readonly waiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: BrowserPoolOptions) {}

  /** Pages open now, and the most ever open at once. */
  get stats(): { open: number; peak: number; waiting: number } {
    return { open: this.open, peak: this.peakPages, waiting: this.waiters.length };
  }

  /** Runs `fn` with a fresh page (own context: no cookies shared between connections); always closes both. */
  async withPage<T>(
    fn: (page: Page, context: BrowserContext) => Promise<T>,
    options: PageOptions = {},
  ): Promise<T> {
    await this.acquire();
    let context: BrowserContext | undefined;
    try {
      const browser = await this.launch();
      context = await browser.newContext({
        ...(options.proxy ? { proxy: { server: options.proxy, bypass: '<-loopback>' } } : {}),
        viewport: { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(options.timeoutMs ?? 15_000);
      return await fn(page, context);
    } finally {
      // Closing the context closes its pages; a crashed browser throws here, which must not hide fn's own error.
      await context?.close().catch(() => {});
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }

  private launch(): Promise<Browser> {
    if (this.closed) return Promise.reject(new Error('browser pool closed'));
    if (!this.browser) {
      const launching = import('playwright-core').then(({ chromium }) =>
        chromium.launch({
          executablePath: this.options.executablePath,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            `--js-flags=--max-old-space-size=${this.options.maxMemoryMb}`,
            // Loopback requests go through a configured proxy too (Chromium bypasses it for them by default).
            '--proxy-bypass-list=<-loopback>',
          ],
        }),
      );
      this.browser = launching;
      launching.then(
        (b) =>
          b.on('disconnected', () => {
            if (this.browser === launching) this.browser = undefined;
          }),
        () => {
          if (this.browser === launching) this.browser = undefined;
        },
      );
    }
    return this.browser;
  }

  private async acquire(): Promise<void> {
    if (this.open < this.options.maxPages) {
      this.take();
      return;
    }
    const timeout = this.options.acquireTimeoutMs ?? 60_000;
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new PoolTimeoutError());
      }, timeout);
      this.waiters.push(grant);
    });
    // The releasing caller handed its slot over: `open` never dropped, so nobody could slip in between.
  }

  private take(): void {
    this.open++;
    this.peakPages = Math.max(this.peakPages, this.open);
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.open--;
  }
}
