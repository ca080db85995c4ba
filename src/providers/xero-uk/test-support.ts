/**
 * What the Xero tests share beyond src/testing (not used by production code): contexts for one test connection and
 * for the emulator with its own grant, the emulator's clock, and options that skip pacing and limits.
 */
import { providerContext as sharedContext } from '../../testing/provider-context.js';
import type { ProviderContext } from '../types.js';
import type { XeroAdapterOptions } from './adapter.js';
import { EMULATOR_TODAY } from './emulator/data.js';
import type { XeroEmulator } from './emulator/server.js';

/** A context for one test connection: official mode, plain http allowed, fresh state unless given. */
export function providerContext(
  context: Partial<ProviderContext> & Pick<ProviderContext, 'credentials'>,
): ProviderContext {
  return sharedContext({ connectionId: 'con_test_xero', ...context });
}

/**
 * A context for the emulator with its own grant (a fresh refresh token), so tests sharing one emulator never spend
 * each other's refresh tokens.
 */
export function emulatorContext(emu: XeroEmulator, extra: Partial<ProviderContext> = {}): ProviderContext {
  return providerContext({
    baseUrl: emu.baseUrl,
    credentials: { ...emu.credentials, refresh_token: emu.issueRefreshToken() },
    ...extra,
  });
}

/** The emulator's fixed "today", as the adapter's clock. */
export const EMULATOR_NOW = () => Date.parse(`${EMULATOR_TODAY}T12:00:00Z`);

/**
 * For tests whose subject is not pacing: an emulator with its limits off (`UNLIMITED`) and no client pacing, a short
 * read timeout, and the emulator's clock; warnings collected instead of printed.
 */
export const UNPACED: XeroAdapterOptions = {
  rateLimit: { requests: 100_000, perMs: 1_000 },
  concurrency: 5,
  now: EMULATOR_NOW,
  warn: () => {},
};
export const UNLIMITED = { perMinute: 0, perDay: 0, concurrent: 0 } as const;
