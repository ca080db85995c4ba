/**
 * Prism (`@stoplight/prism-cli`, a devDependency) serving a provider's published OpenAPI document, for the
 * providers' `prism.test.ts` smoke runs. Prism is found from this checkout's own node_modules, through Node's module
 * resolution from this file, and run with this Node: never from a fixed directory, a global install or `npx`'s
 * download cache, so the tests behave the same in any fresh clone. Not imported by production code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './processes.js';

export interface PrismOptions {
  /** How long Prism may take to say it listens. */
  timeoutMs?: number;
  /**
   * Serve an edited copy instead: `edit` gets the spec's text and returns the text Prism serves, written to a
   * temporary file that is removed on stop. The vendored file itself is never changed.
   */
  edit?: (text: string) => string;
}

export interface Prism {
  /** `http://127.0.0.1:PORT`: Prism routes on the spec's path keys, so this is usually the adapter's base URL. */
  url: string;
  /** Ends the process (SIGTERM, then SIGKILL after 3 s) and resolves once it is gone. */
  stop(): Promise<void>;
}

/** The Prism CLI script of the installed `@stoplight/prism-cli`, resolved from this checkout. */
export function prismBin(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
  const script = typeof bin === 'string' ? bin : bin?.['prism'];
  if (!script) throw new Error(`${manifest} declares no prism bin`);
  return path.join(path.dirname(manifest), script);
}

/**
 * `prism mock <specPath>` (static mode: the spec's examples, else schema placeholders) on a free loopback port,
 * resolved once it says it listens. Rejects with the end of Prism's output when it exits or does not listen within
 * `timeoutMs` (large specs take several seconds to read on a busy machine).
 */
export async function startPrism(
  specPath: string,
  { timeoutMs = 60_000, edit }: PrismOptions = {},
): Promise<Prism> {
  const dir = edit ? mkdtempSync(path.join(tmpdir(), 'affix-prism-')) : null;
  let served = specPath;
  if (dir && edit) {
    served = path.join(dir, path.basename(specPath));
    writeFileSync(served, edit(readFileSync(specPath, 'utf8')));
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [prismBin(), 'mock', served, '-p', String(port), '-h', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Prism did not start within ${timeoutMs / 1000} s: ${output.slice(-1_000)}`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-8_000);
        if (output.includes('Prism is listening')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Prism exited with ${code}: ${output.slice(-1_000)}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** `startPrism` for a `beforeAll`: the running Prism, or why it did not start (for `skipOrFailInCi`). */
export async function tryStartPrism(
  specPath: string,
  options: PrismOptions = {},
): Promise<{ prism: Prism; why: null } | { prism: null; why: string }> {
  try {
    return { prism: await startPrism(specPath, options), why: null };
  } catch (err) {
    return { prism: null, why: err instanceof Error ? err.message : String(err) };
  }
}
