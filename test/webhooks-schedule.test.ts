/**
 * Change webhooks end to end, with real `affix worker` processes and a loopback receiver, on SQLite and PostgreSQL:
 * sandbox connections with SANDBOX_CHURN, the scheduled first poll records a baseline and sends nothing, later polls
 * deliver signed `{added, removed, updated, connection, changes}` bodies (both signature schemes verified); a worker
 * killed with SIGKILL while polls run and a delivery is in flight loses nothing once restarted: every event is
 * delivered, each webhook-id gets one 2xx and is recorded as succeeded once, and every connection's snapshot
 * version is exactly 1 + its change events (snapshot and event commit together; none lost, none re-baselined).
 * On PostgreSQL, two workers share 200 connections: no (connection, interval slot) is polled twice, no event is
 * delivered twice.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { type Store, openStore } from '../src/store/db.js';
import { patchRows, postgresUrl } from '../src/store/testing.js';
import { type SharedDatabase, affix, sharedStores, until } from '../src/testing/affix-cli.js';
import { type AffixProcess, spawnAffix } from '../src/testing/processes.js';
import { skipOrFailInCi } from '../src/testing/skip.js';
import { seedSignature } from '../src/webhooks/signing.js';

interface Received {
  id: string;
  type: string;
  body: Record<string, unknown>;
}

/** A loopback receiver that verifies both signature schemes; holds requests while `hold` is set. */
async function receiver(secrets: { client: string; whsec: string }) {
  const state = {
    hold: false,
    onHeld: undefined as (() => void) | undefined,
    held: [] as http.ServerResponse[],
    ok: new Map<string, number>(),
    received: [] as Received[],
    badSignatures: 0,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      let valid = headers['x-affix-api-signature'] === seedSignature(raw, secrets.client);
      try {
        new Webhook(secrets.whsec).verify(raw.toString('utf8'), headers);
      } catch {
        valid = false;
      }
      if (!valid) state.badSignatures++;
      if (state.hold) {
        state.held.push(res);
        state.onHeld?.();
        return;
      }
      const id = headers['webhook-id'] ?? '';
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      state.received.push({ id, type: String(body.type ?? 'employees.changed'), body });
      state.ok.set(id, (state.ok.get(id) ?? 0) + 1);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    release() {
      for (const res of state.held.splice(0)) res.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const isChange = (r: Received) => 'changes' in r.body;

async function setup(
  name: string,
  db: (dir: string) => Promise<SharedDatabase | undefined>,
  cleanups: Array<() => Promise<void> | void>,
  options: { connections: number; employees: number; churn: string },
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `affix-wh-sched-${name}-`));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const database = await db(dataDir);
  if (!database) return undefined;
  cleanups.push(database.drop);
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    WEBHOOK_TIMEOUT: '3s',
    SANDBOX_CHURN: options.churn,
    LOG_LEVEL: 'warn',
  };
  // The receiver learns the client's secrets once `client create` printed them.
  const secrets = { client: '', whsec: '' };
  const rx = await receiver(secrets);
  cleanups.push(rx.close);
  const client = JSON.parse(
    affix(
      [
        'client',
        'create',
        '--name',
        'sched',
        '--redirect-uri',
        'https://app.test/cb',
        '--webhook-uri',
        rx.url,
        '--json',
      ],
      env,
    ),
  ) as { client_id: string; client_secret: string; webhook_secret: string };
  secrets.client = client.client_secret;
  secrets.whsec = client.webhook_secret;
  const store = await openStore(database.url);
  cleanups.push(() => store.close());
  affix(
    [
      'sandbox-token',
      '--client',
      client.client_id,
      '--count',
      String(options.connections),
      '--employees',
      String(options.employees),
    ],
    env,
  );
  const connections = (await store.connections.ofClient(client.client_id)).map((c) => c.id);
  const workers: AffixProcess[] = [];
  const worker = (extra: Record<string, string>) => {
    const p = spawnAffix(['worker'], { ...env, ...extra });
    workers.push(p);
    cleanups.push(() => {
      if (p.alive()) p.child.kill('SIGKILL');
    });
    return p;
  };
  return { env, client, rx, store, connections, worker, workers };
}

/**
 * Before a worker that only drains the outbox: every connection's slot moved a month ahead, so it claims no slot and
 * drops the poll jobs left queued (a later slot is claimed).
 */
async function noMorePolls(store: Store): Promise<void> {
  await patchRows(store, 'webhook_poll_slots', { slot_at: Date.now() + 30 * 86_400_000 });
}

/** Every event row of the client. */
async function events(store: Store, clientId: string) {
  return store.webhookEvents.list(clientId, { limit: 100_000 });
}

describe.each(sharedStores)('change webhooks on a schedule ($name)', (db) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('baseline sends nothing; later polls deliver signed diffs; kill -9 mid-poll and mid-delivery loses nothing', async (ctx) => {
    if (db.name === 'postgres')
      skipOrFailInCi(
        ctx,
        postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
        'PostgreSQL webhook schedule test',
      );
    const s = await setup(db.name, db.url, cleanups, { connections: 3, employees: 10, churn: '0.2' });
    if (!s) return;
    const { store, rx, client, connections } = s;

    // 1. A worker with the default hourly interval: each connection's first poll is due at once (a baseline).
    const w1 = s.worker({ WEBHOOK_POLL_INTERVAL: '1h' });
    await until(
      'a baseline of every connection',
      async () => {
        for (const id of connections) if (!(await store.webhookSnapshots.read(id, 'employees'))) return false;
        return true;
      },
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    w1.stop();
    expect(await w1.exited).toBe(0);
    expect(rx.state.received.filter(isChange)).toEqual([]);
    for (const id of connections)
      expect((await store.webhookSnapshots.read(id, 'employees'))?.version).toBe(1);

    // 2. Polls every 2 s; the worker is killed at the first change delivery (polls are running meanwhile).
    rx.state.hold = true;
    const w2 = s.worker({ WEBHOOK_POLL_INTERVAL: '2s' });
    await new Promise<void>((resolve) => {
      rx.state.onHeld = () => {
        rx.state.onHeld = undefined;
        w2.child.kill('SIGKILL');
        resolve();
      };
    });
    expect(await w2.exited).toBe(-1);
    rx.release();
    rx.state.hold = false;

    // 3. Restart; let every connection see a few more changes, then stop polling and drain the outbox.
    const w3 = s.worker({ WEBHOOK_POLL_INTERVAL: '2s' });
    await until(
      'two delivered changes per connection',
      () =>
        connections.every(
          (id) =>
            rx.state.received.filter((r) => isChange(r) && (r.body.connection as { id: string }).id === id)
              .length >= 2,
        ),
      90_000,
    );
    w3.stop();
    expect(await w3.exited).toBe(0);
    await noMorePolls(store);
    const drain = s.worker({ WEBHOOK_POLL_INTERVAL: '1h' });
    await until(
      'every event succeeded',
      async () => (await events(store, client.client_id)).every((e) => e.status === 'succeeded'),
      90_000,
    );
    drain.stop();
    await drain.exited;

    const rows = await events(store, client.client_id);
    expect(rx.state.badSignatures).toBe(0);
    for (const row of rows) expect(rx.state.ok.get(row.id)).toBe(1);
    expect([...rx.state.ok.values()].every((n) => n === 1)).toBe(true);
    expect(rx.state.ok.size).toBe(rows.length);
    const changes = rx.state.received.filter(isChange);
    for (const r of changes) {
      expect(Object.keys(r.body).sort()).toEqual(['added', 'changes', 'connection', 'removed', 'updated']);
      const b = r.body as {
        added: unknown[];
        removed: unknown[];
        updated: unknown[];
        connection: { provider: string };
      };
      expect(b.added.length + b.removed.length + b.updated.length).toBeGreaterThan(0);
      expect(b.connection.provider).toBe('sandbox');
    }
    for (const id of connections) {
      const n = changes.filter((r) => (r.body.connection as { id: string }).id === id).length;
      const rowsOf = rows.filter((e) => e.connectionId === id && e.type === 'employees.changed').length;
      expect(n).toBe(rowsOf);
      expect((await store.webhookSnapshots.read(id, 'employees'))?.version).toBe(1 + n);
    }
  }, 300_000);
});

describe('two workers share the polls (postgres)', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('200 connections: no connection polled twice in one slot, no duplicate delivery', async (ctx) => {
    skipOrFailInCi(ctx, postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL', 'two-worker poll test');
    const pg = sharedStores[1];
    const s = await setup('pg2', pg.url, cleanups, { connections: 200, employees: 3, churn: '0.5' });
    if (!s) return;
    const { store, rx, client, connections } = s;
    const extra = { WEBHOOK_POLL_INTERVAL: '15s', LOG_LEVEL: 'debug', WEBHOOK_CONCURRENCY: '8' };
    const a = s.worker(extra);
    const b = s.worker(extra);
    const polls = () => {
      const out: Array<{ worker: number; connectionId: string; slotAt: number; outcome: string }> = [];
      [a, b].forEach((w, worker) => {
        for (const line of w.output().split('\n')) {
          if (!line.includes('"webhooks: polled"')) continue;
          const j = JSON.parse(line) as { connectionId: string; slotAt: number; outcome: string };
          out.push({ worker, connectionId: j.connectionId, slotAt: j.slotAt, outcome: j.outcome });
        }
      });
      return out;
    };
    // Every connection polled at least twice (baseline + one diff) by the two workers together.
    await until(
      'two polls of every connection',
      () => {
        const n = new Map<string, number>();
        for (const p of polls()) n.set(p.connectionId, (n.get(p.connectionId) ?? 0) + 1);
        return connections.every((id) => (n.get(id) ?? 0) >= 2);
      },
      150_000,
    );
    a.stop();
    b.stop();
    await Promise.all([a.exited, b.exited]);
    await noMorePolls(store);
    const drain = s.worker({ WEBHOOK_POLL_INTERVAL: '1h' });
    await until(
      'every event succeeded',
      async () => (await events(store, client.client_id)).every((e) => e.status === 'succeeded'),
      120_000,
    );
    drain.stop();
    await drain.exited;

    const all = polls();
    const keys = all.map((p) => `${p.connectionId}@${p.slotAt}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Slots of one connection are a whole interval apart: never two polls in one interval.
    for (const id of connections) {
      const slots = all
        .filter((p) => p.connectionId === id)
        .map((p) => p.slotAt)
        .sort((x, y) => x - y);
      for (let i = 1; i < slots.length; i++)
        expect((slots[i] as number) - (slots[i - 1] as number)).toBeGreaterThanOrEqual(15_000);
    }
    // Both workers took polls.
    expect(new Set(all.map((p) => p.worker)).size).toBe(2);
    const rows = await events(store, client.client_id);
    const changed = rows.filter((e) => e.type === 'employees.changed');
    expect(changed.length).toBe(all.filter((p) => p.outcome === 'changed').length);
    expect(rx.state.badSignatures).toBe(0);
    for (const row of rows) expect(rx.state.ok.get(row.id)).toBe(1);
    expect(rx.state.ok.size).toBe(rows.length);
    for (const id of connections) {
      const n = changed.filter((e) => e.connectionId === id).length;
      expect((await store.webhookSnapshots.read(id, 'employees'))?.version).toBe(1 + n);
    }
  }, 400_000);
});
