/**
 * The poll schedule on SQLite and PostgreSQL: jittered phases, one poll job per connection and slot however many
 * schedulers race, only active connections of clients with a webhook_uri, stale jobs dropped, the real outbox in the
 * snapshot's transaction, and sync.failed when a poll's fetch fails.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxToken } from '../cli/sandbox.js';
import { providerBaseUrlVar } from '../config.js';
import { scopeFor } from '../model/index.js';
import { createClient } from '../oauth/clients.js';
import { DEFAULT_KNOBS, type Emulator, startEmulator } from '../providers/bamboohr/emulator/server.js';
import { connectionToken } from '../testing/fixtures.js';
import { postgresUrl } from '../store/testing.js';
import { wipeConnection } from '../sync/wipe-connection.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { POLL_JOB, pollPhase, runPollJob, scheduleDuePolls, slotAt, tickMs } from './schedule.js';

const HOUR = 3_600_000;
const log = pino({ level: 'silent' });

describe('slots', () => {
  it('each connection has a fixed phase; its slots are an interval apart; phases spread over the interval', () => {
    const counts = new Array(10).fill(0) as number[];
    for (let i = 0; i < 2000; i++) {
      const id = `conn_${i}`;
      const phase = pollPhase(id, HOUR);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(HOUR);
      const t = 1_800_000_000_000 + i * 7919;
      const s = slotAt(id, HOUR, t);
      expect(s).toBeLessThanOrEqual(t);
      expect(t - s).toBeLessThan(HOUR);
      expect(slotAt(id, HOUR, s + HOUR)).toBe(s + HOUR);
      expect(slotAt(id, HOUR, s + HOUR - 1)).toBe(s);
      counts[Math.floor((phase / HOUR) * 10)] = (counts[Math.floor((phase / HOUR) * 10)] ?? 0) + 1;
    }
    // 2,000 connections over 10 tenths of the hour: each tenth gets roughly 200.
    for (const n of counts) expect(n).toBeGreaterThan(140);
    expect(tickMs(HOUR)).toBe(30_000);
    expect(tickMs(5000)).toBe(1250);
    expect(tickMs(1000)).toBe(250);
  });
});

const kinds = ['sqlite', ...(postgresUrl ? ['postgres' as const] : [])] as const;

describe.each(kinds)('poll schedule on %s', (kind) => {
  let node: TestNode;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 30, seed: 3 });
    node = await startTestNode({
      store: kind,
      env: {
        SANDBOX_CHURN: '0.2',
        WEBHOOK_POLL_INTERVAL: '1h',
        WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
        [providerBaseUrlVar('bamboohr')]: emu.url,
      },
    });
  });
  afterAll(async () => {
    await node?.close();
    await emu?.close();
  });

  /** Poll jobs waiting (the embedded runner's table; graphile-worker's queue is its own). */
  const waitingPolls = () => (kind === 'sqlite' ? node.services.store.jobs.count(POLL_JOB) : undefined);

  it('one job per connection and slot however many schedulers race; only active connections with a webhook_uri', async () => {
    const { services } = node;
    const { client } = await createClient(services, {
      name: 'hooked',
      redirectUris: ['https://app.test/cb'],
      webhookUri: 'http://127.0.0.1:9/hook',
    });
    const { client: quiet } = await createClient(services, {
      name: 'no hook',
      redirectUris: ['https://app.test/cb'],
    });
    const hooked = [];
    for (let i = 0; i < 3; i++)
      hooked.push((await createSandboxToken(services, { clientId: client.id, employees: 5 })).connectionId);
    await createSandboxToken(services, { clientId: quiet.id, employees: 5 });
    const gone = (await createSandboxToken(services, { clientId: client.id, employees: 5 })).connectionId;
    await wipeConnection(services, gone);

    const now = Date.now();
    const passes = await Promise.all([0, 1, 2, 3].map(() => scheduleDuePolls(services, now)));
    expect(passes.reduce((a, b) => a + b, 0)).toBe(3);
    const slotOf = (id: string) => node.services.store.webhookPollSlots.slotOf(id);
    for (const id of hooked) expect(await slotOf(id)).toBe(slotAt(id, HOUR, now + tickMs(HOUR)));
    expect(await slotOf(gone)).toBeUndefined();
    if (kind === 'sqlite') expect(await waitingPolls()).toBe(3);
    // Same slot later in the interval: nothing new.
    const sameSlot =
      Math.min(...hooked.map((id) => slotAt(id, HOUR, now + tickMs(HOUR)) + HOUR)) - tickMs(HOUR) - 1;
    expect(sameSlot).toBeGreaterThanOrEqual(now);
    expect(await scheduleDuePolls(services, sameSlot)).toBe(0);
    // The next interval: one more each, a whole interval later.
    const next = await Promise.all([0, 1].map(() => scheduleDuePolls(services, now + HOUR)));
    expect(next.reduce((x, y) => x + y, 0)).toBe(3);
    for (const id of hooked) expect(await slotOf(id)).toBe(slotAt(id, HOUR, now + tickMs(HOUR)) + HOUR);
    if (kind === 'sqlite') expect(await waitingPolls()).toBe(6);
    // The first slot's job, run once the next slot (claimed) has begun: dropped.
    const first = hooked[0] as string;
    const firstSlot = slotAt(first, HOUR, now + tickMs(HOUR));
    expect(
      await runPollJob(
        services,
        { connectionId: first, slotAt: firstSlot, intervalMs: HOUR },
        log,
        firstSlot + HOUR,
      ),
    ).toEqual({ status: 'stale' });
  });

  it('a poll job writes its event through the outbox; a stale job is dropped', async () => {
    const { services } = node;
    const { client } = await createClient(services, {
      name: 'outbox',
      redirectUris: ['https://app.test/cb'],
      webhookUri: 'http://127.0.0.1:9/hook',
    });
    const { connectionId } = await createSandboxToken(services, { clientId: client.id, employees: 20 });
    const now = Date.now();
    const at = slotAt(connectionId, HOUR, now);
    expect(await runPollJob(services, { connectionId, slotAt: at }, log, now)).toMatchObject({
      status: 'baseline',
    });
    // A job whose slot was claimed under a shorter interval that is over: dropped.
    expect(
      await runPollJob(services, { connectionId, slotAt: now - 10_000, intervalMs: 5000 }, log, now),
    ).toEqual({ status: 'stale' });
    // A job whose connection's next slot has begun: dropped, nothing polled.
    expect(await runPollJob(services, { connectionId, slotAt: at - HOUR }, log, now)).toEqual({
      status: 'stale',
    });
    const outcome = await runPollJob(services, { connectionId, slotAt: at }, log, now);
    expect(outcome.status).toBe('changed');
    const events = await services.store.webhookEvents.list(client.id, { limit: 50 });
    const changed = events.filter((e) => e.type === 'employees.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]?.id).toBe((outcome as { eventId: string }).eventId);
    expect(changed[0]?.status).toBe('pending');
  });

  it('a poll whose fetch fails sends sync.failed (refused credentials: reauthentication_required), no change event', async () => {
    const { services } = node;
    Object.assign(emu.knobs, DEFAULT_KNOBS);
    const { connectionId, clientId } = await connectionToken(services, {
      provider: 'bamboohr',
      credentials: { company_domain: emu.credentials.company_domain, api_key: emu.credentials.api_key },
      scopes: [scopeFor('official', 'employees')],
    });
    const dev = await services.store.clients.find(clientId);
    if (!dev) throw new Error('no dev client');
    await services.store.clients.update(clientId, { ...dev, webhookUri: 'http://127.0.0.1:9/hook' });
    const now = Date.now();
    const at = slotAt(connectionId, HOUR, now);
    expect((await runPollJob(services, { connectionId, slotAt: at }, log, now)).status).toBe('baseline');
    Object.assign(emu.knobs, DEFAULT_KNOBS, { failEvery: 1, status5xx: 500 });
    try {
      expect((await runPollJob(services, { connectionId, slotAt: at }, log, now)).status).toBe('failed');
    } finally {
      Object.assign(emu.knobs, DEFAULT_KNOBS);
    }
    const events = (await services.store.webhookEvents.list(clientId, { limit: 50 })).filter(
      (e) => e.connectionId === connectionId,
    );
    expect(events.map((e) => e.type).sort()).toEqual(['sync.failed']);

    // Credentials the provider refuses: connection.reauthentication_required instead.
    const bad = await connectionToken(services, {
      provider: 'bamboohr',
      credentials: { company_domain: emu.credentials.company_domain, api_key: 'not-the-key' },
      scopes: [scopeFor('official', 'employees')],
    });
    const refused = await runPollJob(services, { connectionId: bad.connectionId, slotAt: at }, log, now);
    expect(refused.status).toBe('failed');
    const badEvents = (await services.store.webhookEvents.list(clientId, { limit: 50 })).filter(
      (e) => e.connectionId === bad.connectionId,
    );
    expect(badEvents.map((e) => e.type)).toEqual(['connection.reauthentication_required']);
  });
});
