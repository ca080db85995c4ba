/**
 * Resolves a token's connection and builds its provider adapter. Connections are cached briefly in memory (per
 * node, `services.connectionCache`: 5 s, or as long as the node's change feed is current, src/cluster/change-feed.ts);
 * the token check on every request already covers disconnects, and a disconnect on another node drops the row here
 * at once (src/cluster/events.ts) or at the feed's next poll.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import type { ChangeWatch } from '../cluster/change-feed.js';
import { providerBaseUrlVar } from '../config.js';
import type { Mode } from '../model/index.js';
import type { ConnectionState, Provider, ProviderAdapter } from '../providers/types.js';
import type { Services } from '../services.js';
import type { Connection } from '../store/connections.js';
import type { Sealed } from '../vault/index.js';
import { notifyReauthenticationRequired } from './reauthentication.js';
import { saveScreenshot } from './screenshots.js';

const TTL_MS = 5_000;
/**
 * Most connection rows kept per node: least recently used go first, never all at once (a round-robin over more
 * connections than this misses, fewer always hit). About 0.7 KB of RSS each (docs/operations.md "Per-node caches").
 */
export const CONNECTION_CACHE_MAX = 50_000;

/**
 * Connection rows read in the last few seconds, or for as long as the change feed is current (a row changes only when
 * the connection is activated, which does not change what it reads as here, or disconnected, which the feed sees), so
 * a connection read every few seconds reads its row once.
 */
export class ConnectionCache {
  private readonly entries: LRUCache<string, { connection: Connection; at: number }>;

  constructor(
    max = CONNECTION_CACHE_MAX,
    private readonly watch?: ChangeWatch,
  ) {
    this.entries = new LRUCache({ max });
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string, now = Date.now()): Connection | undefined {
    const hit = this.entries.get(id);
    return hit && (now - hit.at < TTL_MS || this.watch?.current(now)) ? hit.connection : undefined;
  }

  set(connection: Connection, now = Date.now()): void {
    this.entries.set(connection.id, { connection, at: now });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

export async function loadConnection(
  services: Pick<Services, 'store' | 'connectionCache'>,
  id: string,
): Promise<Connection | undefined> {
  const hit = services.connectionCache.get(id);
  if (hit) return hit;
  const connection = await services.store.connections.find(id);
  if (connection) services.connectionCache.set(connection);
  return connection;
}

const CREDENTIALS = 'credentials' as const;
/** Enough for several nodes writing one key at once; each retry waits a little longer (with jitter). */
const UPDATE_ATTEMPTS = 50;

/**
 * Seals a connection's provider credentials (the connect form's fields, OAuth tokens…) into `connection_secrets`
 * with the vault: owner = connection id, purpose = credentials. Plaintext never reaches the database.
 */
export async function storeCredentials(
  services: Services,
  connectionId: string,
  credentials: Record<string, string>,
): Promise<void> {
  const sealed = await services.vault.sealJson(connectionId, CREDENTIALS, credentials);
  await services.store.connectionSecrets.put(connectionId, CREDENTIALS, sealed);
}

/**
 * The connection's provider credentials, decrypted; `{}` when it has none (sandbox connections made by
 * `affix sandbox-token`).
 */
export async function loadCredentials(
  services: Services,
  connection: Connection,
): Promise<Record<string, string>> {
  const sealed = await services.store.connectionSecrets.get(connection.id, CREDENTIALS);
  if (!sealed) return {};
  return services.vault.openJson<Record<string, string>>(connection.id, CREDENTIALS, sealed);
}

/** The provider's key in `PROVIDER_<ID>_…` settings. */
function settingsKey(provider: Provider): string {
  return providerBaseUrlVar(provider.id)
    .replace(/^PROVIDER_/, '')
    .replace(/_BASE_URL$/, '');
}

export function baseUrlFor(services: Services, provider: Provider): string | undefined {
  return services.config.providerBaseUrls[settingsKey(provider)] ?? provider.defaultBaseUrl;
}

/** PROVIDER_<ID>_PROXY of the provider, when set. */
export function proxyFor(services: Services, provider: Provider): string | undefined {
  return services.config.providerProxies[settingsKey(provider)];
}

export function adapterFor(
  services: Services,
  provider: Provider,
  connection: Connection,
  credentials: Record<string, string>,
  signal?: AbortSignal,
): ProviderAdapter {
  const baseUrl = baseUrlFor(services, provider);
  const proxyUrl = proxyFor(services, provider);
  return provider.connect({
    connectionId: connection.id,
    mode: connection.mode as Mode,
    credentials,
    settings: connection.settings,
    state: sealedConnectionState(services, connection.id),
    requireTls: services.config.AFFIX_ENV === 'prod',
    readTimeoutMs: services.config.providerReadTimeoutMs,
    metrics: services.metrics.providerSink(provider.id),
    browsers: services.browsers,
    webSessions: services.webSessions,
    keptCompanies: services.keptCompanies,
    sandboxGenerator: services.sandboxGenerator,
    exclusive: (name, task) => services.store.locks.exclusive(`${connection.id}/${name}`, task),
    screenshot: async (png) => {
      await saveScreenshot(services, connection.id, png);
    },
    reauthenticationRequired: () => notifyReauthenticationRequired(services, connection),
    ...(proxyUrl ? { proxyUrl } : {}),
    churn: services.config.SANDBOX_CHURN,
    log: services.logger,
    ...(baseUrl ? { baseUrl } : {}),
    ...(signal ? { signal } : {}),
  });
}

/**
 * Adapter state (refreshed OAuth tokens, web sessions, the sandbox's created employees) sealed under the
 * connection's data key, so disconnect shreds it with everything else. The key is sealed inside the value and
 * checked on open: a row copied under another key of the same connection does not open as that key.
 */
export function sealedConnectionState(services: Services, connectionId: string): ConnectionState {
  const open = async <T>(key: string, sealed: Sealed): Promise<T> => {
    const opened = JSON.parse(await services.vault.openString(connectionId, 'state', sealed)) as {
      key: string;
      value: T;
    };
    if (opened.key !== key) throw new Error(`connection state row for "${key}" holds "${opened.key}"`);
    return opened.value;
  };
  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      const sealed = await services.store.connectionState.get(connectionId, key);
      return sealed ? open<T>(key, sealed) : undefined;
    },
    async set(key: string, value: unknown): Promise<void> {
      const sealed = await services.vault.sealJson(connectionId, 'state', { key, value });
      await services.store.connectionState.put(connectionId, key, sealed);
    },
    // Read, apply, and write back only over the version read; a write from elsewhere in between means read again.
    // The vault (which may read data keys from the store) works outside any transaction: holding one across it
    // would wait on itself on SQLite's single connection and can drain PostgreSQL's pool. This node's own
    // updates of the key queue up first, so only other nodes' writes ever cost a retry.
    update<T>(key: string, fn: (current: T | undefined) => T | Promise<T>): Promise<T> {
      return services.stateLocks.run(`${connectionId}\0${key}`, async () => {
        for (let attempt = 1; ; attempt++) {
          const row = await services.store.connectionState.read(connectionId, key);
          const current = row ? await open<T>(key, row.sealed) : undefined;
          const next = await fn(current);
          const sealed = await services.vault.sealJson(connectionId, 'state', { key, value: next });
          const expected = row?.version ?? null;
          if (await services.store.connectionState.compareAndSet(connectionId, key, expected, sealed))
            return next;
          if (attempt >= UPDATE_ATTEMPTS) {
            throw new Error(`connection state "${key}" kept changing: gave up after ${attempt} attempts`);
          }
          await sleep(Math.random() * 10 * attempt);
        }
      });
    },
  };
}
