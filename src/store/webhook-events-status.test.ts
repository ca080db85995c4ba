/**
 * `webhookEvents.list(clientId, {status})` on SQLite and PostgreSQL: the events of that status only, newest first,
 * paged by (created_at, id); and the query goes through the (client_id, status, created_at, id) index (migration
 * 0016), not the (client_id, created_at) one with a filter that walks all of the client's events.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalKeyring, Vault } from '../vault/index.js';
import type { Store } from './db.js';
import { testStoreKinds } from './testing.js';

describe.each(testStoreKinds)('webhook events by status ($name)', (kind) => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('lists only that status, newest first, paged, through the status index', async () => {
    const store = await kind.open();
    stores.push(store);
    await store.clients.insert({
      id: 'cli_a',
      name: 'a',
      redirectUris: ['https://app.test/cb'],
      webhookUri: 'https://hooks.test/x',
      logoUrl: null,
      accentColor: null,
      isPublic: false,
      createdAt: 1,
    });
    // The column only takes vault ciphertext: sealed with a real vault over this store.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-events-'));
    dirs.push(dir);
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), store.dataKeys);
    const body = await vault.seal('cli_a', 'webhook', '{}');
    // 600 delivered events and 5 pending ones among them (two in the same millisecond: ordered by id).
    const pendingAt = new Set([10, 200, 201, 450, 599]);
    for (let i = 0; i < 600; i++) {
      await store.webhookEvents.insert({
        id: `evt_${String(i).padStart(4, '0')}`,
        clientId: 'cli_a',
        connectionId: null,
        type: 'employees.changed',
        body,
        status: pendingAt.has(i) ? 'pending' : 'succeeded',
        now: 1_000 + (i === 201 ? 200 : i),
      });
    }
    const first = await store.webhookEvents.list('cli_a', { status: 'pending', limit: 3 });
    expect(first.map((e) => e.id)).toEqual(['evt_0599', 'evt_0450', 'evt_0201']);
    const last = first.at(-1);
    if (!last) throw new Error('no page');
    const next = await store.webhookEvents.list('cli_a', {
      status: 'pending',
      limit: 3,
      before: { createdAt: last.createdAt, id: last.id },
    });
    expect(next.map((e) => e.id)).toEqual(['evt_0200', 'evt_0010']);
    expect(await store.webhookEvents.list('cli_a', { status: 'failed', limit: 1 })).toEqual([]);

    // The plan of the same query shape (a client's events of one status, newest first).
    const query = store.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('client_id', '=', 'cli_a')
      .where('status', '=', 'pending')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .compile();
    if (kind.name === 'sqlite') {
      const plan = await store.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      const detail = plan.rows.map((r) => r.detail).join('\n');
      expect(detail).toContain('webhook_events_client_status_idx');
      expect(detail).not.toContain('TEMP B-TREE');
    } else {
      await store.db.executeQuery(CompiledQuery.raw('analyze webhook_events'));
      const plan = await store.db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]),
      );
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toContain('webhook_events_client_status_idx');
      expect(text).not.toMatch(/\bSort\b/);
    }
  });
});
