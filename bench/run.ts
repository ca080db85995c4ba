/**
 * `npm run bench [-- p1]`: runs the benchmarks and writes their figures into docs/benchmarks.md, each section with
 * the command that produced it. Ratios are against a baseline measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProviderId } from '../src/model/index.js';
import { runP1 } from './p1-warm-employees.js';
import { runP2 } from './p2-cold-employees.js';
import { runP4 } from './p4-warm-identity.js';
import type { Figures } from './support.js';
import { type P5Result, runP5 } from './p5-many-connections.js';
import { runP3 } from './p3-webhook-poll.js';
import { DEFAULT_CACHE_MEMORY } from '../src/sync/response-cache.js';

const DOC = path.resolve(import.meta.dirname, '../docs/benchmarks.md');
const which = process.argv.slice(2);
const all = which.length === 0;

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;
}

function replaceSection(doc: string, id: string, body: string): string {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  return re.test(doc) ? doc.replace(re, block) : `${doc.trimEnd()}\n\n${block}\n`;
}

let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : '# Benchmarks\n';

if (all || which.includes('p1')) {
  const r = await runP1();
  const f = (n: number) => n.toFixed(0);
  const verdict = r.ratio >= 0.8 ? 'meets' : 'MISSES';
  const body = `## P1 — warm employees, br, 32 connections

Command: \`npm run bench -- p1\` (BENCH_DURATION=${r.duration} s per server). Measured ${new Date().toISOString().slice(0, 10)} on ${machine()}.
1,000-employee sandbox connection, warm cache, \`GET /2023-03-01/xhr/employees\` with \`Accept-Encoding: br\`
(${r.bodyBytes} bytes per response), autocannon with 32 connections from a third process; the baseline is a bare
\`node:http\` server (bench/bare-server.ts) returning the same precompressed bytes.

| server | requests/s | p50 ms | p99 ms | errors | non-2xx |
|---|---:|---:|---:|---:|---:|
| bare node:http | ${f(r.bare.rps)} | ${r.bare.p50} | ${r.bare.p99} | ${r.bare.errors} | ${r.bare.non2xx} |
| Affix | ${f(r.affix.rps)} | ${r.affix.p50} | ${r.affix.p99} | ${r.affix.errors} | ${r.affix.non2xx} |

Ratio Affix / bare: **${r.ratio.toFixed(2)}×** (target ≥ 0.8×: ${verdict}; ${r.load}).`;
  doc = replaceSection(doc, 'p1', body);
  console.log(body);
}

if (all || which.includes('p2')) {
  // `npm run bench -- p2 deel 'xero uk'`: only those providers' rows are measured; the other rows of the table
  // (and their floor notes) are kept as they were, each with the date and load it was measured at.
  const only = which.filter((w) => w !== 'p1' && w !== 'p2') as ProviderId[];
  const rows = await runP2(only.length > 0 ? only : undefined);
  const day = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const fresh = new Map(
    rows.map((r) => [
      r.provider,
      {
        row:
          `| ${r.provider} | ${r.status} | ${r.count} | ${r.pages} | ${r.floorMs.toFixed(0)} | ` +
          `${r.bareWalkMs === null ? '—' : r.bareWalkMs.toFixed(0)} | ${r.wallMs.toFixed(0)} | ${r.affixCpuMs.toFixed(0)} | ` +
          `${r.decodeMs.toFixed(0)} | **${r.ratio.toFixed(2)}×** | ${r.peakRssMb.toFixed(0)} | ${day} UTC, load ${r.load.toFixed(1)} | ` +
          `${r.status === 200 && r.ratio <= 1.5 && r.peakRssMb <= 250 ? 'meets' : 'MISSES'}` +
          `${r.ratios.length > 1 ? ` (median of ${r.ratios.length} rounds: ${r.ratios.map((x) => `${x.toFixed(2)}×`).join(', ')})` : ''} |`,
        floor: `- ${r.provider}: ${r.floorRule}`,
      },
    ]),
  );
  // Rows kept from the last run of the providers not measured now.
  const section = /<!-- p2:start -->([\s\S]*?)<!-- p2:end -->/.exec(doc)?.[1] ?? '';
  const kept = new Map<string, { row: string; floor: string }>();
  const COLUMNS = 13;
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (line.startsWith('| ') && cells.length === COLUMNS + 2 && cells[1] !== 'provider') {
      const id = cells[1] as string;
      kept.set(id, { row: line, floor: section.split('\n').find((l) => l.startsWith(`- ${id}: `)) ?? '' });
    }
  }
  const order = ['personio.de', 'bamboohr', 'deel', 'factorialhr', 'xero uk', 'gusto', 'hibob', 'remote.com'];
  const ids = [...new Set([...order, ...fresh.keys(), ...kept.keys()])].filter(
    (id) => fresh.has(id as ProviderId) || kept.has(id),
  );
  const entries = ids.map((id) => fresh.get(id as ProviderId) ?? kept.get(id));
  const body = `## P2 — cold official employees, 10,000-employee emulators

Command: \`npm run bench -- p2 [provider …]\` (only the providers named are measured again; the table keeps the other
rows as last measured, each with its date and the machine's load). \`BENCH_P2_ROUNDS=N\` measures each provider N
times, each round with a fresh emulator, and shows the round with the median ratio (the verdict lists every round's
ratio); where the floor is a measured bare walk, a round alternates \`BENCH_P2_WALKS\` (default 3) bare and cold
Affix walks and its figures are their medians (see "How a P2 round is measured" below). Machine: ${machine()}.
A real Affix process (SQLite, fresh data dir) answers \`GET /2023-03-01/official/employees\` for a connection
whose provider is an emulator on loopback with 10,000 employees and 5 ms latency per page; the request waits for the
whole fetch (\`CACHE_WAIT=600s\`). The process first answers one request its token has no scope for (403), so its
own cold start is not counted; its cache and its connection to the emulator are cold. Wall time runs until the last
byte of the (brotli) body has arrived, read with undici's \`request\`, which does not decompress; the client's own
decoding of it is timed apart ("client decode ms", not in the wall time). "Affix CPU ms" is the CPU time the Affix
process spent on the request (/proc, user + system): unlike wall time it barely moves with the machine's load.
Peak RSS is the Affix process's VmHWM, the highest of every Affix walk of the provider's rounds (not their median:
the target is about the peak). Targets: ≤ 1.5× floor, ≤ 250 MB. "bare walk" is the same requests made with
plain \`fetch\` and no Affix in between, alternating with the Affix walks (against a twin emulator where the
provider's rate window would otherwise be spent twice); where the documented limits do not bind (sequential cursors
without a published limit, a few requests under a per-minute limit) the floor is the bare walk when it is longer than
the latency floor.
Affix maps, serializes, hashes and compresses each page while the next one is in flight (BambooHR, Deel, Gusto,
HiBob, Factorial and Personio stream pages into the encoder; Personio first holds 1,000 employees to fix office
addresses, and starts the list again if one turns out wrong at the end).

| provider | status | employees | requests | floor ms | bare walk ms | wall ms | Affix CPU ms | client decode ms | wall / floor | peak RSS MB | measured | verdict |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|
${entries.map((e) => e?.row ?? '').join('\n')}

Floors:

${entries.map((e) => e?.floor ?? '').join('\n')}`;
  doc = replaceSection(doc, 'p2', body);
  console.log(body);
}

/** PostgreSQL runs of P4 and P5 need a server: BENCH_POSTGRES_URL (a database is created on it and dropped). */
const postgresUrl = process.env.BENCH_POSTGRES_URL;

if (all || which.includes('p4')) {
  const runs = [await runP4(), ...(postgresUrl ? [await runP4(postgresUrl)] : [])];
  const f = (n: number) => n.toFixed(0);
  const cpu = (x: Figures) => (x.cpuUs === undefined ? '–' : x.cpuUs.toFixed(0));
  const rows = runs.flatMap((r) => [
    `| ${r.database} | bare node:http | ${f(r.bare.rps)} | ${cpu(r.bare)} | ${r.bare.p50} | ${r.bare.p99} | ${r.bare.errors} | ${r.bare.non2xx} | |`,
    `| ${r.database} | Affix | ${f(r.affix.rps)} | ${cpu(r.affix)} | ${r.affix.p50} | ${r.affix.p99} | ${r.affix.errors} | ${r.affix.non2xx} | **${r.ratio.toFixed(2)}×** (${r.ratio >= 0.5 ? 'meets' : 'MISSES'}; rounds ${r.ratios.map((x) => x.toFixed(2)).join(', ')}; ${r.load}) |`,
  ]);
  const first = runs[0];
  const body = `## P4 — warm identity, 16 connections (the per-request cost)

Command: \`npm run bench -- p4\` (BENCH_DURATION=${first?.duration} s per server and round, BENCH_ROUNDS=${first?.ratios.length};
\`BENCH_POSTGRES_URL=postgres://…\` adds the PostgreSQL rows). The two servers are measured alternately, round after
round (the first round bare first, the next Affix first …), and the round with the median ratio is shown, so a
change in the shared machine's load between two measurements shows as spread between rounds. Measured ${new Date().toISOString().slice(0, 16)} UTC on ${machine()}; the load average
(the machine is shared) is given with each ratio.
A sandbox connection's warm \`GET /2023-03-01/xhr/identity\` (\`Accept-Encoding: gzip, deflate, br\`: ${first?.bodyBytes}
bytes of ${first?.encoding} on the wire), autocannon with 16 connections from a third process. Affix runs as in
production: \`LOG_LEVEL=info\` (a request line per request), request-log rows in the database, rate limits on
(\`RATE_LIMITS=seed\`, \`RATE_LIMIT_SCALE=1000000\` so no quota is reached). The baseline is a bare \`node:http\`
server (bench/bare-server.ts) returning the same bytes. Target ≥ 0.5×. "CPU µs/req" is the server process's CPU
(user + system, \`/proc/<pid>/stat\`) per request answered in the median round: it depends less on the machine's
load than requests/s do.

| database | server | requests/s | CPU µs/req | p50 ms | p99 ms | errors | non-2xx | Affix / bare |
|---|---|---:|---:|---:|---:|---:|---:|---|
${rows.join('\n')}`;
  doc = replaceSection(doc, 'p4', body);
  console.log(body);
}

if (all || which.includes('p5')) {
  // `npm run bench -- p5 [N]`: N connections (default 1000); BENCH_POSTGRES_URL adds the PostgreSQL run.
  const n = Number(which.find((w) => /^\d+$/.test(w)) ?? 1000);
  const runs: P5Result[] = [await runP5(n)];
  if (postgresUrl) runs.push(await runP5(n, postgresUrl));
  const f = (x: number) => x.toFixed(0);
  const mb = (b: number) => (b / 1_048_576).toFixed(0);
  const rows = runs.flatMap((r) => {
    const ratio = r.many.figures.rps / r.one.figures.rps;
    const p99 = r.many.figures.p99 / Math.max(1, r.one.figures.p99);
    // RSS while serving warm reads; the warm-up's own peak (sandbox generation, cold fetches) is reported apart.
    const servingRss = Math.max(r.one.rssMb, r.many.rssMb);
    const verdict = ratio >= 0.5 && p99 <= 3 && servingRss <= 400 ? 'meets' : 'MISSES';
    return [r.one, r.many, r.overCap].map((run, i) => {
      const x = run.figures;
      const vs =
        i === 1
          ? `**${ratio.toFixed(2)}×** rps, p99 ${p99.toFixed(1)}× (${verdict})`
          : i === 2
            ? `${(x.rps / r.one.figures.rps).toFixed(2)}× rps`
            : 'baseline';
      return `| ${r.database} | ${run.label} | ${mb(run.cacheMemory)} | ${f(x.rps)} | ${x.p50} | ${x.p99} | ${x.errors} | ${x.non2xx} | ${f(run.rssMb)} | ${vs} | ${run.load} |`;
    });
  });
  const facts = runs.map(
    (r) =>
      `- ${r.database}: warming ${r.connections} connections took ${r.warmSeconds.toFixed(0)} s (${r.warmLoad}); ` +
      `database ${mb(r.databaseBytes)} MB after warming; ${f(r.bodyBytes)} bytes of br per body; peak RSS from start ` +
      `(VmHWM, so the warm-up's fetches included) ${f(r.peakRssMb)} MB at the default cap, ${f(r.overCapPeakRssMb)} MB ` +
      `for the node with the small cap (no warm-up: its reads are all from the store).`,
  );
  const first = runs[0];
  const body = `## P5 — ${first?.connections} warm sandbox connections × 200 employees, 32 connections

Command: \`npm run bench -- p5 ${first?.connections}\` (BENCH_DURATION=${first?.duration} s per load; \`BENCH_POSTGRES_URL=postgres://…\`
adds the PostgreSQL run). Measured ${new Date().toISOString().slice(0, 16)} UTC on ${machine()}.
\`affix sandbox-token --count ${first?.connections} --employees 200\`, then every connection's
\`GET /2023-03-01/xhr/employees\` (br) once, 8 at a time (the warm-up, timed). Then autocannon with 32 connections for
the same reads on one connection (baseline), and spread round-robin over all the connections' tokens; settings as in
P4 (\`LOG_LEVEL=info\`, request-log rows, rate limits on and out of reach), \`CACHE_MEMORY\` at its default (${(DEFAULT_CACHE_MEMORY / 1_048_576).toFixed(0)} MiB).
Last, the node restarts with \`CACHE_MEMORY\` a quarter of the working set and the round-robin reads run again: a cyclic
pattern larger than the cap, so (least recently used first) nearly every read is the store's (one row read, one
unseal). RSS is sampled every 100 ms during each load. Targets: round-robin ≥ 0.5× the one-connection rate, p99 ≤ 3×
its p99, RSS ≤ 400 MB while serving (the verdict uses the sampled RSS of the two loads at the default cap).

| database | reads | cap MB | requests/s | p50 ms | p99 ms | errors | non-2xx | max RSS MB | vs one connection | load |
|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|
${rows.join('\n')}

${facts.join('\n')}`;
  doc = replaceSection(doc, `p5-${first?.connections}`, body);
  console.log(body);
}

if (all || which.includes('p3')) {
  const r = await runP3();
  const f0 = (n: number) => n.toFixed(0);
  const f1 = (n: number) => n.toFixed(1);
  const verdict = r.ownPollsPerHourPerCore >= 50_000 ? 'meets' : 'MISSES';
  const body = `## P3 — webhook polls, ${r.connections.toLocaleString('en')} sandbox connections × ${r.employees.toLocaleString('en')} employees

Command: \`npm run bench -- p3\` (BENCH_CONNECTIONS=${r.connections}, BENCH_EMPLOYEES=${r.employees}, BENCH_CYCLES=${r.cycles},
BENCH_CONCURRENCY=${r.concurrency}${r.database === 'PostgreSQL' ? ', BENCH_DATABASE_URL=postgres://…' : ''}). Measured ${new Date().toISOString().slice(0, 16)} UTC on ${machine()}, ${r.database}.
One process, SANDBOX_CHURN=0.01 (about 1 % of each company changes per poll). A poll: live fetch through the fetch
jobs (each employee's JSON text, cut out of the sandbox's kept document and handed with the object, or serialized once where the sandbox has none:
hashed, and the refreshed cache entry's body, brotli at quality ${r.refreshQuality} (REFRESH_BROTLI_QUALITY), sealed, stored), churn on the kept company, canonical diff, new snapshot (hashes, byte ranges and the cache entry's brotli
bytes) sealed and written with the event in one transaction through the real outbox (\`enqueueWebhookEvent\`:
body sealed, event row and delivery job), then delivered by the real job engine (${r.database === 'PostgreSQL' ? 'graphile-worker' : 'the in-process runner'}, WEBHOOK_CONCURRENCY jobs at
once): signed, POSTed to a loopback receiver in a child process (bench/p3-receiver.ts: its CPU is not ours); a cycle ends when every event was answered 2xx.
The receiver checks every connection got exactly one event per cycle, each \`webhook-id\` answered 2xx once, and
each event reports as many employees as the churn round changed (max(1, round(1 % × employees)), all distinct).
CPU is the process's user + system time, all threads (zlib included, the receiver not). Load average (1 min) before →
after: ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)} (2 cores, shared).

| | value |
|---|---:|
| full cycle (every connection polled once), wall | ${f1(r.cycle.wallS)} s |
| full cycle, CPU | ${f1(r.cycle.cpuS)} s |
| CPU per poll, all of it | ${f1(r.cycle.cpuMsPerPoll)} ms |
| of which the sandbox's fetch (its own work: the lower of timed inside the polls${r.sandboxCycleMs === null ? ' (not with polls at once)' : `, ${f1(r.sandboxCycleMs)} ms,`} and alone, ${f1(r.sandboxAloneMs)} ms) | ${f1(r.cycle.cpuMsPerPoll - r.ownMsPerPoll)} ms |
| **CPU per poll, ours** (poll path, diff, snapshot, outbox, delivery) | **${f1(r.ownMsPerPoll)} ms** |
| **polls per hour per core, ours** (3600 s / our CPU per poll) | **${f0(r.ownPollsPerHourPerCore)}** (target ≥ 50,000: ${verdict}) |
| polls per hour per core, sandbox included | ${f0(r.pollsPerHourPerCore)} |
| polls per hour, this process, wall clock | ${f0(r.pollsPerHourWall)} |
| events / missed / duplicate / wrong number of changes | ${r.events} / ${r.missed} / ${r.duplicates} / ${r.wrongEvents} |
| peak RSS (process) | ${f0(r.peakRssMb)} MB |
| highest RSS sampled: setup / cycles | ${f0(r.rssMb.setup)} / ${f0(r.rssMb.cycles)} MB |
| database after the run${r.databaseMb === null ? '' : ' (SQLite file + WAL)'} | ${r.databaseMb === null ? '—' : `${f0(r.databaseMb)} MB`} |

The sandbox's share is the lower of two measures: ${r.sandboxCycleMs === null ? '(with several polls at a time their CPU cannot be told apart) ' : "its adapter's `employees` call timed inside each poll (BENCH_CONCURRENCY=1; process CPU over the call, so whatever ran while it waited, such as the delivery of the previous event, counts to it), and "}its fetches alone, below.
Sampled one call at a time on ${r.breakdown.samples} connections after the cycles: a whole poll (sandbox included, event committed)
${f1(r.breakdown.pollMs)} ms CPU, of which its sandbox fetch (kept company opened, churned, written back) ${f1(r.breakdown.sandboxInPollMs)} ms; its event's delivery (sealed body opened, signed twice, POSTed, answered) ${f1(r.breakdown.deliveryMs)} ms.
The sandbox's fetches alone, back to back on ${r.sandboxPass} connections after the cycles (the garbage collection its
allocations cause thus in its own figure): ${f1(r.sandboxAloneMs)} ms each. Main-thread GC pauses during the cycles: ${f1(r.gcMsPerPoll)} ms per poll (wall time). The receiver's own CPU in its child process (in no figure above; counted in "ours" before it moved there): ${f1(r.receiverMsPerPoll)} ms per poll. Sandbox generation, reported apart: generating one ${r.employees.toLocaleString('en')}-employee company takes
${f0(r.setup.generateMsPerCompany)} ms wall in this run (CPU per employee: docs/operations.md, "Sandbox"); making the ${r.connections.toLocaleString('en')} connections and their first polls
(generation, keeping each company, baselines) took ${f1(r.setup.wallS)} s wall, ${f1(r.setup.cpuS)} s CPU.`;
  doc = replaceSection(doc, 'p3', body);
  console.log(body);
}

fs.mkdirSync(path.dirname(DOC), { recursive: true });
fs.writeFileSync(DOC, doc);
