/**
 * CPU of a cold `employees()` walk of one provider, without the server around it: a fresh process per walk runs the
 * adapter of a built `dist/` (as the registry connects it, with the provider's own pacing) and the list encoder over
 * the provider's P2 emulator (bench/p2-cold-employees.ts: 10,000 employees, seed 1, 5 ms latency; in this process, a
 * fresh one per walk where P2 gives each walk its own), and prints the walk's CPU (whole process, and its main thread
 * from /proc) and the ETag of the encoded list, so two builds can be alternated under the same load and their
 * answers compared. CPU, unlike wall time, barely moves with the machine's load.
 *
 *   node --import tsx bench/walk-cpu.ts PROVIDER ROUNDS DIST_A [DIST_B …]
 *   e.g. node --import tsx bench/walk-cpu.ts gusto 6 /tmp/main/dist dist   (gusto, hibob, factorialhr, bamboohr, …)
 *
 * WALK_CPU_NODE_ARGS adds node flags to every walk's process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`,
 * `--trace-gc`); WALK_CPU_THREADS=1 also prints each walk's CPU by thread (name from /proc: main, V8 workers, libuv's
 * pool). A dist outside this checkout needs `package.json` and `node_modules` beside it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');

/** What the walk calls of an adapter. */
interface WalkAdapter {
  employees(sink: { expect(n: number): void; push(items: readonly unknown[]): void }): Promise<unknown[]>;
}

/** A connection's state kept in memory for the walk (Gusto keeps its refreshed tokens there). */
function memoryState() {
  const values = new Map<string, unknown>();
  return {
    get: async (key: string) => values.get(key),
    set: async (key: string, value: unknown) => void values.set(key, value),
    update: async (key: string, fn: (current: unknown) => unknown) => {
      const next = await fn(values.get(key));
      values.set(key, next);
      return next;
    },
  };
}

/** One walk in this process (the child mode): prints `{ cpuMs, mainMs, etag, threads }` as JSON. */
async function walk(
  dist: string,
  provider: string,
  baseUrl: string,
  credentials: Record<string, string>,
): Promise<void> {
  // What a node does at start (src/cli/lifecycle.ts) that changes a walk's CPU, where the build has it.
  const wasm = path.join(dist, 'cli/wasm.js');
  if (fs.existsSync(wasm)) {
    const { keepWasmOnBaseline } = (await import(pathToFileURL(wasm).href)) as { keepWasmOnBaseline(): void };
    keepWasmOnBaseline();
  }
  const { ProviderRegistry } = (await import(
    pathToFileURL(path.join(dist, 'providers/registry.js')).href
  )) as {
    ProviderRegistry: new () => {
      find(id: string):
        | {
            connect(ctx: unknown): Promise<WalkAdapter> | WalkAdapter;
          }
        | undefined;
    };
  };
  const { JsonListEncoder } = (await import(
    pathToFileURL(path.join(dist, 'sync/json-list-encoder.js')).href
  )) as {
    JsonListEncoder: new (
      keep: number,
    ) => {
      expect(n: number): void;
      add(items: readonly unknown[]): void;
      end(): Promise<{ etag: string }>;
    };
  };
  const taskMs = (task: string) => {
    const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  };
  const mainMs = () => taskMs(String(process.pid));
  /** CPU ms of every thread so far, by `name#tid`. */
  const threads = () =>
    new Map(
      fs
        .readdirSync('/proc/self/task')
        .map(
          (t) => [`${fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()}#${t}`, taskMs(t)] as const,
        ),
    );
  const ctx = {
    connectionId: 'bench',
    mode: 'official',
    credentials,
    settings: {},
    baseUrl,
    state: memoryState(),
    requireTls: false,
  };
  const found = new ProviderRegistry().find(provider);
  if (!found) throw new Error(`no provider ${provider} in ${dist}`);
  // The adapter as a connection gets it: the provider's documented pacing, which the P2 emulators' walks fit in.
  const adapter = await found.connect(ctx);
  const list = new JsonListEncoder(8 * 1_048_576);
  const cpu0 = process.cpuUsage();
  const main0 = mainMs();
  const threads0 = threads();
  const rest = await adapter.employees({ expect: (n) => list.expect(n), push: (items) => list.add(items) });
  list.add(rest);
  const { etag } = await list.end();
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `${JSON.stringify({
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainMs: mainMs() - main0,
      etag,
      threads: Object.fromEntries(
        [...threads()]
          .map(([name, ms]) => [name, ms - (threads0.get(name) ?? 0)])
          .filter(([, ms]) => ms !== 0),
      ),
    })}\n`,
  );
}

async function main(): Promise<void> {
  const [provider, roundsArg, ...dists] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  if (!provider || !Number.isInteger(rounds) || rounds < 1 || dists.length === 0) {
    throw new Error('usage: walk-cpu.ts PROVIDER ROUNDS DIST [DIST …]');
  }
  // The P2 emulators (bench/p2-cold-employees.ts), in this process: 10,000 employees, seed 1, 5 ms per answer.
  const { P2_EMULATORS } = await import('./p2-cold-employees.js');
  const start = P2_EMULATORS[provider as keyof typeof P2_EMULATORS];
  if (!start) throw new Error(`no P2 emulator for ${provider}`);
  const emulator = await start();
  try {
    const byDist = new Map<
      string,
      Array<{ cpuMs: number; mainMs: number; etag: string; threads: Record<string, number> }>
    >();
    const nodeArgs = process.env.WALK_CPU_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    for (let round = 0; round < rounds; round++) {
      for (const dist of dists) {
        // A fresh emulator per walk where the P2 walks get one (its rate windows empty), else the round's.
        const target = await emulator.target();
        try {
          const out = await new Promise<string>((resolve, reject) =>
            execFile(
              process.execPath,
              [
                ...nodeArgs,
                '--import',
                'tsx',
                fileURLToPath(import.meta.url),
                '--walk',
                path.resolve(dist),
                provider,
                target.baseUrl,
                JSON.stringify(target.credentials),
              ],
              { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1_048_576 },
              (err, stdout) => (err ? reject(err) : resolve(stdout)),
            ),
          );
          const lines = out.trim().split('\n');
          const result = JSON.parse(lines.pop() ?? '{}');
          // What node printed before the result (e.g. `--trace-gc`), to stderr.
          if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
          byDist.set(dist, [...(byDist.get(dist) ?? []), result]);
          console.log(
            `${dist} round ${round + 1}: CPU ${Math.round(result.cpuMs)} ms, main thread ${Math.round(result.mainMs)} ms, ` +
              `load ${os.loadavg()[0]?.toFixed(1)}` +
              (process.env.WALK_CPU_THREADS === '1' ? ` ${JSON.stringify(result.threads)}` : ''),
          );
        } finally {
          await target.close();
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    for (const [dist, results] of byDist) {
      const cpu = results.map((r) => Math.round(r.cpuMs));
      const mainThread = results.map((r) => Math.round(r.mainMs));
      console.log(
        `${provider} ${dist}: CPU ${cpu.join(', ')} ms (median ${median(cpu)}), main thread ${mainThread.join(', ')} ms ` +
          `(median ${median(mainThread)}), ETag ${[...new Set(results.map((r) => r.etag))].join(' ')}`,
      );
    }
  } finally {
    await emulator.close();
  }
}

if (process.argv[2] === '--walk') {
  const [, , , dist, provider, baseUrl, credentials] = process.argv;
  await walk(
    dist ?? '',
    provider ?? '',
    baseUrl ?? '',
    JSON.parse(credentials ?? '{}') as Record<string, string>,
  );
  process.exit(0);
} else {
  await main();
  process.exit(0);
}
