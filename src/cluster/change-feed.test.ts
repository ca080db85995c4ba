/**
 * The change feed between two nodes on one database, without the cluster bus (node B never listens to it): what a
 * lost bus message, or an `affix` command run beside a SQLite server, leaves to the feed. SQLite (one file, two
 * stores) always; PostgreSQL (one schema, two stores) when DATABASE_URL is postgres://….
 * - While B's feed is current, B keeps using a token status and a connection row older than their 1 s and 5 s.
 * - A token revoked, or a connection disconnected, on A (written to the database only) is refused by B within 1 s.
 * - Once B's feed stops, B's cached statuses expire after 1 s again.
 * - While B's feed is current, B keeps a connection's unwrapped data key past its 60 s; A's disconnect drops it.
 * - A window with more changes than a poll reads drops every status, row and unwrapped data key B holds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSandboxToken } from '../cli/sandbox.js';
import { TokenError } from '../oauth/access-tokens.js';
import { type Store, openStore } from '../store/db.js';
import { createPgSchema, openTestStore, postgresUrl } from '../store/testing.js';
import { loadConnection } from '../sync/connections.js';
import { wipeConnection } from '../sync/wipe-connection.js';
import { isVaultError } from '../vault/index.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { ChangeFeed, ChangeWatch, FEED_FRESH_MS } from './change-feed.js';

const kinds: Array<{ name: string; open(): Promise<{ stores: [Store, Store]; drop(): Promise<void> }> }> = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-feed-'));
      const file = path.join(dir, 'affix.db');
      const stores: [Store, Store] = [
        await openTestStore('sqlite', file),
        await openTestStore('sqlite', file),
      ];
      return { stores, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  },
  ...(postgresUrl
    ? [
        {
          name: 'postgres',
          open: async () => {
            const schema = await createPgSchema();
            const url = postgresUrl as string;
            const a = await openStore(url, { pgSchema: schema.name });
            await a.migrate();
            const b = await openStore(url, { pgSchema: schema.name });
            return { stores: [a, b] as [Store, Store], drop: () => schema.drop() };
          },
        },
      ]
    : []),
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ms until `refused()` holds, polling every 10 ms; fails after 3 s. */
async function msUntil(refused: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await refused())) {
    if (Date.now() - start > 3000) throw new Error('not refused within 3 s');
    await sleep(10);
  }
  return Date.now() - start;
}

describe.each(kinds)('change feed on $name, two nodes, no bus', (kind) => {
  let a: TestNode;
  let b: TestNode;
  let drop: () => Promise<void>;
  const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-feed-keys-'));

  beforeAll(async () => {
    const opened = await kind.open();
    drop = opened.drop;
    // One DATA_DIR: the local keyring both nodes unwrap the signing keys with.
    a = await startTestNode({ store: opened.stores[0], env: { DATA_DIR: shared } });
    b = await startTestNode({ store: opened.stores[1], env: { DATA_DIR: shared } });
    b.services.changes.start();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await drop?.();
    fs.rmSync(shared, { recursive: true, force: true });
  });

  /** B refuses the token (verify throws) and no longer answers it from its caches alone. */
  const refusedOnB = async (token: string) => {
    if (b.services.tokens.verifiedNow(token)) return false;
    try {
      await b.services.tokens.verify(token);
      return false;
    } catch (err) {
      if (err instanceof TokenError) return true;
      throw err;
    }
  };

  it('keeps a status and a connection row past their lifetimes while the feed is current', async () => {
    const { token, connectionId } = await createSandboxToken(a.services, { employees: 5 });
    await b.services.tokens.verify(token);
    expect(await loadConnection(b.services, connectionId)).toBeDefined();
    await sleep(1_300);
    expect(b.services.changes.watch.current()).toBe(true);
    expect(b.services.tokens.verifiedNow(token)).toBeDefined();
    expect(b.services.connectionCache.get(connectionId)).toBeDefined();
  });

  it('a token revoked on A (in the database only) is refused by B within 1 s', async () => {
    const { token, clientId } = await createSandboxToken(a.services, { employees: 5 });
    const claims = await b.services.tokens.verify(token);
    await sleep(1_200); // B's status is now older than its own 1 s lifetime
    expect(b.services.tokens.verifiedNow(token)).toBeDefined();
    expect(await a.services.store.tokens.revokeOfClient(clientId, claims.jti)).toBe(true);
    expect(await msUntil(() => refusedOnB(token))).toBeLessThan(1_000);
  });

  it('a connection disconnected on A is refused by B within 1 s, and its row dropped', async () => {
    const { token, connectionId } = await createSandboxToken(a.services, { employees: 5 });
    await b.services.tokens.verify(token);
    expect(await loadConnection(b.services, connectionId)).toBeDefined();
    await sleep(1_200);
    expect(b.services.tokens.verifiedNow(token)).toBeDefined();
    await wipeConnection(a.services, connectionId); // A's bus announces it too; B does not listen
    // The wipe revokes the tokens before it marks the connection disconnected: a poll between the two refuses the
    // token and drops the row at the next one.
    const dropped = async () => (await refusedOnB(token)) && !b.services.connectionCache.get(connectionId);
    expect(await msUntil(dropped)).toBeLessThan(1_000);
  });

  it('once the feed stops, a cached status expires after its own 1 s again', async () => {
    const { token } = await createSandboxToken(a.services, { employees: 5 });
    await b.services.tokens.verify(token);
    b.services.changes.stop();
    await sleep(FEED_FRESH_MS + 300);
    expect(b.services.changes.watch.current()).toBe(false);
    expect(b.services.tokens.verifiedNow(token)).toBeUndefined();
    await b.services.tokens.verify(token); // read again from the database: still good
    expect(b.services.tokens.verifiedNow(token)).toBeDefined();
  });

  it("keeps a connection's unwrapped data key past its 60 s while the feed is current; a disconnect on A drops it within 1 s", async () => {
    b.services.changes.start(); // stopped by the test before
    const { connectionId } = await createSandboxToken(a.services, { employees: 5 });
    const sealed = await a.services.vault.seal(connectionId, 'state', 'kept');
    expect((await b.services.vault.open(connectionId, 'state', sealed)).toString()).toBe('kept');
    const reads = vi.spyOn(b.services.store.dataKeys, 'get');
    try {
      // 61 s later (the clock only: the feed still polls every 500 ms, stamping its polls with this clock).
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
      await sleep(700);
      expect(b.services.changes.watch.current()).toBe(true);
      expect((await b.services.vault.open(connectionId, 'state', sealed)).toString()).toBe('kept');
      expect(reads).not.toHaveBeenCalled(); // no row read, no unwrap: the feed vouches for it
      await wipeConnection(a.services, connectionId); // shreds the key; B does not listen to the bus
      const shredded = async () => {
        try {
          await b.services.vault.open(connectionId, 'state', sealed);
          return false;
        } catch (err) {
          if (isVaultError(err) && err.code === 'shredded') return true;
          throw err;
        }
      };
      expect(await msUntil(shredded)).toBeLessThan(1_000);
    } finally {
      b.services.changes.stop(); // its last poll was stamped by the fake clock
      vi.useRealTimers();
      reads.mockRestore();
    }
  });
  it('a window with more disconnects than one poll reads drops every vouched data key, status and row', async () => {
    const made = await Promise.all([1, 2, 3].map(() => createSandboxToken(a.services, { employees: 5 })));
    const kept = made[2] as (typeof made)[number];
    const sealed = await a.services.vault.seal(kept.connectionId, 'state', 'kept');
    await b.services.tokens.verify(kept.token);
    expect((await b.services.vault.open(kept.connectionId, 'state', sealed)).toString()).toBe('kept');
    expect(await loadConnection(b.services, kept.connectionId)).toBeDefined();
    // Two disconnects in the window, a feed that reads one row of each kind: the second is not among the rows read.
    for (const m of made.slice(0, 2)) await wipeConnection(a.services, m.connectionId);
    const feed = new ChangeFeed(
      b.services.store,
      {
        tokens: b.services.tokens,
        connectionCache: b.services.connectionCache,
        dataKeys: b.services.vault,
        disconnected: () => {},
      },
      new ChangeWatch(),
      { warn: () => {}, info: () => {} },
      1,
    );
    const reads = vi.spyOn(b.services.store.dataKeys, 'get');
    try {
      expect((await feed.poll()).disconnected).toBe(1);
      expect(b.services.tokens.verifiedNow(kept.token)).toBeUndefined();
      expect(b.services.connectionCache.get(kept.connectionId)).toBeUndefined();
      // The kept connection's key is read and unwrapped again: B no longer holds it.
      expect((await b.services.vault.open(kept.connectionId, 'state', sealed)).toString()).toBe('kept');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });
});
