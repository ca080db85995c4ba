/**
 * The request-log rows' own cost in instructions: a process opens a SQLite store (a file, as P4), pushes
 * BENCH_ROWS rows as a warm fast-path read's `recordRequest` would (same client, connection, path; a new request id
 * each), `BENCH_BATCH` at a time, each batch followed by the writer's flush (as its 1 s timer would), and closes.
 * Under callgrind (`BENCH_CALLGRIND=1`), counting is switched on after a warm-up of BENCH_WARM_ROWS rows and the
 * counters dumped after the measured ones: instructions per row = the dump's total / BENCH_ROWS.
 * `BENCH_CALLGRIND=1 valgrind --tool=callgrind --cache-sim=no --instr-atstart=no node --perf-basic-prof
 * --import tsx bench/p4-rows.ts` (bench/p4-callgrind.ts measures whole requests).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newId } from '../src/ids.js';
import { RequestLogWriter } from '../src/logging/request-log-writer.js';
import { openStore } from '../src/store/db.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 190);
const WARM = Number(process.env.BENCH_WARM_ROWS ?? 2_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-rows-'));
const store = await openStore(`sqlite://${path.join(dir, 'rows.db')}`);
await store.migrate();
const writer = new RequestLogWriter(store, { intervalMs: 3_600_000 });
const push = async (n: number) => {
  for (let i = 0; i < n; i++) {
    writer.push({
      id: newId('request'),
      createdAt: Date.now(),
      method: 'GET',
      path: '/2023-03-01/xhr/identity',
      status: 200,
      latencyMs: Math.round(Math.random() * 100) / 100,
      clientId: 'cli_bench',
      connectionId: 'con_bench',
      provider: 'sandbox',
    });
    if ((i + 1) % BATCH === 0) await writer.flush();
  }
  await writer.flush();
};
const control = (...args: string[]) => {
  if (process.env.BENCH_CALLGRIND) execFileSync('callgrind_control', [...args, String(process.pid)]);
};
await push(WARM);
control('-i', 'on');
control('-z');
await push(ROWS);
control('-d');
control('-i', 'off');
await writer.close();
console.log(`${writer.written} rows written`);
await store.close();
fs.rmSync(dir, { recursive: true, force: true });
