/**
 * P4's per-request cost in instructions, which do not depend on the shared machine's load: the bare server
 * (bench/bare-server.ts) and the built Affix (as P4 starts it: `LOG_LEVEL=info`, request-log rows in the database,
 * rate limits on and out of reach, output to a file) each run under `valgrind --tool=callgrind --cache-sim=no`,
 * instrumentation off through start-up and a warm-up; then counting is switched on (`callgrind_control -i on`), a
 * second warm-up runs, the counters are zeroed (`-z`), exactly BENCH_REQUESTS warm `GET /2023-03-01/xhr/identity`
 * (16 connections) are sent, and the counters are dumped (`-d`). Instructions per request = the dump's total (every
 * thread of the process) / requests. `BENCH_P4_BEFORE=<dir>/dist/main.js` adds another build as a third server.
 * The dumps are kept in BENCH_CALLGRIND_DIR (default a new temp dir) for `callgrind_annotate`; with
 * `--perf-basic-prof` the JIT's code addresses can be named from /tmp/perf-<pid>.map (bench/callgrind-names.ts).
 * `node --import tsx bench/p4-callgrind.ts` (Linux, valgrind installed; takes a few minutes).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ROOT, builtEntry } from './build.js';
import { benchSetup, freePort, loadAverage, rawGet, sandboxTokens, stop } from './support.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const WARM = Number(process.env.BENCH_WARM ?? 4_000);
const CONNECTIONS = 16;
const PATH = '/2023-03-01/xhr/identity';
const OUT = process.env.BENCH_CALLGRIND_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'affix-callgrind-'));
fs.mkdirSync(OUT, { recursive: true });
// Optimizing compiles on the main thread, during the warm-up: on the shared machine background compile threads lag,
// and code still compiling (or not yet optimized) would be counted in the measured window.
const NODE_ARGS = ['--perf-basic-prof', '--interpreted-frames-native-stack', '--no-concurrent-recompilation'];
/** Parts of a dump by inclusive instructions: the requests' own path, timers, helper threads (GC, compiler). */
const PARTS: Record<string, RegExp> = {
  'socket reads (parse, answer, write)': /uv__read \[/,
  'timers (request-log inserts, log flushes, jobs)': /uv__run_timers \[/,
  'helper threads (GC, compiler)': /PlatformWorkerThread\(void\*\) \[/,
  'optimizing compiles': /v8::internal::Compiler::CompileOptimized\(/,
};
/**
 * Seconds of an idle window after the measured one: what the process does per second without requests (the job
 * queue's poll, the change feed, key reloads) runs per second of wall time, and a run under valgrind takes 50–100
 * times as long as a real one; it is reported, for reading the totals.
 */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);

/** `args` (node's) under callgrind, output to a file; resolves once `ready` shows in it. */
async function underCallgrind(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<ChildProcess> {
  const log = path.join(OUT, `${name}.log`);
  const fd = fs.openSync(log, 'w');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--cache-sim=no',
      '--instr-atstart=no',
      `--callgrind-out-file=${path.join(OUT, `${name}.%p`)}`,
      process.execPath,
      ...NODE_ARGS,
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] },
  );
  fs.closeSync(fd);
  for (let waited = 0; ; waited += 200) {
    const out = fs.readFileSync(log, 'utf8');
    if (ready.test(out)) return child;
    if (child.exitCode !== null || waited > 600_000) {
      child.kill('SIGTERM');
      throw new Error(`${name} did not start: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function control(pid: number, ...args: string[]): void {
  execFileSync('callgrind_control', [...args, String(pid)], { stdio: 'ignore' });
}

async function send(url: string, headers: Record<string, string>, amount: number): Promise<number> {
  const r = await autocannon({ url, connections: CONNECTIONS, amount, headers, pipelining: 1, timeout: 120 });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return r.requests.total;
}

/** The newest dump of `name`'s process. */
function latestDump(name: string, pid: number): string {
  const dump = fs
    .readdirSync(OUT)
    .filter((f) => f.startsWith(`${name}.${pid}`))
    .map((f) => path.join(OUT, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  if (!dump) throw new Error(`${name}: no dump`);
  return dump;
}

/** Inclusive instructions of PARTS in a dump (callgrind_annotate --inclusive=yes). */
function partsOf(file: string): Record<string, number> {
  const text = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', file], {
    maxBuffer: 1 << 28,
  }).toString();
  const parts: Record<string, number> = {};
  for (const [name, re] of Object.entries(PARTS)) {
    const line = text.split('\n').find((l) => re.test(l));
    parts[name] = Number(line?.trim().split(/\s+/)[0]?.replace(/,/g, '') ?? Number.NaN);
  }
  return parts;
}

/** The total instructions ("totals:" / "summary:") of a callgrind dump. */
function totalOf(file: string): number {
  const m = /^(?:totals|summary):\s+(\d+)/m.exec(fs.readFileSync(file, 'utf8'));
  if (!m?.[1]) throw new Error(`no totals in ${file}`);
  return Number(m[1]);
}

async function measure(
  name: string,
  child: ChildProcess,
  url: string,
  headers: Record<string, string>,
): Promise<{ name: string; perRequest: number; net: number; requests: number; dump: string }> {
  const pid = child.pid as number;
  try {
    await send(url, headers, WARM);
    control(pid, '-i', 'on');
    await send(url, headers, Math.min(WARM, 1000));
    control(pid, '-z');
    const started = Date.now();
    const requests = await send(url, headers, REQUESTS);
    control(pid, '-d');
    const seconds = (Date.now() - started) / 1000;
    const dump = latestDump(name, pid);
    const perRequest = totalOf(dump) / requests;
    const parts = partsOf(dump);
    for (const [part, n] of Object.entries(parts)) {
      console.log(`${name}: ${part}: ${Math.round(n / requests)} instructions/request`);
    }
    console.log(
      `${name}: ${Math.round(perRequest)} instructions/request (${requests} requests, ${seconds.toFixed(0)} s under valgrind), dump ${dump}, perf map /tmp/perf-${pid}.map`,
    );
    // The request path: the socket reads' work (parse, answer, write) less the optimizing compiles in it (with
    // `--no-concurrent-recompilation` they run there; how many fall in the window varies from run to run).
    const compiles = Number.isNaN(parts['optimizing compiles']) ? 0 : (parts['optimizing compiles'] ?? 0);
    const net = ((parts['socket reads (parse, answer, write)'] ?? Number.NaN) - compiles) / requests;
    // The idle window, for information: what the process does per second without requests (after a pause). It
    // varies between runs by more than the differences measured (a batch of rows or a collection in the window),
    // so it is not taken out of anything.
    await new Promise((r) => setTimeout(r, 5_000));
    control(pid, '-z');
    const idleStarted = Date.now();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    control(pid, '-d');
    const idlePerSecond = totalOf(latestDump(name, pid)) / ((Date.now() - idleStarted) / 1000);
    console.log(
      `${name}: request path (socket reads less compiles) ${Math.round(net)} instructions/request; idle ${Math.round(idlePerSecond)} instructions/s (${Math.round((idlePerSecond * seconds) / requests)}/request of this window)`,
    );
    return { name, perRequest, net, requests, dump };
  } finally {
    await stop(child);
  }
}

const setup = await benchSetup('p4-callgrind');
try {
  const env = setup.env();
  const [token] = sandboxTokens(env);
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' };
  const results = [];
  const builds: [string, string][] = [['affix', builtEntry()]];
  if (process.env.BENCH_P4_BEFORE) builds.push(['before', process.env.BENCH_P4_BEFORE]);
  let body: Buffer | undefined;
  for (const [name, entry] of builds) {
    const port = await freePort();
    const child = await underCallgrind(
      name,
      [entry, 'serve'],
      { ...env, PORT: String(port) },
      /listening on/,
    );
    const url = `http://127.0.0.1:${port}${PATH}`;
    const warm = await rawGet(url, headers);
    if (warm.status !== 200) throw new Error(`${name}: warm-up got ${warm.status}`);
    body = warm.body;
    results.push(await measure(name, child, url, headers));
  }
  const bodyFile = path.join(OUT, 'body');
  fs.writeFileSync(bodyFile, body ?? Buffer.alloc(0));
  const port = await freePort();
  const bare = await underCallgrind(
    'bare',
    ['--import', 'tsx', 'bench/bare-server.ts', bodyFile, String(port), 'br'],
    {},
    /ready/,
  );
  results.push(await measure('bare', bare, `http://127.0.0.1:${port}${PATH}`, headers));
  const bareResult = results.find((r) => r.name === 'bare');
  const bareIr = bareResult?.perRequest ?? Number.NaN;
  const bareNet = bareResult?.net ?? Number.NaN;
  console.log(`\n${new Date().toISOString().slice(0, 16)} UTC, ${loadAverage()}; dumps in ${OUT}`);
  console.log(
    '| server | instructions/request (all) | bare / server | request path less compiles | bare / server |',
  );
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.perRequest).toLocaleString('en')} | ${(bareIr / r.perRequest).toFixed(2)} | ${Math.round(r.net).toLocaleString('en')} | ${(bareNet / r.net).toFixed(2)} |`,
    );
  }
} finally {
  await setup.cleanup();
}
