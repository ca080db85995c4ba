/**
 * The CPU of each part of a fast-path answer on its own, in one process (no sockets): the two rate counters
 * (in-memory store), the request line and row (`recordRequest`, to a discarding destination), the request-log rows'
 * batch insert (SQLite), and the metrics. `process.cpuUsage` around N calls, 3 rounds.
 * `node --import tsx bench/p4-inprocess.ts`. Complements bench/p4-parts.ts (whole requests, noisier).
 */
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/logging/logger.js';
import { startTestNode } from '../src/testing/node.js';
import { loadAverage } from './support.js';

const N = Number(process.env.BENCH_CALLS ?? 100_000);
const ROWS = 20_000;
const URL = '/2023-03-01/xhr/identity';

const node = await startTestNode({
  env: { RATE_LIMITS: 'seed', RATE_LIMIT_SCALE: '1000000', LOG_LEVEL: 'info' },
});
const app = await buildApp(node.services, {
  loggerInstance: createLogger(node.config, { write: () => {} }),
});
await app.ready();
const cpu = async (calls: number, run: () => Promise<void> | void) => {
  const start = process.cpuUsage();
  await run();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / calls;
};
try {
  const limits = app.fastPath?.limitsOf(URL);
  if (!limits) throw new Error('no fast path or no limits');
  const claims = { client_id: 'cli_bench', sub: 'con_bench', provider: 'sandbox' };
  const record = (id: string) =>
    app.recordRequest({
      id,
      method: 'GET',
      url: URL,
      status: 200,
      elapsedMs: 0.5,
      ip: '127.0.0.1',
      auth: claims,
      context: undefined,
    });
  for (let round = 1; round <= 3; round++) {
    const counters = await cpu(N, async () => {
      for (let i = 0; i < N; i++) await limits('127.0.0.1', 'cli_bench');
    });
    const line = await cpu(N, () => {
      for (let i = 0; i < N; i++) record(`req_${i}`);
    });
    await app.requestLog.flush();
    for (let i = 0; i < ROWS; i++) record(`req_${i}`);
    const rows = await cpu(ROWS, () => app.requestLog.flush());
    const metrics = await cpu(N, () => {
      for (let i = 0; i < N; i++) {
        node.services.metrics.request('GET', URL, 200, 0.0005);
        node.services.metrics.cacheLookup('identity', true);
      }
    });
    console.log(
      `round ${round}: rate counters ${counters.toFixed(1)} µs, line + row push ${line.toFixed(1)} µs, ` +
        `row insert ${rows.toFixed(1)} µs, metrics ${metrics.toFixed(1)} µs (per request)`,
    );
  }
  console.log(`${new Date().toISOString().slice(0, 16)} UTC, ${loadAverage()}`);
} finally {
  await app.close();
  await node.close();
}
