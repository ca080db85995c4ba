/**
 * kill -9 of `affix serve` in the middle of webhook deliveries, on SQLite and on PostgreSQL (graphile-worker): the
 * events were queued by another process (`affix sandbox-token`: one `connection.created` each), the first server
 * is killed while the receiver holds their requests unanswered, and after a restart every event is delivered:
 * each webhook-id gets exactly one 2xx answer and is recorded as succeeded once.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgSchema, postgresUrl } from '../src/store/testing.js';
import { affix, sharedStores as stores, until } from '../src/testing/affix-cli.js';
import { type AffixProcess, freePort, spawnAffix } from '../src/testing/processes.js';
import { skipOrFailInCi } from '../src/testing/skip.js';

const EVENTS = 5;

describe.each(stores)('webhooks survive kill -9 mid-delivery ($name)', (store) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('every event is delivered after the restart, each webhook-id succeeding once', async (ctx) => {
    if (store.name === 'postgres')
      skipOrFailInCi(
        ctx,
        postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
        'PostgreSQL webhook crash test',
      );
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-wh-crash-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const db = await store.url(dataDir);
    if (!db) return;
    cleanups.push(db.drop);

    // The receiver: holds every request until `answering`, then answers 200 and counts the 2xx per webhook-id.
    let answering = false;
    let onFirst: (() => void) | undefined;
    const held: http.ServerResponse[] = [];
    const seen: string[] = [];
    const ok = new Map<string, number>();
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        seen.push(id);
        if (!answering) {
          held.push(res);
          onFirst?.();
          return;
        }
        ok.set(id, (ok.get(id) ?? 0) + 1);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_TIMEOUT: '4s',
      LOG_LEVEL: 'warn',
      RATE_LIMITS: 'off',
    };
    const client = JSON.parse(
      affix(
        [
          'client',
          'create',
          '--name',
          'crash',
          '--redirect-uri',
          'https://app.test/cb',
          '--webhook-uri',
          hook,
          '--json',
        ],
        env,
      ),
    ) as { client_id: string };
    affix(
      ['sandbox-token', '--client', client.client_id, '--count', String(EVENTS), '--employees', '2'],
      env,
    );

    const serve = async (): Promise<AffixProcess> => {
      const p = spawnAffix(['serve'], { ...env, PORT: String(await freePort()) });
      cleanups.push(() => {
        if (p.alive()) p.child.kill('SIGKILL');
      });
      return p;
    };
    // First server: killed at the first request it sends, the others in flight too.
    const first = await serve();
    await new Promise<void>((resolve) => {
      onFirst = () => {
        onFirst = undefined;
        first.child.kill('SIGKILL');
        resolve();
      };
    });
    expect(await first.exited).toBe(-1);
    expect(seen.length).toBeGreaterThan(0);
    for (const res of held) res.destroy();
    answering = true;

    // Restart: the events held by the dead process are sent once their lease ends (timeout + 10 s).
    const second = await serve();
    await until('every event delivered', () => ok.size === EVENTS, 120_000);
    await new Promise((r) => setTimeout(r, 1500));
    second.stop();
    await second.exited;
    expect([...ok.values()]).toEqual(Array(EVENTS).fill(1));

    const rows = JSON.parse(
      affix(['webhooks', 'list', '--client', client.client_id, '--json'], env),
    ) as Array<{
      id: string;
      type: string;
      status: string;
    }>;
    expect(rows).toHaveLength(EVENTS);
    for (const r of rows) {
      expect(r.type).toBe('connection.created');
      expect(r.status).toBe('succeeded');
      expect(ok.get(r.id)).toBe(1);
    }
  }, 600_000);
});

describe('two worker processes on PostgreSQL share the deliveries', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('each webhook-id is sent once, by one of them, and both take work', async (ctx) => {
    skipOrFailInCi(
      ctx,
      postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
      'PostgreSQL two-worker webhooks test',
    );
    if (!postgresUrl) return;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-wh-two-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const schema = await createPgSchema();
    cleanups.push(schema.drop);
    const url = new URL(postgresUrl);
    url.searchParams.set('options', `-c search_path=${schema.name}`);

    const count = new Map<string, number>();
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id']);
        count.set(id, (count.get(id) ?? 0) + 1);
        // Slow enough that one worker alone could not take every job before the other does.
        setTimeout(() => res.end('ok'), 150);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: url.toString(),
      WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_CONCURRENCY: '2',
      LOG_LEVEL: 'info',
      RATE_LIMITS: 'off',
      AFFIX_ENV: 'dev',
    };
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const client = JSON.parse(
      affix(
        [
          'client',
          'create',
          '--name',
          'two',
          '--redirect-uri',
          'https://app.test/cb',
          '--webhook-uri',
          hook,
          '--json',
        ],
        env,
      ),
    ) as { client_id: string };
    const workers: AffixProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const p = spawnAffix(['serve'], { ...env, PORT: String(await freePort()) });
      cleanups.push(() => {
        if (p.alive()) p.child.kill('SIGKILL');
      });
      workers.push(p);
    }
    for (const w of workers)
      await until('a worker listening', () => /listening on/.test(w.output()), 120_000);

    const events = 30;
    affix(
      ['sandbox-token', '--client', client.client_id, '--count', String(events), '--employees', '2'],
      env,
    );
    await until('every event delivered', () => count.size === events, 120_000);
    await new Promise((r) => setTimeout(r, 1000));
    for (const w of workers) {
      w.stop();
      await w.exited;
    }
    expect([...count.values()]).toEqual(Array(events).fill(1));
    const delivered = workers.map((w) => (w.output().match(/webhook delivered/g) ?? []).length);
    expect(delivered[0]! + delivered[1]!).toBe(events);
    expect(Math.min(...delivered)).toBeGreaterThan(0);
  }, 600_000);
});
