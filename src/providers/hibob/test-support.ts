/**
 * What the HiBob tests share, in one small file so they can move to the shared helpers in src/testing once those
 * land (a provider-context factory, startPrism): a ProviderContext for an emulator, options that skip the real
 * pacing, and the contract validator over lists.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { freePort } from '../../testing/processes.js';
import { memoryState } from '../personio/testing.js';
import type { ProviderContext } from '../types.js';
import type { HibobAdapterOptions } from './adapter.js';

/** A context for one test connection: official mode, plain http to loopback, fresh state. */
export function providerContext(
  context: Partial<ProviderContext> & Pick<ProviderContext, 'credentials'>,
): ProviderContext {
  return {
    connectionId: 'con_test_hibob',
    mode: 'official',
    settings: {},
    state: memoryState(),
    requireTls: false,
    ...context,
  };
}

/** For tests whose subject is not pacing: an emulator started with `ratePerMinute: 0` and no client limit. */
export const UNPACED: HibobAdapterOptions = {
  rateLimit: { requests: 100_000, perMs: 60_000 },
  concurrency: 8,
};

/** Validates a unified list as the contract's official-mode response for `path` (`/employees` …). */
export function assertContract(path: string, body: unknown): void {
  assertValid(dataSchemaName('official', path, 'get', '200'), JSON.parse(JSON.stringify(body)));
}

export interface Prism {
  /** `http://127.0.0.1:PORT`: Prism routes on the spec's path keys, so this is the adapter's base URL. */
  url: string;
  stop(): Promise<void>;
}

/** `prism mock <specPath>` (this checkout's @stoplight/prism-cli) on a free port, once it says it listens. */
export async function startPrism(specPath: string, timeoutMs = 30_000): Promise<Prism> {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
  const script = typeof bin === 'string' ? bin : bin?.['prism'];
  if (!script) throw new Error(`${manifest} declares no prism bin`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(path.dirname(manifest), script), 'mock', specPath, '-p', String(port), '-h', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Prism did not start: ${output.slice(-1_000)}`)),
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
