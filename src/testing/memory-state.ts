/**
 * The platform's per-connection state as a provider adapter sees it (`ProviderContext.state`), kept in a Map for
 * provider tests that run without a node. Values are copied through JSON as the real, stored state would be.
 * Not imported by production code (the real one is `sealedConnectionState` in src/sync/connections.ts).
 */
import type { ConnectionState } from '../providers/types.js';

export function memoryConnectionState(
  data = new Map<string, unknown>(),
): ConnectionState & { data: Map<string, unknown> } {
  const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
  // Updates run one after another, as the stored state's do.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    data,
    async get<T>(key: string) {
      return copy(data.get(key) as T | undefined);
    },
    async set(key: string, value: unknown) {
      data.set(key, copy(value));
    },
    update<T>(key: string, fn: (current: T | undefined) => T | Promise<T>): Promise<T> {
      const run = queue.then(async () => {
        const next = await fn(copy(data.get(key) as T | undefined));
        data.set(key, copy(next));
        return next;
      });
      queue = run.catch(() => {});
      return run;
    },
  };
}
