/**
 * Helpers shared by the Factorial tests, kept in one file so they can move to the shared provider-test helpers when
 * those land: a ProviderContext for an emulator, an in-memory connection state, and the contract check (the Affix
 * OpenAPI's own schemas, through src/testing/affix-spec.ts).
 */
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import type { FactorialEmulator } from './emulator/server.js';

export function memoryState(): ConnectionState & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get<T>(key: string) {
      return data.get(key) as T | undefined;
    },
    async set(key: string, value: unknown) {
      data.set(key, value);
    },
  };
}

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
