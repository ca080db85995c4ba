/** Documented answers are logged as what they are: no stack traces for 4xx, 501 or an announced 503. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../logging/logger.js';
import { createServices, type Services } from '../services.js';
import { openTestStore } from '../store/testing.js';
import { buildApp } from './app.js';
import { errors } from './errors.js';

describe('error logging', () => {
  const lines: string[] = [];
  let services: Services;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-errlog-'));

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMITS: 'off' });
    services = await createServices(config, { store: await openTestStore('sqlite') });
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = await buildApp(services, { loggerInstance: createLogger(config, stream) });
    app.get('/t/400', async () => {
      throw errors.badRequest('start_date is missing');
    });
    app.get('/t/501', async () => {
      throw errors.notImplemented('bamboohr does not support payruns');
    });
    app.get('/t/503', async () => {
      throw errors.unavailable('provider unavailable: timeout; retry later', 30);
    });
    app.get('/t/500', async () => {
      throw new Error('a real bug');
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const logged = async (url: string) => {
    lines.length = 0;
    const res = await app.inject({ method: 'GET', url });
    return { status: res.statusCode, log: lines.join('') };
  };

  it('a documented 400 or 501 leaves only the request line', async () => {
    for (const [url, status] of [
      ['/t/400', 400],
      ['/t/501', 501],
    ] as const) {
      const { status: got, log } = await logged(url);
      expect(got).toBe(status);
      expect(log).not.toMatch(/"stack"|request failed/);
      expect(log).toMatch(/"msg":"request"/);
    }
  });

  it('an announced 503 is one warning with its reason and no stack', async () => {
    const { status, log } = await logged('/t/503');
    expect(status).toBe(503);
    expect(log).toMatch(/"level":40.*"reason":"provider unavailable: timeout; retry later"/);
    expect(log).not.toMatch(/"stack"/);
  });

  it('a real bug is still logged with its stack', async () => {
    const { status, log } = await logged('/t/500');
    expect(status).toBe(500);
    expect(log).toMatch(/request failed/);
    expect(log).toMatch(/"stack"/);
  });
});
