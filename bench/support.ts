/** What the benchmarks share: ports, child processes, load generation, raw responses and memory readings. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { ROOT, builtEntry } from './build.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `args` start with a .js entry (run as is) or a .ts one (through tsx); resolves once `ready` shows in its output.
 * Its output goes to a file (`<tmp>/affix-bench-<pid>.log`, removed on exit), not a pipe into this process: while
 * this process generates load it would drain a pipe late, and a full pipe blocks the child's synchronous log
 * writes (in production stdout goes to a collector that keeps up).
 */
export async function startProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<ChildProcess> {
  const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const logFile = path.join(os.tmpdir(), `affix-bench-${process.pid}-${Date.now()}-${Math.random()}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [...loader, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  child.once('exit', () => fs.rmSync(logFile, { force: true }));
  for (let waited = 0; ; waited += 100) {
    const out = fs.readFileSync(logFile, 'utf8');
    if (ready.test(out)) return child;
    if (child.exitCode !== null || waited > 120_000) {
      child.kill('SIGTERM');
      throw new Error(`did not start (exit ${child.exitCode}): ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Figures {
  rps: number;
  /** Requests answered in the run. */
  requests: number;
  /** The server's CPU (user + system, from /proc/<pid>/stat) per request answered, in µs, when its pid is known. */
  cpuUs?: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/**
 * autocannon against `url`. `authorizations`, when given, are used in turn, one per request across all connections
 * (round-robin over connections of the API, not over sockets).
 */
export async function load(
  url: string,
  headers: Record<string, string>,
  duration: number,
  connections: number,
  authorizations?: readonly string[],
): Promise<Figures> {
  let next = 0;
  const r = await autocannon({
    url,
    connections,
    duration,
    headers,
    pipelining: 1,
    ...(authorizations && authorizations.length > 0
      ? {
          requests: [
            {
              setupRequest: (req) => {
                const authorization = authorizations[next++ % authorizations.length] as string;
                return { ...req, headers: { ...req.headers, authorization } };
              },
            },
          ],
        }
      : {}),
  });
  return {
    rps: r.requests.average,
    requests: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

/**
 * Every authorization's first read of `url`, `concurrency` at a time (202 = the fetch is under way: asked again
 * 200 ms later); returns the bytes of the bodies served.
 */
export async function warmUp(
  url: string,
  headers: Record<string, string>,
  authorizations: readonly string[],
  concurrency: number,
): Promise<number> {
  let bodyTotal = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < authorizations.length; i = next++) {
        for (;;) {
          const res = await rawGet(url, { ...headers, authorization: authorizations[i] as string });
          if (res.status === 200) {
            bodyTotal += res.body.length;
            break;
          }
          if (res.status !== 202) throw new Error(`warm-up of authorization ${i} got ${res.status}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }),
  );
  return bodyTotal;
}

/** The response's status and bytes as sent (no decoding). */
export function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
}

/** The process's peak resident set since it started (VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  return statusKb(pid, 'VmHWM') / 1024;
}

/** CPU time (user + system) the process has used since it started, in ms (clock ticks of /proc/PID/stat, 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time (user + system, ms) of the PostgreSQL backends serving `database`, per pid (their /proc entries: the
 * server must run on this machine). `backendsCpuSince` gives what they used since such a reading.
 */
export function postgresBackendsCpuMs(database: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres: ') && cmd.includes(` ${database} `))
        out.set(Number(d), cpuMsOf(Number(d)));
    } catch {
      // The backend ended while we looked.
    }
  }
  return out;
}

/**
 * CPU ms the backends of `database` used since `before` (a `postgresBackendsCpuMs` reading): backends that ended
 * meanwhile (the pool closes idle ones after 10 s) are not counted, new ones from their start.
 */
export function backendsCpuSince(database: string, before: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of postgresBackendsCpuMs(database)) sum += ms - (before.get(pid) ?? 0);
  return sum;
}

/** Samples the process's RSS every 100 ms until stopped; returns the highest seen, in MB. */
export function sampleRss(pid: number): { stop(): number } {
  let max = 0;
  const take = () => {
    try {
      max = Math.max(max, statusKb(pid, 'VmRSS'));
    } catch {
      // The process is gone.
    }
  };
  take();
  const timer = setInterval(take, 100);
  return {
    stop() {
      clearInterval(timer);
      take();
      return max / 1024;
    },
  };
}

/** The 1-minute load average, with the core count: the machine is shared, so each figure carries it. */
export function loadAverage(): string {
  return `load ${os.loadavg()[0]?.toFixed(2)} on ${os.cpus().length} cores`;
}

/** The database a benchmark's Affix runs on: SQLite in its data dir, or a PostgreSQL database of its own. */
export interface BenchDatabase {
  name: 'SQLite' | 'PostgreSQL';
  /** DATABASE_URL for the Affix process ('' = SQLite under DATA_DIR). */
  url: string;
  /** Bytes on disk (SQLite: the file and its WAL; PostgreSQL: pg_database_size). */
  bytes(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * `postgresUrl` (a server to create a database on) or none for SQLite in `dataDir`. `keep` (`BENCH_REUSE_DIR`): the
 * database is not dropped, and `keep.name`, when given, is an existing one to use.
 */
export async function benchDatabase(
  dataDir: string,
  postgresUrl?: string,
  keep?: { name?: string },
): Promise<BenchDatabase> {
  if (!postgresUrl) {
    const files = ['affix.db', 'affix.db-wal'].map((f) => `${dataDir}/${f}`);
    return {
      name: 'SQLite',
      url: '',
      bytes: async () => files.reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0),
      drop: async () => {},
    };
  }
  const { default: pg } = await import('pg');
  const kept = keep?.name;
  const name = kept ?? `affix_bench_${process.pid}_${Date.now()}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  if (!kept) await admin.query(`create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    name: 'PostgreSQL',
    url: url.toString(),
    bytes: async () =>
      Number((await admin.query('select pg_database_size($1) as n', [name])).rows[0]?.n ?? Number.NaN),
    drop: async () => {
      if (!keep) await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Stops a child this benchmark started and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A benchmark's data dir and database, made together and removed together. */
export interface BenchSetup {
  dataDir: string;
  db: BenchDatabase;
  /** Production-like settings (see `affixEnv`) plus `overrides`. */
  env(overrides?: Record<string, string>): Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * BENCH_REUSE_DIR (off by default): a directory to keep a benchmark's data dir and database in, so a later run with
 * the same value finds them, warmed, and skips its warm-up (bench/p5-many-connections.ts, bench/store-read.ts).
 * Nothing there is removed: delete the directory (and, on PostgreSQL, the database named in its `database.json`)
 * when done. A kept database is one per directory and database kind.
 */
export const REUSE_DIR = process.env.BENCH_REUSE_DIR || undefined;

export async function benchSetup(name: string, postgresUrl?: string): Promise<BenchSetup> {
  if (REUSE_DIR) fs.mkdirSync(REUSE_DIR, { recursive: true, mode: 0o700 });
  const dataDir = REUSE_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), `affix-bench-${name}-`));
  const keptFile = path.join(dataDir, 'database.json');
  const kept =
    REUSE_DIR && postgresUrl && fs.existsSync(keptFile)
      ? (JSON.parse(fs.readFileSync(keptFile, 'utf8')) as { name: string }).name
      : undefined;
  const db = await benchDatabase(dataDir, postgresUrl, REUSE_DIR ? { name: kept } : undefined);
  if (REUSE_DIR && postgresUrl && !kept) {
    fs.writeFileSync(keptFile, JSON.stringify({ name: new URL(db.url).pathname.slice(1) }));
  }
  return {
    dataDir,
    db,
    // One PUBLIC_URL for the token-minting command and the server, so the issuer matches whatever the port.
    // As in production: a request line per request (LOG_LEVEL=info), request-log rows in the database, rate limits
    // on (RATE_LIMITS=seed) with every quota raised out of reach, so the limiter's per-request work is counted.
    env: (overrides = {}) => ({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      RATE_LIMITS: 'seed',
      RATE_LIMIT_SCALE: '1000000',
      REDIS_URL: '',
      PUBLIC_URL: 'http://affix.bench',
      // As the Docker image sets them (docs/operations.md, "Response cache memory").
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '32768',
      MALLOC_TRIM_THRESHOLD_: '131072',
      // A kept database's answers stay warm for later runs (1 h by default).
      ...(REUSE_DIR ? { CACHE_TTL: '14d' } : {}),
      ...overrides,
    }),
    async cleanup() {
      if (REUSE_DIR) return db.drop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The bearer tokens of `count` warmed sandbox connections: made and warmed by `warm` (which returns the bytes of the
 * bodies served), or, under BENCH_REUSE_DIR, those a run before made and warmed there. Returns them with the body
 * bytes and the warm-up's seconds (0 when reused).
 */
export async function warmedTokens(
  env: Record<string, string>,
  count: number,
  employees: number,
  warm: (authorizations: string[]) => Promise<number>,
): Promise<{ authorizations: string[]; bodyTotal: number; warmSeconds: number }> {
  const kind = env.DATABASE_URL ? 'postgres' : 'sqlite';
  const file = REUSE_DIR && path.join(REUSE_DIR, `warmed-${kind}-${count}x${employees}.json`);
  if (file && fs.existsSync(file)) {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { authorizations: string[]; bodyTotal: number };
    return { ...kept, warmSeconds: 0 };
  }
  const authorizations = sandboxTokens(env, count, employees).map((t) => `Bearer ${t}`);
  const started = performance.now();
  const bodyTotal = await warm(authorizations);
  const warmSeconds = (performance.now() - started) / 1000;
  if (file) fs.writeFileSync(file, JSON.stringify({ authorizations, bodyTotal }), { mode: 0o600 });
  return { authorizations, bodyTotal, warmSeconds };
}

/** `affix sandbox-token --count N [--employees M]` against `env`'s database: one bearer token per connection. */
export function sandboxTokens(env: Record<string, string>, count = 1, employees?: number): string[] {
  const args = ['--import', 'tsx', 'src/main.ts', 'sandbox-token', '--count', String(count)];
  if (employees !== undefined) args.push('--employees', String(employees));
  const tokens = execFileSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    maxBuffer: 1 << 30,
  })
    .toString()
    .trim()
    .split('\n');
  if (tokens.length !== count) throw new Error(`sandbox-token printed ${tokens.length} tokens, not ${count}`);
  return tokens;
}

/**
 * The built Affix serving `env` on a free port; `url(path)` is a URL on it. `entry`: another build's `dist/main.js`
 * (bench/p4-parts.ts compares a commit's build with this one's).
 */
export async function serveAffix(
  env: Record<string, string>,
  entry?: string,
): Promise<{ child: ChildProcess; url: (p: string) => string }> {
  const port = await freePort();
  // BENCH_AFFIX_NODE_ARGS: extra node flags for the Affix process only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
  const nodeArgs = (process.env.BENCH_AFFIX_NODE_ARGS ?? '').split(/\s+/).filter((a) => a.length > 0);
  const child = await startProcess(
    [...nodeArgs, entry ?? builtEntry(), 'serve'],
    { ...env, PORT: String(port) },
    /listening on/,
  );
  return { child, url: (p: string) => `http://127.0.0.1:${port}${p}` };
}

export interface VersusBare {
  bare: Figures;
  affix: Figures;
  /** Affix / bare requests per second: the median over the rounds. */
  ratio: number;
  /** Each round's ratio, in order. */
  ratios: number[];
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined off Linux. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) in parentheses: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** `run`'s figures with the CPU per request of process `pid` while it ran. */
async function withCpu(pid: number | undefined, run: () => Promise<Figures>): Promise<Figures> {
  const before = pid === undefined ? undefined : cpuSeconds(pid);
  const figures = await run();
  const after = pid === undefined ? undefined : cpuSeconds(pid);
  if (before === undefined || after === undefined || figures.requests === 0) return figures;
  return { ...figures, cpuUs: ((after - before) * 1e6) / figures.requests };
}

/**
 * The same requests against `affixUrl` and against a bare `node:http` server (bench/bare-server.ts) returning `body`
 * with `encoding`, alternately for `rounds` rounds of `duration` seconds each, so that a change in the shared
 * machine's load between the two measurements shows as spread between rounds, not as a biased ratio. Figures are
 * those of the round with the median ratio.
 */
export async function versusBare(o: {
  affixUrl: string;
  path: string;
  body: Buffer;
  encoding?: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
  rounds: number;
  /** Affix's process: its CPU per request is measured too. */
  affixPid?: number;
}): Promise<VersusBare> {
  const bodyFile = path.join(os.tmpdir(), `affix-bench-body-${process.pid}-${Date.now()}`);
  fs.writeFileSync(bodyFile, o.body);
  const barePort = await freePort();
  const bare = await startProcess(
    ['bench/bare-server.ts', bodyFile, String(barePort), ...(o.encoding ? [o.encoding] : [])],
    {},
    /ready/,
  );
  try {
    const bareUrl = `http://127.0.0.1:${barePort}${o.path}`;
    await load(bareUrl, o.headers, 2, o.connections); // warm-up both, same treatment
    await load(o.affixUrl, o.headers, 2, o.connections);
    const rounds: { bare: Figures; affix: Figures; ratio: number }[] = [];
    for (let i = 0; i < o.rounds; i++) {
      // Alternate which goes first, so neither always follows the other's load.
      const first = i % 2 === 0 ? bareUrl : o.affixUrl;
      const second = first === bareUrl ? o.affixUrl : bareUrl;
      const pidOf = (url: string) => (url === bareUrl ? bare.pid : o.affixPid);
      const a = await withCpu(pidOf(first), () => load(first, o.headers, o.duration, o.connections));
      const b = await withCpu(pidOf(second), () => load(second, o.headers, o.duration, o.connections));
      const [bareFig, affixFig] = first === bareUrl ? [a, b] : [b, a];
      rounds.push({ bare: bareFig, affix: affixFig, ratio: affixFig.rps / bareFig.rps });
    }
    const median = [...rounds].sort((x, y) => x.ratio - y.ratio)[Math.floor(rounds.length / 2)];
    if (!median) throw new Error('no rounds');
    return { ...median, ratios: rounds.map((r) => r.ratio) };
  } finally {
    await stop(bare);
    fs.rmSync(bodyFile, { force: true });
  }
}
