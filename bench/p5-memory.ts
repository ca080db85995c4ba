/**
 * `node --import tsx bench/p5-memory.ts [N]`: where the memory of a node that warmed N sandbox connections × 200
 * employees (default 2,000) goes, against a node started on the same warmed database. Node A warms them (8 at a
 * time, as P5) and serves 10 s of P5's round-robin reads; then node B starts on the same database and serves the
 * same reads (2 + 10 s to fill its memory, then 10 s measured). Both run with bench/memory-probe.mjs: after each
 * phase the script prints `process.memoryUsage()`, the V8 heap spaces (committed / used) and smaps_rollup, before and
 * after a full GC, and, with BENCH_SNAPSHOTS=1, writes a heap snapshot of each after serving and prints the
 * difference of their live heaps by kind of object (strings, objects, arrays, code…), largest first.
 * SQLite; BENCH_POSTGRES_URL for PostgreSQL. Settings as P5's (bench/support.ts `benchSetup`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  benchSetup,
  load,
  loadAverage,
  peakRssMb,
  sampleRss,
  sandboxTokens,
  serveAffix,
  stop,
  warmUp,
} from './support.js';

const N = Number(process.argv[2] ?? 2000);
const SNAPSHOTS = process.env.BENCH_SNAPSHOTS === '1';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-p5-memory-'));
process.env.BENCH_AFFIX_NODE_ARGS = [
  '--expose-gc',
  '--import',
  path.join(import.meta.dirname, 'memory-probe.mjs'),
  process.env.BENCH_AFFIX_NODE_ARGS ?? '',
].join(' ');

/** Asks the probe of `pid` for `cmd`; resolves with the path of what it wrote, without its extension. */
async function ask(pid: number, cmd: 'stats' | 'snapshot'): Promise<string> {
  const before = new Set(fs.readdirSync(dir));
  fs.writeFileSync(path.join(dir, 'cmd'), cmd);
  process.kill(pid, 'SIGUSR2');
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const done = fs
      .readdirSync(dir)
      .find((f) => f.startsWith(`${pid}-`) && f.endsWith('.done') && !before.has(f));
    if (done) return path.join(dir, done.slice(0, -'.done'.length));
  }
}

interface Reading {
  mem: NodeJS.MemoryUsage;
  spaces: Record<string, { size: number; used: number }>;
  smaps: string;
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

function describe(r: Reading): string {
  const spaces = Object.entries(r.spaces)
    .filter(([, s]) => s.size > 0)
    .map(([name, s]) => `${name.replace(/_space$/, '')} ${mb(s.size)}/${mb(s.used)}`)
    .join(', ');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(r.smaps)?.[1] ?? 0) * 1024;
  const anon = kb('Anonymous');
  // What is neither V8's heap, nor array buffers (answers, sockets, zlib output), nor mapped files (the binary, SQLite):
  // malloc'd memory of V8, Node and the addons (SQLite's page cache, zlib/brotli state, TLS…), and free malloc pages.
  const native = anon - r.mem.heapTotal - r.mem.arrayBuffers;
  return `RSS ${mb(r.mem.rss)} (anonymous ${mb(anon)}, file-backed ${mb(kb('Rss') - anon)}), heap ${mb(r.mem.heapTotal)} committed / ${mb(r.mem.heapUsed)} used, array buffers ${mb(r.mem.arrayBuffers)}, external ${mb(r.mem.external)}, native rest ${mb(native)} MB; spaces (committed/used MB) ${spaces}`;
}

async function report(label: string, pid: number): Promise<void> {
  const file = await ask(pid, 'stats');
  const { before, after } = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) as {
    before: Reading;
    after: Reading;
  };
  console.log(`${label}\n  before GC: ${describe(before)}\n  after GC:  ${describe(after)}`);
}

/** Self size of a heap snapshot's nodes by kind (strings together, objects by constructor), in bytes. */
function heapByKind(file: string): Map<string, number> {
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const kinds = new Map<string, number>();
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const t = types[snapshot.nodes[i + type] as number] ?? '?';
    const kind = t.includes('string')
      ? '(strings)'
      : t === 'object' || t === 'closure'
        ? `${t} ${(snapshot.strings[snapshot.nodes[i + name] as number] ?? '').slice(0, 50)}`
        : `(${t})`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + (snapshot.nodes[i + size] as number));
  }
  return kinds;
}

const setup = await benchSetup('p5-memory', process.env.BENCH_POSTGRES_URL);
// BENCH_CACHE_MEMORY, BENCH_HEAP_GROWING_PERCENT, BENCH_MALLOC_MMAP_THRESHOLD: the node's CACHE_MEMORY,
// HEAP_GROWING_PERCENT and MALLOC_MMAP_THRESHOLD_ (else as P5).
const overrides: Record<string, string> = {};
if (process.env.BENCH_CACHE_MEMORY) overrides['CACHE_MEMORY'] = process.env.BENCH_CACHE_MEMORY;
if (process.env.BENCH_HEAP_GROWING_PERCENT) {
  overrides['HEAP_GROWING_PERCENT'] = process.env.BENCH_HEAP_GROWING_PERCENT;
}
if (process.env.BENCH_MALLOC_MMAP_THRESHOLD) {
  overrides['MALLOC_MMAP_THRESHOLD_'] = process.env.BENCH_MALLOC_MMAP_THRESHOLD;
}
const env = { ...setup.env(overrides), PROBE_DIR: dir };
const headers = { 'accept-encoding': 'br' };
try {
  const tokens = sandboxTokens(env, N, 200).map((t) => `Bearer ${t}`);
  const serveRoundRobin = async (label: string, pid: number, url: string) => {
    const rss = sampleRss(pid);
    const f = await load(url, headers, 10, 32, tokens);
    console.log(
      `${label}: ${f.rps.toFixed(0)} requests/s, p99 ${f.p99} ms, max RSS ${rss.stop().toFixed(0)} MB (${loadAverage()}, ${new Date().toISOString().slice(11, 19)} UTC)`,
    );
  };
  console.log(`${setup.db.name}, ${N} connections, ${JSON.stringify(overrides)}`);
  const a = await serveAffix(env);
  const pidA = a.child.pid as number;
  const urlA = a.url('/2023-03-01/xhr/employees');
  const started = performance.now();
  await warmUp(urlA, headers, tokens, 8);
  console.log(
    `A warmed ${N} in ${((performance.now() - started) / 1000).toFixed(0)} s (${loadAverage()}), peak RSS ${peakRssMb(pidA).toFixed(0)} MB`,
  );
  await report('A after the warm-up', pidA);
  await load(urlA, headers, 2, 32, tokens);
  await serveRoundRobin('A serving', pidA, urlA);
  await report('A after serving', pidA);
  const snapA = SNAPSHOTS ? await ask(pidA, 'snapshot') : undefined;
  await stop(a.child);

  const b = await serveAffix(env);
  const pidB = b.child.pid as number;
  const urlB = b.url('/2023-03-01/xhr/employees');
  await load(urlB, headers, 2, 32, tokens);
  await load(urlB, headers, 10, 32, tokens);
  await serveRoundRobin('B (fresh) serving', pidB, urlB);
  await report('B after serving', pidB);
  const snapB = SNAPSHOTS ? await ask(pidB, 'snapshot') : undefined;
  await stop(b.child);

  if (snapA && snapB) {
    const kindsA = heapByKind(`${snapA}.heapsnapshot`);
    const kindsB = heapByKind(`${snapB}.heapsnapshot`);
    const total = (k: Map<string, number>) => [...k.values()].reduce((s, x) => s + x, 0);
    console.log(
      `live heap in the snapshots: A ${mb(total(kindsA))} MB, B ${mb(total(kindsB))} MB; A − B by kind:`,
    );
    const kinds = [...new Set([...kindsA.keys(), ...kindsB.keys()])]
      .map((k) => ({ k, a: kindsA.get(k) ?? 0, b: kindsB.get(k) ?? 0 }))
      .sort((x, y) => y.a - y.b - (x.a - x.b));
    for (const { k, a, b } of kinds.slice(0, 12)) console.log(`  ${mb(a - b).padStart(6)} MB  ${k}`);
    console.log('B (fresh, serving) live heap by kind, largest first:');
    for (const [k, b] of [...kindsB.entries()].sort((x, y) => y[1] - x[1]).slice(0, 15)) {
      console.log(`  ${mb(b).padStart(6)} MB  ${k}`);
    }
  }
} finally {
  await setup.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
