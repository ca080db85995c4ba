/**
 * Opens the database named by DATABASE_URL: SQLite (better-sqlite3, WAL, secure_delete) by default, PostgreSQL
 * (pg) for `postgres://`. Everything above src/store sees only the repositories on the returned `Store`
 * (`store.connections.find(id)`); every query and every dialect difference lives in this folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
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
import { migrateToLatest } from './migrations.js';
import { RequestLogsRepository } from './request-logs.js';
import type { Database } from './schema.js';
import { SigningKeysRepository } from './signing-keys.js';
import { TokensRepository } from './tokens.js';

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
}

export interface Store extends Repositories {
  /** For the repositories and src/store/testing.ts only; src/store/sql-confinement.test.ts holds everyone else. */
  readonly db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite file path (for the canary test and backups); null for PostgreSQL and :memory:. */
  file: string | null;
  migrate(): Promise<string[]>;
  ping(): Promise<boolean>;
  /**
   * After deleting secrets: makes sure no older image of the deleted rows stays in a file this process controls.
   * SQLite's `secure_delete` zeroes freed space in the pages it writes, but the WAL keeps older page images until
   * it is checkpointed; TRUNCATE folds them into the main file and cuts the WAL to zero bytes. PostgreSQL's WAL
   * belongs to the server, so nothing is done there.
   */
  checkpoint(): Promise<void>;
  close(): Promise<void>;
}

function repositories(db: Kysely<Database>): Repositories {
  return {
    authorizationCodes: new AuthorizationCodesRepository(db),
    cache: new CacheRepository(db),
    clients: new ClientsRepository(db),
    clientSecrets: new ClientSecretsRepository(db),
    connections: new ConnectionsRepository(db),
    connectionSecrets: new ConnectionSecretsRepository(db),
    connectionState: new ConnectionStateRepository(db),
    connectSessions: new ConnectSessionsRepository(db),
    dataKeys: new DataKeysRepository(db),
    requestLogs: new RequestLogsRepository(db),
    signingKeys: new SigningKeysRepository(db),
    tokens: new TokensRepository(db),
  };
}

// 64-bit integers (our epoch-ms timestamps) come back from pg as strings unless told otherwise.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface OpenStoreOptions {
  /** PostgreSQL only: use (and create) this schema, so parallel tests never share tables. */
  pgSchema?: string;
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  return openSqlite(url);
}

function sqlitePath(url: string): string {
  if (url === ':memory:') return url;
  const p = url.replace(/^sqlite:(\/\/)?/, '').replace(/^file:(\/\/)?/, '');
  return p || ':memory:';
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    ...repositories(db),
    db,
    dialect: 'sqlite',
    file: file === ':memory:' ? null : path.resolve(file),
    migrate: () => migrateToLatest(db, 'sqlite'),
    ping: async () => {
      await sql`select 1`.execute(db);
      return true;
    },
    checkpoint: async () => {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const schema = options.pgSchema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error('invalid schema name');
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    ...repositories(db),
    db,
    dialect: 'postgres',
    file: null,
    migrate: () => migrateToLatest(db, 'postgres'),
    ping: async () => {
      await sql`select 1`.execute(db);
      return true;
    },
    checkpoint: async () => {},
    close: () => db.destroy(),
  };
}
