/**
 * What the HiBob tests share beyond src/testing (not used by production code): a context for one test connection
 * and options that skip the real pacing.
 */
import { providerContext as sharedContext } from '../../testing/provider-context.js';
import type { ProviderContext } from '../types.js';
import type { HibobAdapterOptions } from './adapter.js';

/** A context for one test connection: official mode, plain http to loopback, fresh state. */
export function providerContext(
  context: Partial<ProviderContext> & Pick<ProviderContext, 'credentials'>,
): ProviderContext {
  return sharedContext({ connectionId: 'con_test_hibob', ...context });
}

/** For tests whose subject is not pacing: an emulator started with `ratePerMinute: 0` and no client limit. */
export const UNPACED: HibobAdapterOptions = {
  rateLimit: { requests: 100_000, perMs: 60_000 },
  concurrency: 8,
};
