/**
 * Everything a running node needs, built once from the config. Routes get this object; nothing reaches for
 * globals.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ClusterBus, localTransport, postgresTransport, redisTransport } from './cluster/bus.js';
import { ChangeFeed, ChangeWatch } from './cluster/change-feed.js';
import { applyClusterEvent } from './cluster/events.js';
import type { Config } from './config.js';
import { ID_PREFIXES } from './ids.js';
import { NodeMetrics } from './http/metrics.js';
import { type RateLimitStats, createRateLimitStats } from './http/rate-limits.js';
import { type AbuseLimiters, createAbuseLimiters } from './oauth/abuse-limiter.js';
import { AccessTokens } from './oauth/access-tokens.js';
import { KeyStore } from './oauth/keys.js';
import { createLogger } from './logging/logger.js';
import { ProviderRegistry, providers } from './providers/registry.js';
import { BrowserPool } from './providers/session/browser-pool.js';
import { WebSessionRegistry } from './providers/session/web-session.js';
import { KeptCompanyMemo } from './providers/sandbox/company-memo.js';
import { CompanyGenerator } from './providers/sandbox/generator-pool.js';
import { type Store, openStore } from './store/db.js';
import { ConnectionCache } from './sync/connections.js';
import { FetchJobs } from './sync/fetch-jobs.js';
import { KeyedMutex } from './sync/keyed-mutex.js';
import { ResponseCache } from './sync/response-cache.js';
import { type Keyring, Vault, openKeyring } from './vault/index.js';

export interface Services {
  config: Config;
  store: Store;
  keys: KeyStore;
  tokens: AccessTokens;
  cache: ResponseCache;
  jobs: FetchJobs;
  providers: ProviderRegistry;
  vault: Vault;
  keyring: Keyring;
  /** Failure counters of this node (client authentication, connect-page credentials). */
  limiters: AbuseLimiters;
  /** This node's short-lived copies of connection rows. */
  connectionCache: ConnectionCache;
  /** The shared Redis (REDIS_URL), when there is one: rate-limit counters and the cluster bus. */
  redis?: Redis;
  /**
   * Announces disconnects, revocations and signing-key changes to every node (src/cluster/bus.ts): Redis pub/sub,
   * else PostgreSQL LISTEN/NOTIFY, else nothing leaves the process (SQLite). Serving and worker processes listen.
   */
  bus: ClusterBus;
  /**
   * Twice a second, what was revoked or disconnected lately (src/cluster/change-feed.ts): drops the copies it makes
   * wrong and, while current, keeps cached token statuses and connection rows valid. Serving and worker processes
   * start it (src/cli/lifecycle.ts).
   */
  changes: ChangeFeed;
  rateLimitStats: RateLimitStats;
  /** This node's queue per connection-state key, so its own concurrent updates of one key never collide. */
  stateLocks: KeyedMutex;
  /** This node's Prometheus registry and counters (GET /metrics). */
  metrics: NodeMetrics;
  /** This node's Chromium for web logins that need JavaScript (xhr mode); launched on first use. */
  browsers: BrowserPool;
  /** This node's xhr web sessions: its re-logins in flight and the session generations it saw. */
  webSessions: WebSessionRegistry;
  /** This node's sandbox companies opened last, unpacked (bounded by bytes: src/providers/sandbox/kept-company.ts). */
  keptCompanies: KeptCompanyMemo;
  /** The sandbox's generator thread (src/providers/sandbox/generator-pool.ts): started on demand, ended when idle. */
  sandboxGenerator: CompanyGenerator;
  /** The process logger (pino): provider warnings go here, with their connection id (ProviderContext.log). */
  logger: Logger;
  /**
   * Called once when an xhr connection's provider session ended and only its user can sign in again (see
   * src/sync/reauthentication.ts), after its `connection.reauthentication_required` webhook is queued: an observer
   * for embedders and tests.
   */
  onReauthenticationRequired?: (connection: {
    id: string;
    clientId: string;
    provider: string;
  }) => Promise<void>;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  providers?: ProviderRegistry;
  /** The process logger (database connection errors go here); default: a new one at LOG_LEVEL. */
  logger?: Logger;
}

/** The database of `config` with its timeouts; connection errors the pool recovers from are logged as warnings. */
export function openConfiguredStore(config: Config, logger: Logger = createLogger(config)): Promise<Store> {
  return openStore(config.DATABASE_URL, {
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    onConnectionError: (err) =>
      logger.warn({ err }, 'database connection lost; the pool reconnects on demand'),
  });
}

/**
 * Which unwrapped data keys the node's change feed vouches for (src/vault/data-key-cache.ts `vouched`): a
 * connection's, while the feed is current. A connection's key is shredded only by its disconnect
 * (src/sync/wipe-connection.ts), which the feed applies within about a second on every node, dropping the key
 * (src/cluster/events.ts); clients' and signing keys' shreds are not in the feed, so theirs live 60 s from load.
 */
export function feedVouchesForKey(watch: ChangeWatch): (ownerId: string) => boolean {
  return (ownerId) => ownerId.startsWith(ID_PREFIXES.connection) && watch.current();
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const logger = overrides.logger ?? createLogger(config);
  const db = overrides.store ?? (await openConfiguredStore(config, logger));
  await db.migrate();
  const keyring = await openKeyring(
    config.VAULT_KEYRING === 'aws-kms'
      ? {
          kind: 'aws-kms',
          keyId: config.KMS_KEY_ID as string,
          region: config.AWS_REGION,
          ...(config.KMS_ENDPOINT ? { endpoint: config.KMS_ENDPOINT } : {}),
        }
      : { kind: 'local', dataDir: config.DATA_DIR, env: config.AFFIX_ENV },
  );
  const watch = new ChangeWatch();
  const vault = new Vault(keyring, db.dataKeys, { cache: { vouched: feedVouchesForKey(watch) } });
  const keys = new KeyStore(db, vault);
  await keys.init();
  const tokens = new AccessTokens(db, keys, config, undefined, watch);
  const cache = new ResponseCache(db, config.cacheTtlMs, vault, { maxMemoryBytes: config.CACHE_MEMORY });
  const metrics = new NodeMetrics();
  const jobs = new FetchJobs(cache, config.cacheWaitMs, metrics, config.REFRESH_BROTLI_QUALITY);
  const rateLimitStats = createRateLimitStats();
  metrics.watch(jobs, rateLimitStats);
  const redis = config.REDIS_URL ? await openRedis(config.REDIS_URL) : undefined;
  const browsers = new BrowserPool({
    executablePath: config.BROWSER_EXECUTABLE,
    maxPages: config.BROWSER_MAX_PAGES,
    maxMemoryMb: config.BROWSER_MAX_MEMORY_MB,
  });
  const bus = new ClusterBus(
    redis && config.REDIS_URL
      ? redisTransport(redis, config.REDIS_URL, config.REDIS_KEY_PREFIX)
      : db.notifications
        ? postgresTransport(db.notifications)
        : localTransport(),
    logger,
    metrics,
  );
  const connectionCache = new ConnectionCache(undefined, watch);
  const sandboxGenerator = new CompanyGenerator();
  const changes = new ChangeFeed(
    db,
    {
      tokens,
      connectionCache,
      dataKeys: vault,
      // `services` exists by the first poll (the feed starts with the node, src/cli/lifecycle.ts).
      disconnected: (connectionId) => applyClusterEvent(services, { kind: 'disconnect', connectionId }),
    },
    watch,
    logger,
  );
  const services: Services = {
    config,
    store: db,
    keys,
    tokens,
    cache,
    jobs,
    providers:
      overrides.providers ??
      new ProviderRegistry(config.sandboxEnabled ? providers : providers.filter((p) => p.id !== 'sandbox')),
    vault,
    keyring,
    limiters: createAbuseLimiters(),
    connectionCache,
    stateLocks: new KeyedMutex(),
    ...(redis ? { redis } : {}),
    rateLimitStats,
    metrics,
    bus,
    changes,
    browsers,
    webSessions: new WebSessionRegistry(),
    keptCompanies: new KeptCompanyMemo(),
    sandboxGenerator,
    logger,
    close: async () => {
      changes.stop();
      await sandboxGenerator.close();
      await browsers.close();
      await bus.close();
      redis?.disconnect();
      await db.close();
    },
  };
  bus.onEvent((event) => applyClusterEvent(services, event));

  return services;
}

/**
 * A Redis connection that never queues: while Redis is down a command fails at once (the rate limiter then lets
 * the request through) instead of holding the request until a reconnect. Reconnects in the background.
 */
async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Connection errors surface on the commands that fail (and are logged there); without a listener ioredis would
  // print every reconnect attempt to stderr.
  redis.on('error', () => {});
  // A node that starts while Redis is down serves (unlimited, logged per outage) rather than refusing to start.
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, 2000);
    redis.once('ready', done);
    redis.once('error', done);
  });
  return redis;
}
