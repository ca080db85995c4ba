/**
 * Helpers shared by the Factorial tests, kept in one file so they can move to the shared provider-test helpers when
 * those land: a ProviderContext for an emulator, an in-memory connection state, the contract check (the Affix
 * OpenAPI's own schemas, through src/testing/affix-spec.ts) and starting Prism.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import { freePort } from '../../testing/processes.js';
// One in-memory connection state for every provider's tests (Personio's; moves with the shared helpers).
import { memoryState } from '../personio/testing.js';
import type { ConnectionState, ProviderContext } from '../types.js';

export { memoryState };
import type { FactorialEmulator } from './emulator/server.js';

export function contextFor(
  baseUrl: string,
  credentials: Record<string, string>,
  state: ConnectionState = memoryState(),
): ProviderContext {
  return {
    connectionId: 'con_test_factorial',
    mode: 'official',
    credentials: { ...credentials },
    settings: {},
    baseUrl,
    state,
    requireTls: false,
  };
}

/** The API-key credentials of an emulator (what most tests connect with). */
export function apiKeyOf(emu: FactorialEmulator): Record<string, string> {
  return { api_key: emu.credentials.api_key };
}

/** The OAuth credentials of an emulator: access token, refresh token and the OAuth application. */
export function oauthOf(emu: FactorialEmulator): Record<string, string> {
  const { access_token, refresh_token, client_id, client_secret } = emu.credentials;
  return { access_token, refresh_token, client_id, client_secret };
}

/** Throws unless `body`, as served (JSON), is what the contract's official `GET <specPath>` returns. */
export function assertContract(specPath: string, body: unknown): void {
  assertValid(dataSchemaName('official', specPath, 'get', '200'), JSON.parse(JSON.stringify(body)));
}

export const PRISM_START_TIMEOUT_MS = 20_000;
const PRISM_BIN = new URL('../../../node_modules/.bin/prism', import.meta.url);

/** `prism mock <spec>` on a free loopback port; the reason as a string when it did not start in time. */
export async function startPrism(spec: string): Promise<{ child: ChildProcess; port: number } | string> {
  const port = await freePort();
  const child = spawn(PRISM_BIN.pathname, ['mock', spec, '-p', String(port), '-h', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), PRISM_START_TIMEOUT_MS);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) done(true);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      output += String(err);
      done(false);
    });
    child.once('exit', (code) => {
      output += `\nexited with ${code}`;
      done(false);
    });
  });
  if (started) return { child, port };
  child.kill('SIGTERM');
  return `Prism did not start within ${PRISM_START_TIMEOUT_MS / 1000} s: ${output.slice(-500)}`;
}
