/** What the Remote tests share beyond src/testing (not used by production code): a context and unpaced options. */
import { providerContext } from '../../testing/provider-context.js';
import type { ProviderContext } from '../types.js';
import type { RemoteClientOptions } from './client.js';

export function contextFor(baseUrl: string, apiToken: string): ProviderContext {
  return providerContext({ connectionId: 'con_test_remote', credentials: { api_token: apiToken }, baseUrl });
}

/** For tests whose subject is not pacing: no client limit (the emulator's window is off by default). */
export const UNPACED: RemoteClientOptions = { rateLimit: { requests: 10_000, perMs: 1_000 }, concurrency: 8 };
