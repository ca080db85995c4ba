/** What the Deel tests share beyond src/testing (not used by production code): a context and unpaced options. */
import { providerContext } from '../../testing/provider-context.js';
import type { ProviderContext } from '../types.js';
import type { DeelClientOptions } from './client.js';

export function contextFor(baseUrl: string, apiToken: string): ProviderContext {
  return providerContext({ connectionId: 'con_test_deel', credentials: { api_token: apiToken }, baseUrl });
}

/** For tests whose subject is not pacing: an emulator started with `rateLimitPerSecond: 0` and no client limit. */
export const UNPACED: DeelClientOptions = { rateLimit: { requests: 10_000, perMs: 1_000 }, concurrency: 8 };
