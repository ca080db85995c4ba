/**
 * What the HiBob tests share, in one small file so they can move to the shared helpers in src/testing once those
 * land (a provider-context factory, startPrism): a ProviderContext for an emulator, options that skip the real
 * pacing, and the contract validator over lists.
 */
import { assertValid, dataSchemaName } from '../../testing/affix-spec.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import type { HibobAdapterOptions } from './adapter.js';

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
