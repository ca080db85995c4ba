/**
 * The developer request log: batched writes (nothing on the hot path but an array push), filters, newest first,
 * cursor paging, per-client isolation; on SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import type { Store } from '../store/db.js';
import {
  type RequestLogEntry,
  decodeRequestId,
  encodeRequestId,
  requestIdInto,
} from '../store/request-logs.js';
import { testStoreKinds } from '../store/testing.js';
import { RequestLogWriter, chunkOf } from './request-log-writer.js';

function entry(i: number, over: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: `req_${String(i).padStart(4, '0')}`,
    createdAt: 1_700_000_000_000 + i * 1000,
    method: 'GET',
    path: i % 2 ? '/2023-03-01/xhr/employees' : '/2023-03-01/xhr/company',
    status: i % 5 === 0 ? 500 : i % 3 === 0 ? 404 : 200,
    latencyMs: 1.5,
    clientId: 'cli_a',
    connectionId: i % 4 === 0 ? 'con_x' : 'con_y',
    provider: 'sandbox',
    ...over,
  };
}

describe('request ids at rest', () => {
  it('keeps a req_ id as its 16 bytes and any other id exactly', () => {
    const id = newId('request');
    expect(encodeRequestId(id)).toHaveLength(16);
    for (const other of [id, 'req_0040', 'x', '0123456789abcdef', 'req_AAAAAAAAAAAAAAAAAAAAAB', 'é']) {
      expect(decodeRequestId(encodeRequestId(other))).toBe(other);
    }
    // Only a canonical last character (its 4 low bits zero) takes the 16-byte form; every id round-trips.
    for (const last of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      const other = `req_${'x'.repeat(21)}${last}`;
      expect(encodeRequestId(other).length === 16, other).toBe('AQgw'.includes(last));
      expect(decodeRequestId(encodeRequestId(other))).toBe(other);
    }
    for (let i = 0; i < 200; i++) expect(encodeRequestId(newId('request'))).toHaveLength(16);
  });

  it('decodes into a batch slab exactly as encodeRequestId does', () => {
    const ids = [
      ...Array.from({ length: 500 }, () => newId('request')),
      'req_0040',
      'x',
      '0123456789abcdef',
      'req_AAAAAAAAAAAAAAAAAAAAAB',
      `req_${'x'.repeat(21)}.`,
      `req_${'x'.repeat(20)}+A`,
      `req_${'x'.repeat(20)}é`,
      `req_${'_'.repeat(21)}w`,
      `req_${'-'.repeat(21)}g`,
      `rex_${'x'.repeat(21)}A`,
    ];
    const slab = Buffer.alloc(16 * ids.length);
    ids.forEach((id, i) => {
      const bytes = requestIdInto(id, slab, 16 * i);
      expect(bytes.equals(encodeRequestId(id)), id).toBe(true);
      expect(decodeRequestId(bytes)).toBe(id);
    });
    // The 16-byte forms are views of the slab, each at its own place.
    const a = requestIdInto(ids[0] as string, slab, 0);
    expect(a.buffer).toBe(slab.buffer);
    expect(a.byteOffset).toBe(slab.byteOffset);
  });
});

describe('request-log inserts', () => {
  it('take at most 19 shapes of statement, and a partial batch at most two', () => {
    const shapes = new Set<number>();
    for (let waiting = 1; waiting <= 1000; waiting++) {
      let left = waiting;
      let statements = 0;
      while (left > 0) {
        const n = chunkOf(left);
        expect(n).toBeGreaterThan(0);
        shapes.add(n);
        left -= n;
        statements++;
      }
      expect(statements).toBeLessThanOrEqual(Math.floor(waiting / 100) + 2);
    }
    expect(shapes.size).toBe(19);
  });
});

describe.each(testStoreKinds)('request log on $name', (kind) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  it('buffers rows and writes them in one batch on flush / when the batch size is reached', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store, { intervalMs: 60_000, batchSize: 50 });
    for (let i = 1; i <= 10; i++) writer.push(entry(i));
    expect(writer.pending).toBe(10);
    expect(await store.requestLogs.query({ clientId: 'cli_a', limit: 100 })).toHaveLength(0);
    await writer.flush();
    expect(await store.requestLogs.query({ clientId: 'cli_a', limit: 100 })).toHaveLength(10);
    for (let i = 11; i <= 60; i++) writer.push(entry(i)); // reaches batchSize → flush starts by itself
    await writer.close();
    expect(await store.requestLogs.query({ clientId: 'cli_a', limit: 1000 })).toHaveLength(60);
    expect(writer.written).toBe(60);
  });

  it('writes as soon as one insert of rows (100) waits, by default', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store, { intervalMs: 60_000 });
    for (let i = 1; i <= 99; i++) writer.push(entry(i));
    await new Promise((r) => setTimeout(r, 50));
    expect(writer.written).toBe(0);
    writer.push(entry(100)); // the 100th row starts the write
    for (let waited = 0; writer.written < 100 && waited < 5_000; waited += 10)
      await new Promise((r) => setTimeout(r, 10));
    expect(writer.written).toBe(100);
    expect(await store.requestLogs.query({ clientId: 'cli_a', limit: 1000 })).toHaveLength(100);
    await writer.close();
  });

  it('filters by status, status class, path prefix, connection and time; newest first; cursor pages', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store);
    for (let i = 1; i <= 40; i++) writer.push(entry(i));
    writer.push(entry(99, { clientId: 'cli_b' }));
    await writer.close();
    const all = await store.requestLogs.query({ clientId: 'cli_a', limit: 1000 });
    expect(all).toHaveLength(40);
    expect(all[0]?.id).toBe('req_0040');
    expect(all.every((r, i) => i === 0 || (all[i - 1]?.createdAt ?? 0) >= r.createdAt)).toBe(true);
    expect(
      (await store.requestLogs.query({ clientId: 'cli_a', limit: 100, status: 500 })).map((r) => r.status),
    ).toEqual(Array(8).fill(500));
    const fourxx = await store.requestLogs.query({ clientId: 'cli_a', limit: 100, status: '4xx' });
    expect(fourxx.length).toBeGreaterThan(0);
    expect(fourxx.every((r) => r.status === 404)).toBe(true);
    const emp = await store.requestLogs.query({
      clientId: 'cli_a',
      limit: 100,
      pathPrefix: '/2023-03-01/xhr/emp',
    });
    expect(emp).toHaveLength(20);
    // LIKE wildcards in the filter are plain characters.
    expect(
      await store.requestLogs.query({ clientId: 'cli_a', limit: 100, pathPrefix: '/2023-03-01/xhr/%' }),
    ).toHaveLength(0);
    expect(
      await store.requestLogs.query({ clientId: 'cli_a', limit: 100, connectionId: 'con_x' }),
    ).toHaveLength(10);
    const since = 1_700_000_000_000 + 10_000;
    const until = 1_700_000_000_000 + 20_000;
    const window = await store.requestLogs.query({ clientId: 'cli_a', limit: 100, since, until });
    expect(window.map((r) => r.id)).toEqual(
      Array.from({ length: 10 }, (_, k) => `req_${String(19 - k).padStart(4, '0')}`),
    );
    // Paging: 3 pages of 15 cover everything once.
    const seen: string[] = [];
    let before: { createdAt: number; rowId: number } | undefined;
    for (let page = 0; page < 3; page++) {
      const rows = await store.requestLogs.query({
        clientId: 'cli_a',
        limit: 15,
        ...(before ? { before } : {}),
      });
      seen.push(...rows.map((r) => r.id));
      const last = rows.at(-1);
      before = last ? { createdAt: last.createdAt, rowId: last.rowId } : undefined;
    }
    expect(new Set(seen).size).toBe(40);
    // Another client's rows never show.
    expect(seen).not.toContain('req_0099');
  });

  it('keeps rows when the database is unreachable and bounds the buffer', async () => {
    store = await kind.open();
    const errors: unknown[] = [];
    const writer = new RequestLogWriter(store, { maxBuffered: 5, onError: (e) => errors.push(e) });
    await store.close();
    for (let i = 1; i <= 8; i++) writer.push(entry(i));
    await writer.flush();
    expect(errors.length).toBeGreaterThan(0);
    expect(writer.pending).toBe(5);
    expect(writer.dropped).toBe(3);
    store = await kind.open(); // afterEach closes this one
  });

  it('skips rows no client can read, and round-trips every field of the others', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store);
    const real = newId('request');
    writer.push(entry(1, { clientId: null }));
    writer.push(
      entry(2, { id: real, method: 'DELETE', latencyMs: 12.34, connectionId: null, provider: null }),
    );
    await writer.close();
    expect(writer.written).toBe(2);
    const rows = await store.requestLogs.query({ clientId: 'cli_a', limit: 10 });
    expect(rows.map(({ rowId: _, ...r }) => r)).toEqual([
      { ...entry(2), id: real, method: 'DELETE', latencyMs: 12.34, connectionId: null, provider: null },
    ]);
    expect(await store.requestLogs.query({ clientId: 'cli_unknown', limit: 10 })).toEqual([]);
    expect(await store.requestLogs.query({ clientId: 'cli_a', limit: 10, connectionId: 'con_none' })).toEqual(
      [],
    );
  });

  it('the size cap deletes the oldest rows first and keeps exactly the newest N', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store);
    for (let i = 1; i <= 30; i++) writer.push(entry(i));
    await writer.close();
    expect(await store.requestLogs.deleteBeyond(50)).toBe(0);
    expect(await store.requestLogs.deleteBeyond(12)).toBe(18);
    const left = await store.requestLogs.query({ clientId: 'cli_a', limit: 100 });
    expect(left.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, k) => entry(30 - k).id));
  });

  it('the age cap deletes rows created before the cutoff, also when none is younger', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store);
    for (let i = 1; i <= 10; i++) writer.push(entry(i));
    await writer.close();
    expect(await store.requestLogs.deleteBefore(entry(7).createdAt)).toBe(6);
    expect((await store.requestLogs.query({ clientId: 'cli_a', limit: 100 })).map((r) => r.id)).toEqual(
      [10, 9, 8, 7].map((i) => entry(i).id),
    );
    expect(await store.requestLogs.deleteBefore(entry(99).createdAt)).toBe(4);
  });

  it('a soak-shaped row costs at most ~110 bytes on SQLite and ~190 on PostgreSQL, indexes included', async () => {
    store = await kind.open();
    const writer = new RequestLogWriter(store, { intervalMs: 60_000, batchSize: 1000, maxBuffered: 100_000 });
    const connections = Array.from({ length: 100 }, () => newId('connection'));
    const clientId = newId('client');
    const n = 5000;
    for (let i = 0; i < n; i++) {
      writer.push({
        ...entry(i),
        id: newId('request'),
        clientId,
        connectionId: connections[i % connections.length] ?? null,
      });
    }
    await writer.close();
    const perRow = (await store.requestLogs.storageBytes()) / n;
    // Before the compact layout: 267 (SQLite) and 341 (PostgreSQL) bytes a row.
    expect(perRow).toBeLessThan(kind.name === 'sqlite' ? 110 : 190);
  });
});
