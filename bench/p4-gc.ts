/**
 * P4's garbage per request, from V8's own GC trace (`--trace-gc-nvp`): the built Affix as P4 starts it, a warm-up,
 * then BENCH_REQUESTS warm `GET /2023-03-01/xhr/identity` (16 connections); over the GCs in that window, bytes
 * allocated, bytes promoted to the old generation (what later costs major collections: marking and sweeping) and
 * the number of scavenges and mark-compacts, per request. These depend on how long objects live compared with the
 * time between scavenges, so on the request rate: compare builds in one run (`BENCH_P4_BEFORE=<dir>/dist/main.js`,
 * alternated over BENCH_ROUNDS rounds). `node --import tsx bench/p4-gc.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { builtEntry } from './build.js';
import { benchSetup, loadAverage, sandboxTokens, serveAffix, stop } from './support.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PATH = '/2023-03-01/xhr/identity';

interface Gc {
  allocated: number;
  promoted: number;
  scavenges: number;
  markCompacts: number;
}

/** The GC lines of a trace, summed. */
function gcOf(text: string): Gc {
  const gc: Gc = { allocated: 0, promoted: 0, scavenges: 0, markCompacts: 0 };
  for (const line of text.split('\n')) {
    const kind = /\bgc=(\w+)/.exec(line)?.[1];
    if (!kind) continue;
    gc.allocated += Number(/\ballocated=(\d+)/.exec(line)?.[1] ?? 0);
    gc.promoted += Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0);
    if (kind === 's') gc.scavenges++;
    else if (kind === 'mc' || kind === 'mmc') gc.markCompacts++;
  }
  return gc;
}

const setup = await benchSetup('p4-gc');
try {
  const env = setup.env();
  const [token] = sandboxTokens(env);
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' };
  const builds: [string, string][] = [['this build', builtEntry()]];
  if (process.env.BENCH_P4_BEFORE) builds.push(['BENCH_P4_BEFORE', process.env.BENCH_P4_BEFORE]);
  const results = new Map<string, Gc[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, entry] of round % 2 ? [...builds].reverse() : builds) {
      // serveAffix's extra node flags for the Affix process: V8's GC trace, on its stdout.
      process.env.BENCH_AFFIX_NODE_ARGS = '--trace-gc-nvp';
      const { child, url } = await serveAffix(env, entry);
      try {
        const run = (amount: number) =>
          autocannon({ url: url(PATH), connections: 16, amount, headers, pipelining: 1 });
        await run(20_000);
        // The trace is the process's stdout (with the request lines), in the temp log startProcess keeps.
        const logFile = fs
          .readdirSync(os.tmpdir())
          .filter((f) => f.startsWith(`affix-bench-${process.pid}-`))
          .map((f) => path.join(os.tmpdir(), f))
          .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
        if (!logFile) throw new Error('no log of the server');
        const from = fs.statSync(logFile).size;
        const r = await run(REQUESTS);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
        await new Promise((res) => setTimeout(res, 500));
        const text = fs.readFileSync(logFile, 'utf8').slice(from);
        const gc = gcOf(text);
        const n = r.requests.total;
        const per = { ...gc, allocated: gc.allocated / n, promoted: gc.promoted / n };
        results.set(name, [...(results.get(name) ?? []), per]);
        console.log(
          `round ${round + 1}, ${name}: ${n} requests, ${Math.round(per.allocated)} bytes allocated/request, ${per.promoted.toFixed(1)} bytes promoted/request, ${gc.scavenges} scavenges, ${gc.markCompacts} mark-compacts (${loadAverage()})`,
        );
      } finally {
        await stop(child);
      }
    }
  }
  console.log(`\n${new Date().toISOString().slice(0, 16)} UTC, ${loadAverage()}`);
  console.log('| build | bytes allocated/request | bytes promoted/request | mark-compacts |');
  for (const [name, rounds] of results) {
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    console.log(
      `| ${name} | ${Math.round(mid(rounds.map((g) => g.allocated)))} | ${mid(rounds.map((g) => g.promoted)).toFixed(1)} | ${rounds.map((g) => g.markCompacts).join(', ')} |`,
    );
  }
} finally {
  await setup.cleanup();
}
