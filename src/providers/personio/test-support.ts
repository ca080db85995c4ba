/** What the Personio tests share beyond src/testing (not used by production code): a context for an emulator. */
import { memoryState, providerContext } from '../../testing/provider-context.js';
import type { ConnectionState, ProviderContext } from '../types.js';

export function contextFor(
  baseUrl: string,
  credentials: { client_id: string; client_secret: string },
  state: ConnectionState = memoryState(),
): ProviderContext {
  return providerContext({ connectionId: 'con_test_personio', baseUrl, credentials, state });
}
