/**
 * What the xhr providers' adapter tests share: a provider context for a web-app emulator (its URL and login, a
 * fresh connection id, memory state, plain http allowed) that counts the reauthentication hook's calls, and the
 * outcome of a call as the contract code it failed with (`'ok'` when it did not). Not imported by production code.
 */
import { ProviderError } from '../providers/errors.js';
import type { ConnectionState, ProviderContext } from '../providers/types.js';
import { memoryConnectionState } from './memory-state.js';

export interface WebLoginTester {
  /** Calls of `reauthenticationRequired` so far (a test may reset it). */
  hooks: number;
  ctx(
    credentials: Record<string, string>,
    state?: ConnectionState,
    extra?: Partial<ProviderContext>,
  ): ProviderContext;
  /** `'ok'`, or the ProviderError's contract code (its kind when it has none); other errors are rethrown. */
  code(call: Promise<unknown>): Promise<string>;
}

export function webLoginTester(emulator: () => { url: string; username: string }): WebLoginTester {
  const tester: WebLoginTester = {
    hooks: 0,
    ctx: (credentials, state = memoryConnectionState(), extra = {}) => ({
      connectionId: `con_web_${Math.random().toString(36).slice(2)}`,
      mode: 'xhr',
      credentials: { username: emulator().username, ...credentials },
      settings: {},
      state,
      requireTls: false,
      baseUrl: emulator().url,
      reauthenticationRequired: async () => {
        tester.hooks++;
      },
      ...extra,
    }),
    code: (call) =>
      call.then(
        () => 'ok',
        (err: unknown) => {
          if (err instanceof ProviderError) return err.options.code ?? err.kind;
          throw err;
        },
      ),
  };
  return tester;
}
