/**
 * `node --import tsx bench/cache-row-read.ts URL [N]`: what one cached answer's row read costs the process and the
 * database, without a server: N reads (default 4,000), 32 at a time, of the `cache_entries` rows of the database at
 * URL (a warmed P5 database: BENCH_REUSE_DIR keeps one), through `store.cache.read`. Prints the process's CPU
 * (`process.cpuUsage`) and, on PostgreSQL, its backends' CPU (/proc, this database's backends only) per read, the
 * bytes of the bodies, and the wall time, in alternating rounds (BENCH_ROUNDS, default 3).
 */
import { openStore } from '../src/store/db.js';
import { backendsCpuSince, loadAverage, postgresBackendsCpuMs } from './support.js';

const url = process.argv[2] ?? '';
const N = Number(process.argv[3] ?? 4_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const store = await openStore(url);
const dbName = url.startsWith('postgres') ? new URL(url).pathname.slice(1) : undefined;

const keys = await store.cache.keys();
if (keys.length === 0) throw new Error('no cached answers in that database');
console.log(`${dbName ?? 'SQLite'}: ${keys.length} rows; ${loadAverage()}; ${new Date().toISOString()}`);

async function round(): Promise<void> {
  let next = 0;
  let bytes = 0;
  const b0 = dbName ? postgresBackendsCpuMs(dbName) : new Map<number, number>();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < N; i = next++) {
        const row = await store.cache.read(keys[i % keys.length] as string);
        const n = row?.body.length ?? 0;
        bytes += n;
      }
    }),
  );
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const backend = dbName ? backendsCpuSince(dbName, b0) : 0;
  const us = (x: number) => ((x * 1000) / N).toFixed(0);
  console.log(
    `process ${us((c.user + c.system) / 1000)} µs/read, backends ${us(backend)} µs/read, wall ${us(wall)} µs/read, body ${(bytes / N).toFixed(0)} B`,
  );
}
for (let i = 0; i < ROUNDS + 1; i++) await round();
await store.close();
