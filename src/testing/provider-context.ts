/**
 * The `ProviderContext` a provider test connects an adapter with: official mode, plain http to loopback allowed,
 * a fresh in-memory connection state unless one is given. Not imported by production code.
 */
import type { ProviderContext } from '../providers/types.js';
import { memoryConnectionState } from './memory-state.js';

export { memoryConnectionState as memoryState };

export function providerContext(
  context: Partial<ProviderContext> & Pick<ProviderContext, 'credentials'>,
): ProviderContext {
  return {
    connectionId: 'con_test',
    mode: 'official',
    settings: {},
    state: memoryConnectionState(),
    requireTls: false,
    ...context,
    credentials: { ...context.credentials },
  };
}

/** A `ProviderContext.log` that keeps the warnings it is given (their messages and facts), for tests. */
export function capturedLog(): {
  log: NonNullable<ProviderContext['log']>;
  warnings: string[];
  facts: Array<Record<string, unknown>>;
} {
  const warnings: string[] = [];
  const facts: Array<Record<string, unknown>> = [];
  return {
    warnings,
    facts,
    log: {
      warn(f, message) {
        facts.push(f);
        warnings.push(message);
      },
    },
  };
}
