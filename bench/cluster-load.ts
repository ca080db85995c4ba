/**
 * Cluster load: N concurrent clients (default 200) for D seconds (default 60) against the loopback cluster of
 * src/testing/cluster.ts (2 × `affix serve --no-jobs` + 1 × `affix worker` on PostgreSQL + Redis), mixed data reads.
 * Each client has its own sandbox token (`affix sandbox-token --count N`, one client_id, as an app with many
 * connected companies) and its own client IP (X-Forwarded-For through TRUST_PROXY=1), and alternates nodes
 * (client i reads from node i mod 2). A client sends its next request when the previous one is answered, and stops
 * at the deadline after its last answer, so nothing is in flight when the counts are compared.
 *
 * Reported: requests by status, errors (anything but 200 and the limits' by-design 429), p50/p99 overall and of
 * 200s, and `/metrics` (METRICS_TOKEN) of both nodes, which must count exactly what the generator sent.
 *
 *   DATABASE_URL=postgres://… REDIS_URL=redis://… node --import tsx bench/cluster-load.ts \
 *     [--clients 200] [--duration 60] [--rate-limits seed|off]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { type Cluster, metricValue, startCluster } from '../src/testing/cluster.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    duration: { type: 'string', default: '60' },
    'rate-limits': { type: 'string', default: 'seed' },
  },
});
const CLIENTS = Number(values.clients);
const DURATION_S = Number(values.duration);
const RATE_LIMITS = values['rate-limits'] === 'off' ? 'off' : 'seed';
const RESOURCES = ['employees', 'company', 'groups', 'work-locations', 'identity'];

/** Requests answered per status on the data routes, summed over both nodes' /metrics. */
async function metricCounts(cluster: Cluster): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const node of cluster.nodes) {
    for (const line of (await cluster.metrics(node)).split('\n')) {
      if (!line.startsWith('affix_http_requests_total{') || !line.includes('route="/2023-03-01/xhr/'))
        continue;
      const status = /status="(\d+)"/.exec(line)?.[1] ?? '?';
      counts.set(status, (counts.get(status) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
  }
  return counts;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('set REDIS_URL (and DATABASE_URL=postgres://…)');
  const cluster = await startCluster({
    redisUrl,
    worker: true,
    env: { TRUST_PROXY: '1', RATE_LIMITS, SANDBOX_EMPLOYEES: '50' },
  });
  try {
    const tokens = (await cluster.run(['sandbox-token', '--count', String(CLIENTS)]))
      .split('\n')
      .filter((l) => l.startsWith('ey'));
    if (tokens.length !== CLIENTS) throw new Error(`expected ${CLIENTS} tokens, got ${tokens.length}`);
    const pools = cluster.nodes.map((n) => new Pool(n.base, { connections: Math.ceil(CLIENTS / 2) }));
    // Without limits, every client first reads each resource until it is cached (a 202 means: fetch running), so the
    // measured phase is the warm path. With the seed's limits the one client_id's 40 requests per endpoint would go
    // to the warm-up, so the measured phase starts cold.
    if (RATE_LIMITS === 'off') {
      await Promise.all(
        tokens.map(async (token, i) => {
          const pool = pools[i % pools.length] as Pool;
          for (const resource of RESOURCES) {
            for (;;) {
              const res = await pool.request({
                method: 'GET',
                path: `/2023-03-01/xhr/${resource}`,
                headers: { authorization: `Bearer ${token}` },
              });
              await res.body.dump();
              if (res.statusCode === 200) break;
              await new Promise((r) => setTimeout(r, 500));
            }
          }
        }),
      );
    }
    const before = await metricCounts(cluster);
    const sent = new Map<string, number>();
    const latencies: number[] = [];
    const okLatencies: number[] = [];
    let errors = 0;
    const load0 = os.loadavg();
    const started = performance.now();
    const deadline = started + DURATION_S * 1000;

    await Promise.all(
      tokens.map(async (token, i) => {
        const pool = pools[i % pools.length] as Pool;
        const ip = `10.${Math.floor(i / 250)}.${i % 250}.1`;
        for (let n = i; performance.now() < deadline; n++) {
          const path = `/2023-03-01/xhr/${RESOURCES[n % RESOURCES.length]}`;
          const t0 = performance.now();
          try {
            const res = await pool.request({
              method: 'GET',
              path,
              headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip, 'accept-encoding': 'br' },
            });
            await res.body.dump();
            const ms = performance.now() - t0;
            const status = String(res.statusCode);
            sent.set(status, (sent.get(status) ?? 0) + 1);
            latencies.push(ms);
            if (res.statusCode === 200) okLatencies.push(ms);
            else if (res.statusCode !== 429) errors++;
          } catch {
            errors++;
            sent.set('network-error', (sent.get('network-error') ?? 0) + 1);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const load1 = os.loadavg();
    await Promise.all(pools.map((p) => p.close()));
    const after = await metricCounts(cluster);
    const counted = new Map<string, number>();
    for (const [status, n] of after) counted.set(status, n - (before.get(status) ?? 0));
    latencies.sort((a, b) => a - b);
    okLatencies.sort((a, b) => a - b);
    const total = latencies.length;
    const agree = [...new Set([...sent.keys(), ...counted.keys()])].every(
      (s) => (sent.get(s) ?? 0) === (counted.get(s) ?? 0),
    );
    const summary = {
      clients: CLIENTS,
      seconds: Math.round(seconds * 10) / 10,
      rateLimits: RATE_LIMITS,
      requests: total,
      rps: Math.round(total / seconds),
      byStatus: Object.fromEntries(sent),
      errors,
      p50ms: Math.round(percentile(latencies, 50) * 10) / 10,
      p99ms: Math.round(percentile(latencies, 99) * 10) / 10,
      ok200: {
        count: okLatencies.length,
        p50ms: percentile(okLatencies, 50),
        p99ms: percentile(okLatencies, 99),
      },
      metricsByStatus: Object.fromEntries(counted),
      metricsAgree: agree,
      rateLimitRejections: (
        await Promise.all(
          cluster.nodes.map(async (n) =>
            metricValue(await cluster.metrics(n), 'affix_rate_limit_rejections_total'),
          ),
        )
      ).reduce((a, b) => a + b, 0),
      loadAverage: { before: load0.map((l) => l.toFixed(2)), after: load1.map((l) => l.toFixed(2)) },
      cpus: os.cpus().length,
    };
    summary.ok200.p50ms = Math.round(summary.ok200.p50ms * 10) / 10;
    summary.ok200.p99ms = Math.round(summary.ok200.p99ms * 10) / 10;
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    if (errors > 0 || !agree) process.exitCode = 1;
  } finally {
    await cluster.stop();
  }
}

await main();
