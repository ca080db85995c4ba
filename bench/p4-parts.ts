/**
 * Where P4's per-request CPU goes: the same warm `GET /2023-03-01/xhr/identity` load (16 connections) against
 * Affix started with one part of the request switched off at a time, each variant's server CPU (user + system,
 * /proc/<pid>/stat) per request answered. CPU per request depends far less on the shared machine's load than
 * requests/s; the variants run in turn for BENCH_ROUNDS rounds (default 2, the order reversed every other round)
 * and the median of each is printed. `node --import tsx bench/p4-parts.ts` (Linux only).
 * `BENCH_P4_BEFORE=<dir>/dist/main.js` (another commit's build, e.g. from `git archive` and `tsc -p
 * tsconfig.build.json`): only two variants, that build and this one, both as P4, for a before/after in one run.
 */
import {
  benchSetup,
  cpuSeconds,
  load,
  loadAverage,
  rawGet,
  sandboxTokens,
  serveAffix,
  stop,
} from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PATH = '/2023-03-01/xhr/identity';

/** Each variant: what it turns off, as env overrides of the production-like P4 setup. */
const BEFORE = process.env.BENCH_P4_BEFORE;
const VARIANTS: Record<string, Record<string, string>> = BEFORE
  ? { 'as P4, this build': {}, 'as P4, BENCH_P4_BEFORE': {} }
  : {
      'as P4 (fast path on)': {},
      'fast path off (FAST_PATH=off)': { FAST_PATH: 'off' },
      'no request line (LOG_LEVEL=warn)': { LOG_LEVEL: 'warn' },
      'no request-log row (REQUEST_LOG=stdout)': { REQUEST_LOG: 'stdout' },
      'no rate limits (RATE_LIMITS=off)': { RATE_LIMITS: 'off' },
    };

const setup = await benchSetup('p4-parts');
try {
  const env = setup.env();
  const [token] = sandboxTokens(env);
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' };
  const results = new Map<string, number[]>();
  const names = Object.keys(VARIANTS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const entry = name.endsWith('BENCH_P4_BEFORE') ? BEFORE : undefined;
      const affix = await serveAffix({ ...env, ...VARIANTS[name] }, entry);
      try {
        const url = affix.url(PATH);
        const warm = await rawGet(url, headers);
        if (warm.status !== 200) throw new Error(`${name}: warm-up got ${warm.status}`);
        await load(url, headers, 2, 16);
        const pid = affix.child.pid as number;
        const before = cpuSeconds(pid);
        const f = await load(url, headers, DURATION, 16);
        const after = cpuSeconds(pid);
        if (before === undefined || after === undefined) throw new Error('no /proc/<pid>/stat');
        const us = ((after - before) * 1e6) / f.requests;
        results.set(name, [...(results.get(name) ?? []), us]);
        console.log(`round ${round + 1}: ${name}: ${us.toFixed(1)} µs/req, ${f.rps.toFixed(0)} req/s`);
      } finally {
        await stop(affix.child);
      }
    }
  }
  console.log(
    `\nmedian server CPU per request (µs), ${new Date().toISOString().slice(0, 16)} UTC, ${loadAverage()}`,
  );
  for (const [name, values] of results) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    console.log(`| ${name} | ${median.toFixed(0)} | ${values.map((v) => v.toFixed(0)).join(', ')} |`);
  }
} finally {
  await setup.cleanup();
}
