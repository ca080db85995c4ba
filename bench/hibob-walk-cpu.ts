/**
 * CPU of a cold HiBob `employees()` walk, without the server around it: a fresh process per walk runs the adapter
 * of a built `dist/` and the list encoder over the P2 emulator (10,000 employees, seed 1, 5 ms latency; in a child
 * process of its own, its rate limit off), and prints the walk's CPU (whole process, and its main thread from /proc), so two builds can be alternated
 * under the same load. CPU, unlike wall time, barely moves with the machine's load.
 *
 *   node --import tsx bench/hibob-walk-cpu.ts [rounds] DIST_A [DIST_B …]
 *   e.g. node --import tsx bench/hibob-walk-cpu.ts 5 /tmp/hb-main/dist dist
 *
 * HIBOB_WALK_NODE_ARGS adds node flags to every walk's process (e.g. `--liftoff-only`); HIBOB_WALK_THREADS=1 also
 * prints each walk's CPU by thread (name from /proc: main, V8 workers, libuv's pool).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');

/** One walk in this process (the child mode): prints `{ cpuMs, mainMs, etag }` as JSON. */
async function walk(dist: string, baseUrl: string, user: string, token: string): Promise<void> {
  // What a node does at start (src/cli/lifecycle.ts) that changes a walk's CPU, where the build has it.
  const wasm = path.join(dist, 'cli/wasm.js');
  if (fs.existsSync(wasm)) {
    const { keepWasmOnBaseline } = (await import(pathToFileURL(wasm).href)) as { keepWasmOnBaseline(): void };
    keepWasmOnBaseline();
  }
  const { createHibobAdapter } = (await import(
    pathToFileURL(path.join(dist, 'providers/hibob/adapter.js')).href
  )) as {
    createHibobAdapter: (
      ctx: unknown,
      options: unknown,
    ) => {
      employees(sink: { expect(n: number): void; push(items: readonly unknown[]): void }): Promise<unknown[]>;
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
        .map((t) => [`${fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()}#${t}`, taskMs(t)] as const),
    );
  const ctx = {
    connectionId: 'bench',
    mode: 'official',
    credentials: { service_user_id: user, token },
    settings: {},
    baseUrl,
    state: {},
    requireTls: false,
  };
  const adapter = createHibobAdapter(ctx, { rateLimit: { requests: 10_000, perMs: 60_000 } });
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
        [...threads()].map(([name, ms]) => [name, ms - (threads0.get(name) ?? 0)]).filter(([, ms]) => ms !== 0),
      ),
    })}\n`,
  );
}

async function main(): Promise<void> {
  const [roundsArg, ...dists] = process.argv.slice(2);
  const rounds = Number(roundsArg);
  if (!Number.isInteger(rounds) || rounds < 1 || dists.length === 0) {
    throw new Error('usage: hibob-walk-cpu.ts ROUNDS DIST [DIST …]');
  }
  const port = 4700 + Math.floor(Math.random() * 200);
  const emulator: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/providers/hibob/emulator/server.ts',
      ...[
        '--port',
        String(port),
        '--employees',
        '10000',
        '--seed',
        '1',
        '--latency',
        '5',
        '--per-minute',
        '0',
      ],
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      emulator.stdout?.on('data', (d: Buffer) => {
        out += d;
        if (/employees: \d+/.test(out)) resolve(out);
      });
      emulator.once('exit', (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
    });
    const user = /service_user_id: (\S+)/.exec(banner)?.[1] ?? '';
    const token = /token: (\S+)/.exec(banner)?.[1] ?? '';
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const byDist = new Map<
      string,
      Array<{ cpuMs: number; mainMs: number; etag: string; threads: Record<string, number> }>
    >();
    const nodeArgs = process.env.HIBOB_WALK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    for (let round = 0; round < rounds; round++) {
      for (const dist of dists) {
        const out = execFileSync(
          process.execPath,
          [
            ...nodeArgs,
            '--import',
            'tsx',
            fileURLToPath(import.meta.url),
            '--walk',
            path.resolve(dist),
            baseUrl,
            user,
            token,
          ],
          { cwd: ROOT, encoding: 'utf8' },
        );
        const result = JSON.parse(out.trim().split('\n').pop() ?? '{}');
        byDist.set(dist, [...(byDist.get(dist) ?? []), result]);
        if (process.env.HIBOB_WALK_THREADS === '1') {
          console.log(`${dist} round ${round + 1}: ${JSON.stringify(result.threads)}`);
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
    for (const [dist, results] of byDist) {
      const cpu = results.map((r) => Math.round(r.cpuMs));
      const mainThread = results.map((r) => Math.round(r.mainMs));
      console.log(
        `${dist}: CPU ${cpu.join(', ')} ms (median ${median(cpu)}), main thread ${mainThread.join(', ')} ms ` +
          `(median ${median(mainThread)}), ETag ${[...new Set(results.map((r) => r.etag))].join(' ')}`,
      );
    }
  } finally {
    emulator.kill('SIGTERM');
  }
}

if (process.argv[2] === '--walk') {
  const [, , , dist, baseUrl, user, token] = process.argv;
  await walk(dist ?? '', baseUrl ?? '', user ?? '', token ?? '');
  process.exit(0);
} else {
  await main();
}
