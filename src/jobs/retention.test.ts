/**
 * Retention with a controllable clock: logs 14 days, screenshots 5 days, caches by TTL and never past 14 days;
 * settings may shorten, never lengthen, the promises.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { newId } from '../ids.js';
import { RequestLogWriter } from '../logging/request-log-writer.js';
import type { Store } from '../store/db.js';
import type { RequestLogEntry } from '../store/request-logs.js';
import { rowsIn, testStoreKinds } from '../store/testing.js';
import { LocalKeyring, Vault } from '../vault/index.js';
import { RetentionJob, retentionPolicy, screenshotsDir } from './retention.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

/** A request-log row of client `c` with no connection. */
function clientLog(id: string, createdAt: number): RequestLogEntry {
  return {
    id,
    createdAt,
    method: 'GET',
    path: '/',
    status: 200,
    latencyMs: 1,
    clientId: 'c',
    connectionId: null,
    provider: null,
  };
}

describe('retention settings only go down', () => {
  it('defaults to the promises', () => {
    const c = loadConfig({});
    expect(retentionPolicy(c)).toEqual({
      logsMs: 14 * DAY,
      logsMaxRows: 10_000_000,
      screenshotsMs: 5 * DAY,
      cacheMaxAgeMs: 14 * DAY,
    });
  });
  it('accepts shorter values', () => {
    const c = loadConfig({ LOG_RETENTION: '3d', SCREENSHOT_RETENTION: '12h', CACHE_TTL: '5m' });
    expect(retentionPolicy(c)).toMatchObject({ logsMs: 3 * DAY, screenshotsMs: DAY / 2 });
  });
  it.each([
    ['LOG_RETENTION', '15d'],
    ['SCREENSHOT_RETENTION', '6d'],
    ['CACHE_TTL', '15d'],
  ])('refuses %s=%s (above the promise)', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

describe.each(testStoreKinds)('retention job on $name', (kind) => {
  let store: Store;
  let dir: string;
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('deletes logs after 14 days, screenshots after 5, caches at TTL or 14 days, nothing younger', async () => {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-retention-'));
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), store.dataKeys);
    const clientId = newId('client');
    await store.clients.insert({
      id: clientId,
      name: 'A',
      redirectUris: [],
      webhookUri: null,
      logoUrl: null,
      accentColor: null,
      isPublic: false,
      createdAt: T0,
    });
    const con = newId('connection');
    await store.connections.insert({
      id: con,
      clientId,
      provider: 'sandbox',
      mode: 'xhr',
      settings: {},
      createdAt: T0,
    });

    // Logs written on day 0 and day 10.
    const writer = new RequestLogWriter(store);
    const log = (id: string, at: number) =>
      writer.push({
        id,
        createdAt: at,
        method: 'GET',
        path: '/x',
        status: 200,
        latencyMs: 1,
        clientId,
        connectionId: con,
        provider: 'sandbox',
      });
    log('req_day0', T0);
    log('req_day10', T0 + 10 * DAY);
    await writer.close();

    // Cache: one row with a 1 h TTL, one written under a (legacy) 30-day TTL.
    const sealed = await vault.seal(con, 'cache', 'x');
    await store.cache.write({
      key: 'short',
      connectionId: con,
      resource: 'r',
      body: sealed,
      createdAt: T0,
      expiresAt: T0 + 3_600_000,
    });
    await store.cache.write({
      key: 'long',
      connectionId: con,
      resource: 'r',
      body: sealed,
      createdAt: T0,
      expiresAt: T0 + 30 * DAY,
    });

    // Screenshots: files dated day 0 and day 4 (mtime is their age).
    const shots = screenshotsDir(dir);
    fs.mkdirSync(path.join(shots, con), { recursive: true });
    const shot = (name: string, at: number) => {
      const f = path.join(shots, con, name);
      fs.writeFileSync(f, 'sealed-bytes');
      fs.utimesSync(f, at / 1000, at / 1000);
      return f;
    };
    const s0 = shot('day0.png.sealed', T0);
    const s4 = shot('day4.png.sealed', T0 + 4 * DAY);

    let now = T0;
    const job = new RetentionJob(store, retentionPolicy(loadConfig({})), { dataDir: dir, now: () => now });
    const cacheKeys = async () => (await rowsIn(store, 'cache_entries')).map((r) => r.key).sort();
    const logIds = async () => (await store.requestLogs.query({ clientId, limit: 10 })).map((r) => r.id);

    now = T0 + 30 * 60_000; // 30 min: nothing is due
    expect(await job.run()).toEqual({ request_logs: 0, cache_entries: 0, screenshots: 0 });

    now = T0 + 2 * 3_600_000; // 2 h: the 1 h cache row expired
    expect(await job.run()).toMatchObject({ cache_entries: 1 });
    expect(await cacheKeys()).toEqual(['long']);

    now = T0 + 5 * DAY - 1; // just under 5 days: screenshots stay
    expect(await job.run()).toMatchObject({ screenshots: 0 });
    now = T0 + 5 * DAY + 1; // day-0 screenshot is past 5 days
    expect(await job.run()).toMatchObject({ screenshots: 1 });
    expect([fs.existsSync(s0), fs.existsSync(s4)]).toEqual([false, true]);

    now = T0 + 14 * DAY - 1;
    // Logs and the long-TTL cache row are still inside 14 days; the day-4 screenshot is 10 days old.
    expect(await job.run()).toEqual({ request_logs: 0, cache_entries: 0, screenshots: 1 });
    now = T0 + 14 * DAY + 1; // day-0 log and the 30-day-TTL cache row hit the 14-day ceiling
    expect(await job.run()).toEqual({ request_logs: 1, cache_entries: 1, screenshots: 0 });
    expect(await logIds()).toEqual(['req_day10']);
    expect(await cacheKeys()).toEqual([]);
  });

  it('a shortened LOG_RETENTION applies', async () => {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-retention-'));
    const writer = new RequestLogWriter(store);
    writer.push(clientLog('req_1', T0));
    await writer.close();
    const job = new RetentionJob(store, retentionPolicy(loadConfig({ LOG_RETENTION: '1d' })), {
      now: () => T0 + DAY + 1,
    });
    expect(await job.run()).toEqual({ request_logs: 1, cache_entries: 0 });
  });

  it('REQUEST_LOG_MAX_ROWS caps the request log, oldest rows first, after the age cap', async () => {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-retention-'));
    const writer = new RequestLogWriter(store);
    for (let i = 0; i < 1500; i++) writer.push(clientLog(`req_${i}`, T0 + i));
    await writer.close();
    const config = loadConfig({ REQUEST_LOG_MAX_ROWS: '1000', LOG_RETENTION: '1d' });
    const job = new RetentionJob(store, retentionPolicy(config), { now: () => T0 + DAY + 100 });
    // 100 rows are past a day; of the other 1400, the oldest 400 go to fit the cap.
    expect(await job.run()).toEqual({ request_logs: 500, cache_entries: 0 });
    const left = await store.requestLogs.query({ clientId: 'c', limit: 1000 });
    expect(left).toHaveLength(1000);
    expect(left.at(-1)?.id).toBe('req_500');
    expect(left[0]?.id).toBe('req_1499');
    expect(() => loadConfig({ REQUEST_LOG_MAX_ROWS: '10' })).toThrow(ConfigError);
  });
});
