/** Helpers for tests that start real processes and listeners on loopback. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAIN = path.resolve(import.meta.dirname, '..', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface AffixProcess {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Its exit code (or -1 when a signal ended it). */
  exited: Promise<number>;
  /** Whether it is still running. */
  alive(): boolean;
  stop(): void;
}

/**
 * `affix <args>` (src/main.ts through tsx) as a real child process with only `env` (and PATH), run from the
 * system's temporary directory so no `.env` file of the checkout applies. An unhandled error really ends it.
 */
export function spawnAffix(args: string[], env: Record<string, string>): AffixProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return {
    child,
    output: () => out,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => child.kill('SIGTERM'),
  };
}

/** A port that was free a moment ago, for a child process that must be told its port up front. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls a child's collected output until `re` matches; the error carries the output so far. */
export async function waitForOutput(
  output: () => string,
  re: RegExp,
  ms = 30_000,
): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = output().match(re);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${re}; output:\n${output()}`);
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** What `runModuleScript` saw: the exit status, stderr, and the last line the script printed. */
export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The last line of stdout, trimmed ('' when it printed nothing). */
  lastLine: string;
}

/**
 * Runs `lines` as one ES module in a fresh `node --import tsx` process from the checkout's root (so `./src/…`
 * imports resolve), for tests of what a new process loads or how V8 behaves in it; `nodeArgs` go before the script
 * (V8 flags); at most two minutes.
 */
export function runModuleScript(lines: readonly string[], nodeArgs: readonly string[] = []): ScriptRun {
  const out = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', '--input-type=module', '-e', lines.join('\n')],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  return {
    status: out.status,
    stdout: out.stdout,
    stderr: out.stderr,
    lastLine: out.stdout.trim().split('\n').at(-1) ?? '',
  };
}
