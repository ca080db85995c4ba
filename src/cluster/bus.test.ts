/**
 * The cluster bus between two buses in one process, as two nodes would use it: Redis pub/sub (REDIS_URL) and
 * PostgreSQL LISTEN/NOTIFY (DATABASE_URL=postgres://…), each skipped with a message when not configured. A publisher
 * applies its event once, locally; the other node applies it once; foreign or malformed messages are ignored; a
 * listener whose connection was killed comes back by itself and resyncs.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Store, openStore } from '../store/db.js';
import { createPgSchema, postgresUrl, terminateBackends } from '../store/testing.js';
import { skipOrFailInCi } from '../testing/skip.js';
import {
  ClusterBus,
  type ClusterEvent,
  localTransport,
  parseMessage,
  postgresTransport,
  redisTransport,
} from './bus.js';

const log = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function recordingBus(bus: ClusterBus): ClusterEvent[] {
  const seen: ClusterEvent[] = [];
  bus.onEvent((e) => {
    seen.push(e);
  });
  cleanups.push(() => bus.close());
  return seen;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Publishes each kind on `a`; the other node receives each exactly once and `a` applied each exactly once. */
async function expectFanOut(a: ClusterBus, seenA: ClusterEvent[], seenB: ClusterEvent[]) {
  const events: ClusterEvent[] = [
    { kind: 'disconnect', connectionId: 'con_abc' },
    { kind: 'revoke', jtis: ['tok_1', 'tok_2'] },
    { kind: 'signing-keys' },
  ];
  for (const e of events) await a.publish(e);
  await until(() => seenB.filter((e) => e.kind !== 'resync').length >= events.length);
  await new Promise((r) => setTimeout(r, 100));
  expect(seenB.filter((e) => e.kind !== 'resync')).toEqual(events);
  expect(seenA.filter((e) => e.kind !== 'resync')).toEqual(events);
}

describe('cluster bus messages', () => {
  it('only well-formed events of ours are accepted', () => {
    expect(parseMessage('{"from":"n","event":{"kind":"disconnect","connectionId":"con_1"}}')).toEqual({
      from: 'n',
      event: { kind: 'disconnect', connectionId: 'con_1' },
    });
    for (const bad of [
      'not json',
      'null',
      '{"event":{"kind":"signing-keys"}}',
      '{"from":"n","event":{"kind":"resync"}}',
      '{"from":"n","event":{"kind":"disconnect","connectionId":"../x y"}}',
      '{"from":"n","event":{"kind":"revoke","jtis":["ok",3]}}',
      '{"from":"n","event":{"kind":"drop-tables"}}',
    ]) {
      expect(parseMessage(bad), bad).toBeUndefined();
    }
  });

  it('local: publish applies the event in this process only', async () => {
    const bus = new ClusterBus(localTransport(), log);
    const seen = recordingBus(bus);
    await bus.listen();
    await bus.publish({ kind: 'signing-keys' });
    expect(seen).toEqual([{ kind: 'signing-keys' }]);
    expect(bus.transportName).toBe('local');
  });
});

describe('cluster bus on Redis pub/sub', () => {
  it('two nodes: each event reaches the other once; foreign messages are ignored', async (ctx) => {
    const url = process.env.REDIS_URL;
    skipOrFailInCi(ctx, url ? null : 'REDIS_URL is not set', 'cluster bus on Redis');
    const prefix = `bus-${randomBytes(6).toString('hex')}:`;
    const make = () => {
      const publisher = new Redis(url as string, { lazyConnect: false });
      cleanups.push(async () => publisher.disconnect());
      return new ClusterBus(redisTransport(publisher, url as string, prefix), log);
    };
    const a = make();
    const b = make();
    const seenA = recordingBus(a);
    const seenB = recordingBus(b);
    await a.listen();
    await b.listen();
    await until(() => seenB.some((e) => e.kind === 'resync'));
    // Someone else's message on our channel, and one of another deployment's prefix: neither is applied.
    const other = new Redis(url as string);
    cleanups.push(async () => other.disconnect());
    await other.publish(`${prefix}events`, '{"from":"x","event":{"kind":"wipe-everything"}}');
    await other.publish('another:events', '{"from":"x","event":{"kind":"signing-keys"}}');
    await expectFanOut(a, seenA, seenB);
  });
});

describe('cluster bus on PostgreSQL LISTEN/NOTIFY', () => {
  it('two nodes on one schema: each event reaches the other once; a killed listener comes back and resyncs', async (ctx) => {
    skipOrFailInCi(
      ctx,
      postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
      'cluster bus on PostgreSQL',
    );
    const schema = await createPgSchema();
    cleanups.push(() => schema.drop());
    const appName = `affix-bus-${randomBytes(4).toString('hex')}`;
    const url = new URL(postgresUrl as string);
    url.searchParams.set('application_name', appName);
    const open = async (): Promise<Store> => {
      const store = await openStore(url.toString(), { pgSchema: schema.name });
      cleanups.push(() => store.close());
      return store;
    };
    const storeA = await open();
    const storeB = await open();
    const a = new ClusterBus(postgresTransport(storeA.notifications!), log);
    const b = new ClusterBus(postgresTransport(storeB.notifications!), log);
    const seenA = recordingBus(a);
    const seenB = recordingBus(b);
    await a.listen();
    await b.listen();
    expect(await storeA.notifications?.channel()).toBe(`affix_events_${schema.name}`);
    await expectFanOut(a, seenA, seenB);

    const resyncs = seenB.filter((e) => e.kind === 'resync').length;
    expect(await terminateBackends(appName)).toBeGreaterThan(0);
    await until(() => seenB.filter((e) => e.kind === 'resync').length > resyncs, 5000);
    // The publisher's pooled connections were terminated too: its first send may fail (logged, not thrown).
    const heard = () => seenB.some((e) => e.kind === 'revoke' && e.jtis[0] === 'tok_after');
    for (let i = 0; i < 10 && !heard(); i++) {
      await a.publish({ kind: 'revoke', jtis: ['tok_after'] });
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(heard()).toBe(true);
  });
});
