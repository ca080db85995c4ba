/**
 * The Xero tests' helpers, in one file so they can move to the shared ones in src/testing (a provider-context factory,
 * startPrism, the unified-schema check) with a change here only. Not used by production code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { failure } from '../../testing/provider-failure.js';
import { freePort } from '../../testing/processes.js';
import { memoryState } from '../personio/testing.js';
import type { ProviderContext } from '../types.js';
import { EMULATOR_TODAY } from './emulator/data.js';
import type { XeroEmulator } from './emulator/server.js';
import type { XeroAdapterOptions } from './adapter.js';

// Shared until src/testing has a provider-context factory of its own.
export { failure, memoryState };

/** A context for one test connection: official mode, plain http allowed, fresh state unless given. */
export function providerContext(
  context: Partial<ProviderContext> & Pick<ProviderContext, 'credentials'>,
): ProviderContext {
  return {
    connectionId: 'con_test_xero',
    mode: 'official',
    settings: {},
    state: memoryState(),
    requireTls: false,
    ...context,
  };
}

/**
 * A context for the emulator with its own grant (a fresh refresh token), so tests sharing one emulator never spend
 * each other's refresh tokens.
 */
export function emulatorContext(emu: XeroEmulator, extra: Partial<ProviderContext> = {}): ProviderContext {
  return providerContext({
    baseUrl: emu.baseUrl,
    credentials: { ...emu.credentials, refresh_token: emu.issueRefreshToken() },
    ...extra,
  });
}

/** The emulator's fixed "today", as the adapter's clock. */
export const EMULATOR_NOW = () => Date.parse(`${EMULATOR_TODAY}T12:00:00Z`);

/**
 * For tests whose subject is not pacing: an emulator with its limits off (`UNLIMITED`) and no client pacing, a short
 * read timeout, and the emulator's clock; warnings collected instead of printed.
 */
export const UNPACED: XeroAdapterOptions = {
  rateLimit: { requests: 100_000, perMs: 1_000 },
  concurrency: 5,
  now: EMULATOR_NOW,
  warn: () => {},
};
export const UNLIMITED = { perMinute: 0, perDay: 0, concurrent: 0 } as const;

/** Fails naming every broken field unless `list` is valid against the contract's schema for `GET path` (official). */
export function expectContractList(specPath: string, list: readonly unknown[]): void {
  expect(() => assertValid(dataSchemaName('official', specPath, 'get', '200'), list)).not.toThrow();
}

/** The Prism CLI script, resolved through this checkout's node_modules. */
function prismBin(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@stoplight/prism-cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
  const script = typeof bin === 'string' ? bin : bin?.['prism'];
  if (!script) throw new Error(`${manifest} declares no prism bin`);
  return path.join(path.dirname(manifest), script);
}

/** `prism mock <spec>` on a free loopback port, resolved once it listens; rejects with Prism's output otherwise. */
export async function startPrism(
  specPath: string,
  timeoutMs = 30_000,
): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [prismBin(), 'mock', specPath, '-p', String(port), '-h', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Prism did not start: ${output.slice(-800)}`)),
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
        reject(new Error(`Prism exited with ${code}: ${output.slice(-800)}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
}
