/**
 * Opens the database named by DATABASE_URL: SQLite (better-sqlite3, WAL, secure_delete) by default, PostgreSQL
 * (pg) for `postgres://`. Everything above src/store sees only the repositories on the returned `Store`
 * (`store.connections.find(id)`); every query and every dialect difference lives in this folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type PostgresPoolClient,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
  sql,
} from 'kysely';
import { Logger as JobEngineLogger, runMigrations as runJobEngineMigrations } from 'graphile-worker';
import pg from 'pg';
import { AuthorizationCodesRepository } from './authorization-codes.js';
import { CacheRepository } from './cache.js';
import { ClientSecretsRepository } from './client-secrets.js';
import { ClientsRepository } from './clients.js';
import { ConnectSessionsRepository } from './connect-sessions.js';
import { ConnectionSecretsRepository } from './connection-secrets.js';
import { ConnectionStateRepository } from './connection-state.js';
import { ConnectionsRepository } from './connections.js';
import { DataKeysRepository } from './data-keys.js';
import { JobsRepository } from './jobs.js';
import { AdvisoryLocks } from './locks.js';
import { migrateToLatest } from './migrations.js';
import { PgNotifications } from './notifications.js';
import { RequestLogsRepository } from './request-logs.js';
import type { Database } from './schema.js';
import { SigningKeysRepository } from './signing-keys.js';
import { TokensRepository } from './tokens.js';
import { WebhookEndpointsRepository, WebhookEventsRepository, WebhookSecretsRepository } from './webhooks.js';
import { WebhookPollSlotsRepository } from './webhook-poll-slots.js';
import { WebhookSnapshotsRepository } from './webhook-snapshots.js';

export type Dialect = 'sqlite' | 'postgres';

/** One repository per table (connection state and secrets each have their own). */
export interface Repositories {
  authorizationCodes: AuthorizationCodesRepository;
  cache: CacheRepository;
  clients: ClientsRepository;
  clientSecrets: ClientSecretsRepository;
  connections: ConnectionsRepository;
  connectionSecrets: ConnectionSecretsRepository;
  connectionState: ConnectionStateRepository;
  connectSessions: ConnectSessionsRepository;
  /** The vault's `DataKeyStore`. */
  dataKeys: DataKeysRepository;
  requestLogs: RequestLogsRepository;
  signingKeys: SigningKeysRepository;
  tokens: TokensRepository;
  webhookSnapshots: WebhookSnapshotsRepository;
  webhookPollSlots: WebhookPollSlotsRepository;
  /** The job queue (src/jobs/queue/): graphile-worker on PostgreSQL, the `embedded_jobs` table on SQLite. */
  jobs: JobsRepository;
  webhookEvents: WebhookEventsRepository;
  webhookEndpoints: WebhookEndpointsRepository;
  webhookSecrets: WebhookSecretsRepository;
}

/**
 * The repositories of one database transaction (`Store.transaction`): every write through them commits or rolls
 * back together, jobs enqueued through `jobs` included.
 */
export interface StoreTransaction extends Repositories {
  readonly dialect: Dialect;
}

export interface Store extends Repositories {
  /** For the repositories and src/store/testing.ts only; src/store/sql-confinement.test.ts holds everyone else. */
  readonly db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite file path (for the canary test and backups); null for PostgreSQL and :memory:. */
  file: string | null;
  migrate(): Promise<string[]>;
  /**
   * Runs `fn` in one transaction and commits when it resolves (rolls back when it throws). Calls that need their own
   * transaction (the connection guard) join this one. On SQLite the process has one connection: inside `fn`, use
   * only `tx`, never the store itself, which would wait for this transaction to end.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** PostgreSQL: the pool the job engine (graphile-worker) shares; null on SQLite. */
  readonly pgPool: pg.Pool | null;
  /**
   * Whether the database answers `select 1` within `timeoutMs` (default 1.5 s). Never throws and never waits
   * longer: a database that hangs reads as down. Concurrent calls share one probe, so a stalled database never
   * collects a pile of them.
   */
  ping(timeoutMs?: number): Promise<boolean>;
  /**
   * After deleting secrets: makes sure no older image of the deleted rows stays in a file this process controls.
   * SQLite's `secure_delete` zeroes freed space in the pages it writes, but the WAL keeps older page images until
   * it is checkpointed; TRUNCATE folds them into the main file and cuts the WAL to zero bytes. PostgreSQL's WAL
   * belongs to the server, so nothing is done there.
   */
  checkpoint(): Promise<void>;
  /** PostgreSQL: LISTEN/NOTIFY on this schema's channel (the cluster's fan-out without Redis). */
  notifications?: PgNotifications;
  /** Cluster-wide locks by name (PostgreSQL advisory locks; on SQLite the task just runs). */
  locks: AdvisoryLocks;
  close(): Promise<void>;
}

/** `pool`: PostgreSQL outside a transaction (a repository may run a named statement on it). */
function repositories(db: Kysely<Database>, dialect: Dialect, pool?: pg.Pool): Repositories {
  return {
    authorizationCodes: new AuthorizationCodesRepository(db),
    cache: new CacheRepository(db, dialect, pool),
    clients: new ClientsRepository(db),
    clientSecrets: new ClientSecretsRepository(db),
    connections: new ConnectionsRepository(db),
    connectionSecrets: new ConnectionSecretsRepository(db, dialect),
    connectionState: new ConnectionStateRepository(db, dialect),
    connectSessions: new ConnectSessionsRepository(db),
    dataKeys: new DataKeysRepository(db, dialect),
    requestLogs: new RequestLogsRepository(db, dialect),
    signingKeys: new SigningKeysRepository(db),
    tokens: new TokensRepository(db),
    jobs: new JobsRepository(db, dialect),
    webhookEvents: new WebhookEventsRepository(db),
    webhookEndpoints: new WebhookEndpointsRepository(db),
    webhookSecrets: new WebhookSecretsRepository(db),
    webhookSnapshots: new WebhookSnapshotsRepository(db, dialect),
    webhookPollSlots: new WebhookPollSlotsRepository(db),
  };
}

function transactionOf(db: Kysely<Database>, dialect: Dialect) {
  return <T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> =>
    db.transaction().execute((trx) => fn(transactionRepositories(trx, dialect)));
}

/**
 * The repositories over a Kysely transaction a repository opened itself (the snapshot write's `beside`), so code
 * written against `StoreTransaction` (the outbox) writes inside it.
 */
export function transactionRepositories(trx: Transaction<Database>, dialect: Dialect): StoreTransaction {
  return { ...repositories(trx, dialect), dialect };
}

// 64-bit integers (our epoch-ms timestamps) come back from pg as strings unless told otherwise.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenStoreOptions {
  /** PostgreSQL only: use (and create) this schema, so parallel tests never share tables. */
  pgSchema?: string;
  /** PostgreSQL: longest wait for a connection, new or from the pool (DATABASE_CONNECT_TIMEOUT). Default 5 s. */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: longest a statement may run (DATABASE_STATEMENT_TIMEOUT; the server cancels it), and, one second
   * later, longest the client waits for any answer (a server that stopped answering). Default 10 s.
   */
  statementTimeoutMs?: number;
  /**
   * Told about connection failures the pool recovers from by itself (a backend terminated by a restart, failover
   * or idle cull; a cut network). Without it they go to stderr. They never end the process.
   */
  onConnectionError?: (err: Error) => void;
}

/** Used by `ping()` when no timeout is given: /readyz must answer within 2 s. */
const PING_TIMEOUT_MS = 1500;

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  return openSqlite(url);
}

function sqlitePath(url: string): string {
  if (url === ':memory:') return url;
  const p = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  return p || ':memory:';
}

/** Prepared statements kept per SQL text (the most recent ones; queries with IN lists vary). */
const KEPT_STATEMENTS = 512;

/**
 * better-sqlite3 keeping its prepared statements by SQL text: Kysely prepares every query anew, and SQLite's parsing
 * and planning of it cost more than a point read itself (the warm read path runs a few queries per request). A
 * statement still iterating (a streamed query) is not handed out again: that call gets a new one. Each statement
 * takes its parameters as arguments (`spreading`).
 */
function keptStatements(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, { statement: SQLite.Statement; spread: SqliteStatement }>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const kept = statements.get(sql);
      if (kept && !kept.statement.busy) return kept.spread;
      const statement = database.prepare(sql);
      const spread = spreading(statement);
      if (!kept) {
        if (statements.size >= KEPT_STATEMENTS) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
        statements.set(sql, { statement, spread });
      }
      return spread;
    },
  };
}

/** Parameters handed as arguments at most: V8 puts arguments on the stack. */
const MAX_SPREAD = 2_000;

/**
 * A statement given Kysely's parameter array as arguments: better-sqlite3 binds an array's elements the same way,
 * but reads each through V8's generic element access (~420 instructions a parameter; a request-log batch binds 9 a
 * row: docs/benchmarks.md, "P4, fifth pass"). Only when no parameter is an object other than a byte array: a plain
 * object argument means named parameters to better-sqlite3, and an array argument is spread.
 */
function spreading(statement: SQLite.Statement): SqliteStatement {
  return {
    get reader() {
      return statement.reader;
    },
    all: (parameters) => (asArguments(parameters) ? statement.all(...parameters) : statement.all(parameters)),
    run: (parameters) => (asArguments(parameters) ? statement.run(...parameters) : statement.run(parameters)),
    iterate: (parameters) =>
      asArguments(parameters) ? statement.iterate(...parameters) : statement.iterate(parameters),
  };
}

function asArguments(parameters: readonly unknown[]): boolean {
  if (parameters.length > MAX_SPREAD) return false;
  for (let i = 0; i < parameters.length; i++) {
    const p = parameters[i];
    if (typeof p === 'object' && p !== null && !ArrayBuffer.isView(p)) return false;
  }
  return true;
}

function openSqlite(url: string): Store {
  const file = sqlitePath(url);
  if (file !== ':memory:') {
    // Only we read our files: a directory we create is 0700, the database 0600 (SQLite gives its -wal and -shm
    // files the main file's mode, so creating it 0600 first covers them too).
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    fs.chmodSync(file, 0o600);
  }
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // Freed pages are overwritten with zeros, so deleted secrets do not linger in the file (crypto-shredding backup).
  database.pragma('secure_delete = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: keptStatements(database) }) });
  return {
    ...repositories(db, 'sqlite'),
    locks: new AdvisoryLocks(db, 'sqlite'),
    db,
    dialect: 'sqlite',
    file: file === ':memory:' ? null : path.resolve(file),
    migrate: () => migrateToLatest(db, 'sqlite'),
    transaction: transactionOf(db, 'sqlite'),
    pgPool: null,
    ping: probe(() => sql`select 1`.execute(db)),
    checkpoint: async () => {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('invalid schema name');
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  if (schema) {
    const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Operators find (and may terminate) our backends by this name; a URL's own application_name wins.
    fallback_application_name: 'affix',
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    // The server cancels a slow statement itself; this catches a server (or network) that stopped answering.
    query_timeout: statementTimeoutMs + 1_000,
    keepAlive: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const report =
    options.onConnectionError ??
    ((err: Error) => process.stderr.write(`affix: database connection error (recovering): ${err.message}\n`));
  // An idle client whose backend went away (pg_terminate_backend, a restart, a cut network) makes the pool emit
  // 'error'; unheard, that event would end the process. The pool drops the client and opens a new one on demand.
  pool.on('error', (err) => report(err));
  // A checked-out client can fail between two queries too (inside a transaction, while the caller awaits
  // something else): its next query fails and tells the caller, so this listener only keeps it from being fatal
  // (the pool's own listener, which reports, is attached only while the client is idle).
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingHungClients(pool) }) });
  return {
    ...repositories(db, 'postgres', pool),
    locks: new AdvisoryLocks(db, 'postgres'),
    db,
    dialect: 'postgres',
    file: null,
    migrate: async () => {
      const applied = await migrateToLatest(db, 'postgres');
      // graphile-worker's own tables and functions, in our schema (the first of the search path), so `add_job` is
      // found without a schema name and a test schema's drop takes them along.
      const repo = new JobsRepository(db, 'postgres');
      await runJobEngineMigrations({
        pgPool: pool,
        schema: await repo.pgSchema(),
        logger: new JobEngineLogger(() => () => {}),
      });
      return applied;
    },
    transaction: transactionOf(db, 'postgres'),
    pgPool: pool,
    ping: probe(() => sql`select 1`.execute(db)),
    checkpoint: async () => {},
    notifications: new PgNotifications(db, url, schema),
    close: () => db.destroy(),
  };
}

/**
 * The pool as Kysely sees it, except that a client whose query timed out on the client side (no answer within
 * `query_timeout`: the server or the network hangs) is destroyed when released instead of going back to the pool,
 * where every later query would queue behind the one still waiting for its answer.
 */
function discardingHungClients(pool: pg.Pool): PostgresPool {
  const hung = new WeakSet<pg.PoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    // Only the (sql, parameters) form: the dialect is configured without cursors, so Kysely never passes one.
    query: ((sqlText: string, parameters: ReadonlyArray<unknown>) =>
      client.query(sqlText, [...parameters]).catch((err: unknown) => {
        if (err instanceof Error && err.message === 'Query read timeout') hung.add(client);
        throw err;
      })) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy === true || hung.has(client)),
  });
  return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
}

/** `Store.ping`: one probe at a time, each caller waiting at most its own timeout. */
function probe(run: () => Promise<unknown>): (timeoutMs?: number) => Promise<boolean> {
  let inFlight: Promise<boolean> | undefined;
  return (timeoutMs = PING_TIMEOUT_MS) => {
    if (!inFlight) {
      const current = run().then(
        () => true,
        () => false,
      );
      inFlight = current;
      void current.finally(() => {
        if (inFlight === current) inFlight = undefined;
      });
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    return Promise.race([inFlight, late]).finally(() => clearTimeout(timer));
  };
}
