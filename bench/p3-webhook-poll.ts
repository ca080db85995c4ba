/**
 * P3: webhook polls. BENCH_CONNECTIONS (default 1,000) sandbox connections × BENCH_EMPLOYEES (default 1,000) in one
 * process on SQLite (a temporary file; BENCH_DATABASE_URL=postgres://… for PostgreSQL), SANDBOX_CHURN=0.01, so
 * every poll finds about 1 % of the company changed. Phase 1 makes the connections and runs each one's first poll
 * (sandbox generation, keeping the company, the baseline): reported apart. Phase 2 is BENCH_CYCLES (default 1)
 * full cycles: each connection polled once (live fetch through the fetch jobs with the cache refreshed, churn on
 * the kept company, diff, snapshot sealed and written with the event in one transaction), BENCH_CONCURRENCY
 * (default 4) polls at a time, with the real outbox (`enqueueWebhookEvent` in the snapshot's transaction) and the
 * real delivery (job engine + signed POST) to a loopback receiver in a child process (bench/p3-receiver.ts): a cycle ends when every event it
 * made was answered 2xx. The receiver counts events per connection and 2xx per webhook-id (missed, duplicates), and
 * checks each event's number of changed employees against the churn round's. CPU time is the process's own (user +
 * system, all threads, zlib included; the receiver's and a PostgreSQL server's are not). Ours is the cycle's CPU less
 * the sandbox's: timed inside the polls with BENCH_CONCURRENCY=1 (the figure docs/benchmarks.md gives), else sampled
 * one call at a time after the cycles. The process's RSS is sampled every 100 ms and broken down after each phase.
 *
 * Run alone: `node --import tsx bench/p3-webhook-poll.ts`; `npm run bench -- p3` writes docs/benchmarks.md.
 */
import fs from 'node:fs';
import { fork } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createSandboxToken } from '../src/cli/sandbox.js';
import { loadConfig } from '../src/config.js';
import { generateDataset } from '../src/providers/sandbox/generate.js';
import { createServices } from '../src/services.js';
import { applyHeapGrowth } from '../src/cli/heap.js';
import { adapterFor } from '../src/sync/connections.js';
import { createJobQueue } from '../src/jobs/queue/index.js';
import { createClient } from '../src/oauth/clients.js';
import { startWebhookDelivery } from '../src/webhooks/delivery.js';
import { type PollOutcome, pollConnection } from '../src/webhooks/poll.js';
import { outboxEnqueue } from '../src/webhooks/schedule.js';
import type { ReceiverReport } from './p3-receiver.js';

export interface P3Result {
  connections: number;
  employees: number;
  cycles: number;
  concurrency: number;
  database: string;
  /** REFRESH_BROTLI_QUALITY of the run. */
  refreshQuality: number;
  setup: { wallS: number; cpuS: number; generateMsPerCompany: number };
  cycle: { wallS: number; cpuS: number; cpuMsPerPoll: number; wallMsPerPoll: number };
  pollsPerHourPerCore: number;
  pollsPerHourWall: number;
  events: number;
  missed: number;
  /** Events whose added + removed + updated differ from the churn round's number of changes. */
  wrongEvents: number;
  duplicates: number;
  /** Process peak RSS (maxRSS), and the highest RSS sampled every 100 ms in each phase. */
  peakRssMb: number;
  rssMb: { setup: number; cycles: number };
  databaseMb: number | null;
  /**
   * CPU ms per poll, sampled one at a time on BREAKDOWN_SAMPLES connections after the cycles: the sandbox's own
   * fetch (kept company opened, churned, written back; the "Fast at scale" issue's to cut), a whole poll (its
   * sandbox fetch included, its event committed), and its event's delivery (until answered 2xx).
   */
  breakdown: { samples: number; sandboxInPollMs: number; pollMs: number; deliveryMs: number };
  /**
   * The sandbox's CPU ms per fetch, its fetches run back to back (no poll between) over `SANDBOX_PASS` connections
   * after the cycles: with the garbage collection its own allocations cause.
   */
  sandboxAloneMs: number;
  /** Connections in that pass. */
  sandboxPass: number;
  /** The cycle's CPU per poll less `sandboxAloneMs`. */
  ownMsPerPollSandboxAlone: number;
  /** The sandbox's CPU ms per poll timed inside the cycle's polls (only with BENCH_CONCURRENCY=1). */
  sandboxCycleMs: number | null;
  /**
   * CPU ms per poll that is ours: the cycle's CPU per poll less the sandbox's, the lower of its two measures (timed
   * in the polls with BENCH_CONCURRENCY=1, and `sandboxAloneMs`). Timed in the polls, the sandbox's call also holds
   * whatever ran while it waited (the delivery of the previous event: on PostgreSQL, graphile-worker's whole job while
   * the sandbox waits on the database), so that measure alone would flatter ours.
   */
  ownMsPerPoll: number;
  /** 3600 s / `ownMsPerPoll`: the target's figure (≥ 50,000). */
  ownPollsPerHourPerCore: number;
  /**
   * The receiver's CPU per poll during the cycles (its own process, not in any figure above): what "ours" counted
   * while the receiver ran in the bench's process.
   */
  receiverMsPerPoll: number;
  /** Main-thread GC pauses per poll during the cycles, ms (wall time, from PerformanceObserver 'gc'). */
  gcMsPerPoll: number;
  /** 1-minute load average at the start and the end of the run (the machine may be shared). */
  loadBefore: number;
  loadAfter: number;
}

const BREAKDOWN_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
/** Connections whose sandbox fetch is timed back to back after the cycles (BENCH_SANDBOX_PASS, default 100). */
const SANDBOX_PASS = Number(process.env.BENCH_SANDBOX_PASS ?? 100);

/** The highest RSS seen since the last `take()`, sampled every 100 ms. */
function rssSampler(cacheBytes: () => number) {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 100);
  timer.unref();
  return {
    take(phase: string): number {
      sample();
      const m = process.memoryUsage();
      const f = (n: number) => (n / 2 ** 20).toFixed(0);
      console.error(
        `p3: after ${phase}: RSS ${f(m.rss)} MB, heap ${f(m.heapUsed)}/${f(m.heapTotal)} MB, external ${f(m.external)} MB (array buffers ${f(m.arrayBuffers)} MB), response cache ${f(cacheBytes())} MB`,
      );
      const highest = peak / 2 ** 20;
      peak = 0;
      return highest;
    },
    stop: () => clearInterval(timer),
  };
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
};

/** Forks bench/p3-receiver.ts (loopback, same checks) and talks to it over IPC. */
async function startReceiver() {
  const child = fork(fileURLToPath(new URL('./p3-receiver.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`p3 receiver exited (${code})`)));
    child.once('message', (m: { type: string; port: number }) => resolve(m.port));
  });
  const ask = (type: 'reset' | 'report') =>
    new Promise<ReceiverReport>((resolve) => {
      child.once('message', (m: ReceiverReport) => resolve(m));
      child.send({ type });
    });
  return {
    port,
    /** A new cycle: per-connection counts start again (answered once done). */
    reset: () => ask('reset'),
    report: () => ask('report'),
    stop: () => {
      child.removeAllListeners('exit');
      child.disconnect();
    },
  };
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export async function runP3(): Promise<P3Result> {
  const loadBefore = os.loadavg()[0] ?? 0;
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 1000);
  const employees = Number(process.env.BENCH_EMPLOYEES ?? 1000);
  const cycles = Number(process.env.BENCH_CYCLES ?? 1);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-p3-'));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dataDir, 'affix.db')}`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: 'http://affix.bench',
    LOG_LEVEL: 'silent',
    SANDBOX_CHURN: '0.01',
    SANDBOX_EMPLOYEES: String(employees),
    WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
    ...(process.env.REFRESH_BROTLI_QUALITY
      ? { REFRESH_BROTLI_QUALITY: process.env.REFRESH_BROTLI_QUALITY }
      : {}),
    ...(process.env.HEAP_GROWING_PERCENT ? { HEAP_GROWING_PERCENT: process.env.HEAP_GROWING_PERCENT } : {}),
  });
  // As `affix worker` runs it (src/cli/lifecycle.ts): V8's heap growth from the setting.
  applyHeapGrowth(config.HEAP_GROWING_PERCENT);
  // The loopback receiver, in a child process (its CPU is the bench's, not ours): it counts change events per
  // connection in the current phase and 2xx answers per webhook-id, and reports them on request.
  const receiver = await startReceiver();
  let cacheBytes = () => 0;
  const rss = rssSampler(() => cacheBytes());
  const services = await createServices(config);
  cacheBytes = () => services.cache.memoryBytes;
  const silent = pino({ level: 'silent' });
  const queue = createJobQueue(services.store, { concurrency: config.WEBHOOK_CONCURRENCY, log: silent });
  const stopDelivery = startWebhookDelivery(services, queue, silent);
  await queue.start();
  try {
    const { client } = await createClient(services, {
      name: 'p3',
      redirectUris: ['https://app.test/cb'],
      webhookUri: `http://127.0.0.1:${receiver.port}/hook`,
    });
    const enqueue = outboxEnqueue(services);
    // The sandbox's own CPU inside the polls: its adapters' `employees` timed (process CPU over the call). Exact with
    // BENCH_CONCURRENCY=1 (only the delivery of an earlier event may interleave with it: a few ms, counted to the
    // sandbox); with more polls at a time the intervals overlap, and the sampled figure below is used instead.
    const sandbox = services.providers.find('sandbox');
    if (!sandbox) throw new Error('no sandbox provider');
    let sandboxInPolls = 0;
    const connect = sandbox.connect.bind(sandbox);
    sandbox.connect = (ctx) => {
      const adapter = connect(ctx);
      const employees = adapter.employees?.bind(adapter);
      if (employees)
        adapter.employees = async (sink) => {
          const t = process.cpuUsage();
          // What the fetch path does inside the call (an adapter pushing to the sink runs our hashing and encoding
          // in its own call) is ours: timed apart and left out of the sandbox's figure.
          let inSink = 0;
          const timed =
            <A extends unknown[]>(f: (...args: A) => void) =>
            (...args: A) => {
              const s = process.cpuUsage();
              try {
                f(...args);
              } finally {
                inSink += cpuSeconds(s);
              }
            };
          const withJson = sink?.pushWithJson?.bind(sink);
          const ours = sink && {
            ...sink,
            push: timed(sink.push.bind(sink)),
            ...(withJson && { pushWithJson: timed(withJson) }),
          };
          try {
            return await employees(ours);
          } finally {
            sandboxInPolls += cpuSeconds(t) - inSink;
          }
        };
      return adapter;
    };
    /**
     * Until one event is finished: its row looked up by id (`drained` lists the client's pending events, a walk over
     * all its events once none is pending, which would weigh on a single delivery's figure).
     */
    const delivered = async (eventId: string) => {
      while ((await services.store.webhookEvents.find(eventId))?.status === 'pending')
        await new Promise((r) => setTimeout(r, 5));
    };
    /** Until every event row is finished (delivered or failed). */
    const drained = async () => {
      for (;;) {
        const pending = await services.store.webhookEvents.list(client.id, { status: 'pending', limit: 1 });
        if (pending.length === 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // Phase 1: connections, sandbox generation, kept companies, baselines.
    const generateStart = performance.now();
    for (let i = 0; i < 3; i++) generateDataset({ seed: `gen-${i}`, employees, asOf: '2026-11-01' });
    const generateMsPerCompany = (performance.now() - generateStart) / 3;
    const ids: string[] = [];
    let cpu = process.cpuUsage();
    let wall = performance.now();
    for (let i = 0; i < connections; i++)
      ids.push((await createSandboxToken(services, { employees, clientId: client.id })).connectionId);
    /** Employees per connection at its last poll. */
    const records = new Map<string, number>();
    await inBatches(ids, concurrency, async (id) => {
      const outcome = await pollConnection(services, id, { enqueue });
      if (outcome.status !== 'baseline') throw new Error(`first poll of ${id}: ${outcome.status}`);
      records.set(id, outcome.records);
    });
    await drained();
    const setup = { wallS: (performance.now() - wall) / 1000, cpuS: cpuSeconds(cpu), generateMsPerCompany };
    const setupRss = rss.take('setup');
    console.error(`p3: setup ${setup.wallS.toFixed(1)} s wall, ${setup.cpuS.toFixed(1)} s CPU`);

    // Phase 2: full cycles.
    const afterSetup = await receiver.report();
    if (afterSetup.perConnection.length > 0) throw new Error('a baseline poll sent an event');
    let missed = 0;
    let duplicates = 0;
    // A churn round changes max(1, round(0.01 × employees)) distinct employees (src/providers/sandbox/churn.ts):
    // an event reporting another number missed (or invented) a change.
    let wrongEvents = 0;
    let unchanged = 0;
    const before = afterSetup.counter;
    let receiverCpuStart = 0;
    // BENCH_CPU_PROF=<file>: a V8 CPU profile of the cycles alone (open it in Chrome DevTools or speedscope).
    const profiling = process.env.BENCH_CPU_PROF ? new Session() : undefined;
    if (profiling) {
      profiling.connect();
      await profiling.post('Profiler.enable');
      await profiling.post('Profiler.start');
    }
    // Main-thread GC pauses during the cycles (their wall time; the collector's helper threads are not in it).
    let gcMs = 0;
    const gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) gcMs += e.duration;
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    sandboxInPolls = 0;
    cpu = process.cpuUsage();
    wall = performance.now();
    for (let c = 0; c < cycles; c++) {
      const atStart = await receiver.reset();
      if (c === 0) receiverCpuStart = atStart.cpuMs;
      const expected = new Map(ids.map((id) => [id, Math.max(1, Math.round(0.01 * (records.get(id) ?? 0)))]));
      await inBatches(ids, concurrency, async (id) => {
        const outcome: PollOutcome = await pollConnection(services, id, { enqueue });
        if (outcome.status !== 'changed') unchanged++;
        else records.set(id, outcome.records);
      });
      await drained();
      const got = await receiver.report();
      const perConnection = new Map(got.perConnection);
      const changedIn = new Map(got.changedIn);
      for (const id of ids) {
        const n = perConnection.get(id) ?? 0;
        if (n === 0) missed++;
        if (n > 1) duplicates += n - 1;
        if (n > 0 && changedIn.get(id) !== expected.get(id)) wrongEvents++;
      }
    }
    if (unchanged > 0) console.error(`p3: ${unchanged} polls found no change`);
    const polls = connections * cycles;
    const cycleCpu = cpuSeconds(cpu);
    gcObserver.disconnect();
    if (profiling && process.env.BENCH_CPU_PROF) {
      const { profile } = await profiling.post('Profiler.stop');
      fs.writeFileSync(process.env.BENCH_CPU_PROF, JSON.stringify(profile));
      profiling.disconnect();
    }
    const sandboxCycleMs = (sandboxInPolls * 1000) / polls;
    const cycleWall = (performance.now() - wall) / 1000;
    const cyclesRss = rss.take('cycles');
    const received = await receiver.report();
    const events = received.counter - before;
    duplicates += received.duplicateIds;
    console.error(
      `p3: ${events} events, ${missed} missed, ${duplicates} duplicates, ${wrongEvents} with a wrong number of changes`,
    );
    // The sandbox's fetch alone, back to back over SANDBOX_PASS connections (each churns and writes back its kept
    // company as in a poll; none is in the sandbox's memo of recent companies, as in a cycle): process CPU over the
    // pass, so the garbage collection its allocations cause (its unpacked company promoted, later swept) is in its
    // figure, where in a cycle part of it lands after its call, in our time.
    const pass = ids.slice(0, SANDBOX_PASS);
    let t = process.cpuUsage();
    for (const id of pass) {
      const connection = await services.store.connections.find(id);
      if (!connection) throw new Error('sandbox connection missing');
      await adapterFor(services, sandbox, connection, {}).employees?.();
    }
    const sandboxAloneMs = (cpuSeconds(t) * 1000) / pass.length;
    // Then single polls, one at a time, so process CPU time is theirs: a whole poll (its sandbox fetch timed inside
    // it, as in the cycle) and its event's delivery.
    const sample = ids.slice(0, BREAKDOWN_SAMPLES);
    let pollCpu = 0;
    let deliveryCpu = 0;
    const sandboxBefore = sandboxInPolls;
    for (const id of sample) {
      t = process.cpuUsage();
      const outcome = await pollConnection(services, id, { enqueue });
      pollCpu += cpuSeconds(t);
      t = process.cpuUsage();
      if (outcome.status === 'changed') await delivered(outcome.eventId);
      deliveryCpu += cpuSeconds(t);
    }
    rss.stop();
    const perSample = (s: number) => (s * 1000) / sample.length;
    const breakdown = {
      samples: sample.length,
      sandboxInPollMs: perSample(sandboxInPolls - sandboxBefore),
      pollMs: perSample(pollCpu),
      deliveryMs: perSample(deliveryCpu),
    };
    const cpuMsPerPoll = (cycleCpu * 1000) / polls;
    const ownMsPerPoll =
      cpuMsPerPoll - (concurrency === 1 ? Math.min(sandboxCycleMs, sandboxAloneMs) : sandboxAloneMs);
    const databaseMb = services.store.file
      ? (['', '-wal'] as const).reduce((sum, ext) => {
          const f = `${services.store.file}${ext}`;
          return sum + (fs.existsSync(f) ? fs.statSync(f).size : 0);
        }, 0) /
        2 ** 20
      : null;
    return {
      connections,
      employees,
      cycles,
      concurrency,
      database: databaseUrl.startsWith('postgres') ? 'PostgreSQL' : 'SQLite',
      refreshQuality: config.REFRESH_BROTLI_QUALITY,
      setup,
      cycle: {
        wallS: cycleWall / cycles,
        cpuS: cycleCpu / cycles,
        cpuMsPerPoll: (cycleCpu * 1000) / polls,
        wallMsPerPoll: (cycleWall * 1000) / polls,
      },
      pollsPerHourPerCore: (3600 * polls) / cycleCpu,
      pollsPerHourWall: (3600 * polls) / cycleWall,
      events,
      missed,
      wrongEvents,
      duplicates,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rssMb: { setup: setupRss, cycles: cyclesRss },
      databaseMb,
      breakdown,
      sandboxCycleMs: concurrency === 1 ? sandboxCycleMs : null,
      ownMsPerPoll,
      ownPollsPerHourPerCore: 3_600_000 / ownMsPerPoll,
      sandboxAloneMs,
      sandboxPass: pass.length,
      ownMsPerPollSandboxAlone: cpuMsPerPoll - sandboxAloneMs,
      receiverMsPerPoll: (received.cpuMs - receiverCpuStart) / polls,
      gcMsPerPoll: gcMs / polls,
      loadBefore,
      loadAfter: os.loadavg()[0] ?? 0,
    };
  } finally {
    await queue.stop();
    await stopDelivery();
    await services.close();
    receiver.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runP3(), null, 2));
}
