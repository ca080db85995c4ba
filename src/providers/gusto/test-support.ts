/**
 * Helpers shared by the Gusto tests (not imported by production code): a ProviderContext for an emulator with an
 * in-memory connection state, options that skip the real pacing, and the contract check of unified output (the
 * contract's own schemas, `multipleOf` included, through src/testing/affix-spec.ts).
 */
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import type { GustoClientOptions } from './client.js';
import type { GustoCredentials } from './emulator/server.js';

export function memoryState(): ConnectionState & { data: Map<string, unknown>; writes: number } {
  const data = new Map<string, unknown>();
  const state = {
    data,
    writes: 0,
    async get<T>(key: string) {
      // A copy, as the platform's sealed store hands out: a caller cannot change what is stored.
      return structuredClone(data.get(key)) as T | undefined;
    },
    async set(key: string, value: unknown) {
      state.writes++;
      data.set(key, structuredClone(value));
    },
  };
  return state;
}

export function contextFor(
  baseUrl: string,
  credentials: Partial<GustoCredentials> & { company_uuid?: string },
  state: ConnectionState = memoryState(),
): ProviderContext {
  return {
    connectionId: 'con_test_gusto',
    mode: 'official',
    credentials: Object.fromEntries(Object.entries(credentials).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >,
    settings: {},
    baseUrl,
    state,
    requireTls: false,
  };
}

/** For tests whose subject is not pacing: no client-side limit worth the name. */
export const UNPACED: GustoClientOptions = { rateLimit: { requests: 100_000, perMs: 1_000 }, concurrency: 8 };

/** Throws unless `body` is what the contract says `GET /2023-03-01/official{path}` answers. */
export function assertContract(path: string, body: unknown): void {
  assertValid(dataSchemaName('official', path, 'get', '200'), body);
}
