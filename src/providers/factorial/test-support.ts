/**
 * What the Factorial tests share beyond src/testing (not used by production code): a context for an emulator and
 * the emulator's two kinds of credentials.
 */
import { memoryState, providerContext } from '../../testing/provider-context.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import type { FactorialEmulator } from './emulator/server.js';

export function contextFor(
  baseUrl: string,
  credentials: Record<string, string>,
  state: ConnectionState = memoryState(),
): ProviderContext {
  return providerContext({ connectionId: 'con_test_factorial', baseUrl, credentials, state });
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
