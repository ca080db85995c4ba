/**
 * `node --import tsx bench/store-read.ts [N]`: server CPU per request of a warm read served from memory against one
 * served from the store (P5's round-robin reads with `CACHE_MEMORY=1048576`: every read one row read and one
 * unseal). N sandbox connections × 200 employees (default 300) are warmed once; then two nodes on that database,
 * one at the default cap (every read a memory hit) and one at 1 MiB, take round-robin reads in alternating rounds
 * (BENCH_ROUNDS, default 3, of BENCH_DURATION s, default 8). The figure is the server process's CPU (user + system,
 * /proc/<pid>/stat) over the requests it answered: it survives the shared machine's load better than requests/s; on
 * PostgreSQL also its backends' CPU (/proc, the server on this machine). Each node first reads every connection once.
 * BENCH_POSTGRES_URL runs it on PostgreSQL; BENCH_AFFIX_NODE_ARGS='--cpu-prof …' profiles the nodes; BENCH_REUSE_DIR
 * keeps the warmed database for the next run (bench/support.ts).
 */
import autocannon from 'autocannon';
import {
  backendsCpuSince,
  benchSetup,
  cpuMsOf,
  loadAverage,
  postgresBackendsCpuMs,
  serveAffix,
  stop,
  warmUp,
  warmedTokens,
} from './support.js';

const N = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const setup = await benchSetup('store-read', process.env.BENCH_POSTGRES_URL);
const env = setup.env();
try {
  const headers = { 'accept-encoding': 'br' };
  const warm = await serveAffix(env);
  const url = warm.url('/2023-03-01/xhr/employees');
  const { authorizations: tokens } = await warmedTokens(env, N, 200, (auth) => warmUp(url, headers, auth, 8));
  await stop(warm.child);

  const nodes = {
    memory: await serveAffix(env),
    store: await serveAffix({ ...env, CACHE_MEMORY: '1048576' }),
  };
  const perRequest: Record<string, number[]> = { memory: [], store: [] };
  const backends: Record<string, number[]> = { memory: [], store: [] };
  const database = setup.db.url ? new URL(setup.db.url).pathname.slice(1) : undefined;
  const rps: Record<string, number[]> = { memory: [], store: [] };
  /** `amount` requests instead of `duration` seconds. */
  const run = async (name: 'memory' | 'store', duration: number, amount?: number) => {
    const node = nodes[name];
    const pid = node.child.pid as number;
    let k = 0;
    const before = cpuMsOf(pid);
    const backendsBefore = database ? postgresBackendsCpuMs(database) : new Map<number, number>();
    const r = await autocannon({
      url: node.url('/2023-03-01/xhr/employees'),
      connections: 32,
      ...(amount === undefined ? { duration } : { amount }),
      headers,
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, authorization: tokens[k++ % tokens.length] as string },
          }),
        },
      ],
    });
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    return {
      cpuMs: (cpuMsOf(pid) - before) / r.requests.total,
      backendsMs: (database ? backendsCpuSince(database, backendsBefore) : 0) / r.requests.total,
      rps: r.requests.average,
    };
  };
  // One read of every connection first, as the node that warmed them has: each token verified, each connection
  // row and data key loaded (a fresh node's first cycle costs 2–3× its later ones).
  await run('memory', 0, tokens.length);
  await run('store', 0, tokens.length);
  for (let i = 0; i < ROUNDS; i++) {
    for (const name of ['memory', 'store'] as const) {
      const r = await run(name, DURATION);
      perRequest[name]?.push(r.cpuMs);
      backends[name]?.push(r.backendsMs);
      rps[name]?.push(r.rps);
    }
  }
  for (const node of Object.values(nodes)) await stop(node.child);
  const fmt = (a: number[] | undefined) => (a ?? []).map((x) => x.toFixed(2)).join(', ');
  console.log(`${setup.db.name}, ${N} connections, ${loadAverage()}`);
  for (const [name, label] of [
    ['memory', 'memory hits'],
    ['store', 'store reads'],
  ] as const) {
    const pgCpu = database ? `; PostgreSQL backends' ms per request ${fmt(backends[name])}` : '';
    console.log(
      `${label}: ms of server CPU per request ${fmt(perRequest[name])}${pgCpu}; requests/s ${fmt(rps[name])}`,
    );
  }
} finally {
  await setup.cleanup();
}
