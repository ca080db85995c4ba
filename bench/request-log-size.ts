/**
 * `node --import tsx bench/request-log-size.ts [N]`: bytes on disk per request-log row. Writes N rows (default
 * 100,000) shaped like a soak's mixed reads (one client, 1,000 connections, real request ids, the data paths)
 * through the writer, then divides the request log's tables and indexes by N. SQLite always (a temporary file);
 * PostgreSQL too when DATABASE_URL is postgres://… (a throwaway schema).
 */
import { newId } from '../src/ids.js';
import { RequestLogWriter } from '../src/logging/request-log-writer.js';
import type { Store } from '../src/store/db.js';
import { openTestStore, postgresUrl } from '../src/store/testing.js';

const N = Number(process.argv[2] ?? 100_000);
const PATHS = [
  '/2023-03-01/xhr/employees',
  '/2023-03-01/xhr/identity',
  '/2023-03-01/xhr/company',
  '/2023-03-01/xhr/teams',
  '/2023-03-01/official/employees?modified_after=2026-01-01T00:00:00Z',
  '/2023-03-01/xhr/payslips?cursor=eyJvIjoxMDB9',
];

async function measure(name: string, store: Store): Promise<void> {
  const clientId = newId('client');
  const connections = Array.from({ length: 1000 }, () => newId('connection'));
  const writer = new RequestLogWriter(store, { intervalMs: 60_000, batchSize: 1000, maxBuffered: N + 1 });
  const start = Date.now() - N;
  for (let i = 0; i < N; i++) {
    writer.push({
      id: newId('request'),
      createdAt: start + i,
      method: 'GET',
      path: PATHS[i % PATHS.length] as string,
      status: 200,
      latencyMs: Math.round(Math.random() * 5000) / 100,
      clientId,
      connectionId: connections[i % connections.length] as string,
      provider: 'sandbox',
    });
    if (writer.pending >= 1000) await writer.flush();
  }
  await writer.close();
  const bytes = await store.requestLogs.storageBytes();
  console.log(`${name}: ${N} rows, ${bytes} bytes, ${(bytes / N).toFixed(1)} bytes/row`);
}

const sqlite = await openTestStore('sqlite');
await measure('sqlite', sqlite);
await sqlite.close();
if (postgresUrl) {
  const pgStore = await openTestStore('postgres');
  await measure('postgres', pgStore);
  await pgStore.close();
}
