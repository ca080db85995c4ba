/** What the BambooHR tests share beyond src/testing (not used by production code): a context for an emulator. */
import { providerContext } from '../../testing/provider-context.js';
import type { ProviderContext } from '../types.js';

/** The emulator's company domain and API key, overridden by `credentials`. */
export function contextFor(
  emu: { baseUrl: string; credentials: Record<string, string> },
  credentials: Record<string, string> = {},
): ProviderContext {
  return providerContext({
    connectionId: 'con_test_bamboohr',
    credentials: {
      company_domain: emu.credentials.company_domain ?? '',
      api_key: emu.credentials.api_key ?? '',
      ...credentials,
    },
    baseUrl: emu.baseUrl,
  });
}
