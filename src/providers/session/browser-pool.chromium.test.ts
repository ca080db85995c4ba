/**
 * The browser pool with Debian's Chromium: the page cap holds under 50 concurrent logins, every page is closed on
 * success and on throw, and a per-provider proxy carries the page's requests.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, warnIfNoChromium } from '../../testing/chromium.js';
import { startCountingProxy } from '../../testing/counting-proxy.js';
import { BrowserPool } from './browser-pool.js';

warnIfNoChromium('the browser pool tests are');

describe.skipIf(!haveChromium)('BrowserPool (Chromium)', () => {
  let server: http.Server;
  let url = '';
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>ok</title><p id="x">hello</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('never more pages than the cap under 50 concurrent connections; all closed, throws included', async () => {
    const pool = new BrowserPool({ executablePath: CHROMIUM, maxPages: 3, maxMemoryMb: 256 });
    try {
      let concurrent = 0;
      let peak = 0;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          pool.withPage(async (page, context) => {
            concurrent++;
            peak = Math.max(peak, concurrent, context.browser()?.contexts().length ?? 0);
            try {
              await page.goto(url);
              if (i % 5 === 0) throw new Error('login page looked wrong');
              return await page.textContent('#x');
            } finally {
              concurrent--;
            }
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(40);
      expect(peak).toBeLessThanOrEqual(3);
      expect(pool.stats.peak).toBe(3);
      expect(pool.stats.open).toBe(0);
      // Every context (and so every page) is gone.
      const open = await pool.withPage(async (_page, context) => context.browser()?.contexts().length);
      expect(open).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a proxy given for the page carries its requests', async () => {
    const proxy = await startCountingProxy();
    const pool = new BrowserPool({ executablePath: CHROMIUM, maxPages: 1, maxMemoryMb: 256 });
    try {
      const text = await pool.withPage(
        async (page) => {
          await page.goto(url);
          return page.textContent('#x');
        },
        { proxy: proxy.url },
      );
      expect(text).toBe('hello');
      expect(proxy.stats.requests + proxy.stats.tunnels).toBeGreaterThanOrEqual(1);
      expect(proxy.stats.hosts).toContain(new URL(url).host);
    } finally {
      await pool.close();
      await proxy.close();
    }
  }, 30_000);
});
