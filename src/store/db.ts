/**
 * Opens the database named by DATABASE_URL: SQLite (better-sqlite3, WAL, secure_delete) by default, PostgreSQL
 * (pg) for `postgres://`. Everything above this file sees one `Kysely<Database>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite file path (for the canary test and backups); null for PostgreSQL and :memory:. */
  file: string | null;
  migrate(): Promise<string[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
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
    db,
    dialect: 'sqlite',
    file: file === ':memory:' ? null : path.resolve(file),
    migrate: () => migrateToLatest(db, 'sqlite'),
    ping: async () => {
      await sql`select 1`.execute(db);
      return true;
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
    db,
    dialect: 'postgres',
    file: null,
    migrate: () => migrateToLatest(db, 'postgres'),
    ping: async () => {
      await sql`select 1`.execute(db);
      return true;
    },
    close: () => db.destroy(),
  };
}
