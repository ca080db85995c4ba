/**
 * Disconnect wins over a running fetch. A read whose provider call is still running when
 * `POST /2023-03-01/management/disconnect` returns must leave nothing behind when it finishes: the fetch is
 * aborted, and whatever it (or another node's fetch, which no abort reaches) still tries to write for the
 * connection — a cache row, adapter state, a new data key — is refused by the store in the write's own transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Employee } from '../model/index.js';
import { ProviderRegistry, providers } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { ConnectionGoneError } from '../store/errors.js';
import { rowsIn, rowsOfConnection, testStoreKinds } from '../store/testing.js';
import { blankEmployee, connectionToken, testProvider } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { sealedConnectionState, storeCredentials } from './connections.js';
import { cacheKey } from './response-cache.js';
import { wipeConnection } from './wipe-connection.js';

/** Tables that hold a connection's data; disconnect must leave none of it. */
const DATA_TABLES = ['cache_entries', 'connection_state', 'connection_secrets', 'vault_data_keys'];

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One gated fetch at a time: the test decides when the provider answers. */
const gate = {
  started: deferred<AbortSignal | undefined>(),
  release: deferred<void>(),
  finished: deferred<void>(),
  reset() {
    this.started = deferred();
    this.release = deferred();
    this.finished = deferred();
  },
};

/** Answers only when released, and ignores the abort on purpose: the store must hold even against such an adapter. */
const slowProvider: Provider = testProvider((ctx) => ({
  verify: async () => {},
  employees: async (): Promise<Employee[]> => {
    try {
      gate.started.resolve(ctx.signal);
      await gate.release.promise;
      // A late session refresh, as a web-login adapter does after a long walk.
      await ctx.state.set('session', { cookie: 'sid=late' }).catch(() => {});
      return [blankEmployee({ id: 'emp_late', first_name: 'Late' })];
    } finally {
      gate.finished.resolve();
    }
  },
}));

describe.each(testStoreKinds)('disconnect wins over a running fetch on $name', (kind) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({
      store: kind.name,
      env: { CACHE_WAIT: '100ms' },
      providers: new ProviderRegistry([...providers, slowProvider]),
    });
  });
  afterAll(() => node?.close());

  const connect = () =>
    connectionToken(node.services, {
      provider: 'humaans',
      mode: 'xhr',
      credentials: { username: 'u', password: 'p' },
      scopes: ['/2023-03-01/xhr/employees'],
    });

  async function expectNothingLeft(connectionId: string): Promise<void> {
    const counts = await rowsOfConnection(node.services.store, connectionId);
    for (const table of DATA_TABLES) expect(counts[table], table).toBe(0);
    // Kept for the audit trail, as disconnect documents: the connection row (marked) and its tokens (revoked).
    const [connection] = await rowsIn(node.services.store, 'connections', { id: connectionId });
    expect(connection?.status).toBe('disconnected');
    const tokens = await rowsIn(node.services.store, 'tokens', { connection_id: connectionId });
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) expect(t.revoked_at).not.toBeNull();
  }

  it('a fetch running when disconnect returned writes no cache row, state or new data key when it finishes', async () => {
    gate.reset();
    const { token, connectionId } = await connect();
    const auth = { authorization: `Bearer ${token}` };
    const read = await node.app.inject({ method: 'GET', url: '/2023-03-01/xhr/employees', headers: auth });
    expect(read.statusCode).toBe(202);
    const signal = await gate.started.promise;

    const disconnect = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/disconnect',
      headers: auth,
    });
    expect(disconnect.statusCode).toBe(200);
    const afterDisconnect = await rowsOfConnection(node.services.store, connectionId);

    gate.release.resolve();
    await gate.finished.promise;
    // Long enough for a result that slipped through to be sealed and written.
    await new Promise((r) => setTimeout(r, 300));

    await expectNothingLeft(connectionId);
    const now = await rowsOfConnection(node.services.store, connectionId);
    // Request-log lines are the audit of requests answered before the disconnect, flushed in batches.
    const { request_logs: _logsNow, ...rest } = now;
    const { request_logs: _logsThen, ...restThen } = afterDisconnect;
    expect(rest).toEqual(restThen);
    // The provider call was told to stop (this one ignored it).
    expect(signal?.aborted).toBe(true);
    const retry = await node.app.inject({ method: 'GET', url: '/2023-03-01/xhr/employees', headers: auth });
    expect([401, 403]).toContain(retry.statusCode);
  });

  it('writes that no abort reached (another node) are refused once disconnected, racing or late', async () => {
    const { connectionId } = await connect();
    const { services } = node;
    const key = (i: number) => cacheKey(connectionId, 'employees', { page: i });
    // Writers racing the disconnect: each lands before it (and is deleted by it) or is refused, never after it.
    const racing = Array.from({ length: 20 }, (_, i) =>
      services.cache.put(key(i), connectionId, 'employees', [{ i }]).catch((err: unknown) => err),
    );
    await wipeConnection(services, connectionId);
    for (const outcome of await Promise.all(racing)) {
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ConnectionGoneError);
    }
    // Late writers of every kind.
    await expect(services.cache.put(key(99), connectionId, 'employees', [])).rejects.toThrow(
      ConnectionGoneError,
    );
    await expect(sealedConnectionState(services, connectionId).set('k', 1)).rejects.toThrow(
      ConnectionGoneError,
    );
    await expect(
      sealedConnectionState(services, connectionId).update<number>('k', (n = 0) => n + 1),
    ).rejects.toThrow(ConnectionGoneError);
    await expect(storeCredentials(services, connectionId, { password: 'x' })).rejects.toThrow(
      ConnectionGoneError,
    );
    await expect(services.vault.seal(connectionId, 'cache', 'x')).rejects.toThrow(ConnectionGoneError);
    await expectNothingLeft(connectionId);
  });
});
