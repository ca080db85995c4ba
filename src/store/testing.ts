/**
 * The stores every storage test runs against: SQLite in memory always, PostgreSQL when DATABASE_URL is
 * postgres://… (each opened store gets its own schema, dropped on close, so test files never share tables).
 * Also the raw row access tests need to prove what is (not) at rest or to simulate a backup, an expiry or an
 * attacker: tests outside src/store use these, never SQL of their own. Not imported by production code.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type Kysely, type Selectable, sql } from 'kysely';
import pg from 'pg';
import { type Store, openStore } from './db.js';
import type { Database } from './schema.js';
import type { StoreTransaction } from './webhook-snapshots.js';

export interface TestStoreKind {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
}

export const postgresUrl = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? (process.env.DATABASE_URL as string)
  : undefined;

if (!postgresUrl) {
  console.warn('[tests] DATABASE_URL is not a postgres:// URL: PostgreSQL storage tests are SKIPPED');
}

export async function openTestStore(
  kind: 'sqlite' | 'postgres',
  sqliteFile = ':memory:',
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const migrate = options.migrate ?? true;
  if (kind === 'sqlite') {
    const store = await openStore(sqliteFile);
    if (migrate) await store.migrate();
    return store;
  }
  if (!postgresUrl) throw new Error('no PostgreSQL configured');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore(postgresUrl, { pgSchema: schema });
  if (migrate) await store.migrate();
  const close = store.close;
  return {
    ...store,
    close: async () => {
      await close();
      await withAdmin((admin) => admin.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

export const testStoreKinds: TestStoreKind[] = [
  { name: 'sqlite', open: () => openTestStore('sqlite') },
  ...(postgresUrl ? [{ name: 'postgres' as const, open: () => openTestStore('postgres') }] : []),
];

type Table = keyof Database;
type Row<T extends Table> = Selectable<Database[T]>;

// One helper serves every table, which Kysely's per-table types cannot express; the signatures restore the types.
// biome-ignore lint/suspicious/noExplicitAny: see above
const untyped = (store: Store) => store.db as unknown as Kysely<any>;

/** The rows of `table` whose columns equal `where` (all rows without it), as the database holds them. */
export async function rowsIn<T extends Table>(
  store: Store,
  table: T,
  where: Partial<Row<T>> = {},
): Promise<Row<T>[]> {
  let q = untyped(store)
    .selectFrom(table as string)
    .selectAll();
  for (const [column, value] of Object.entries(where)) q = q.where(column, '=', value);
  return (await q.execute()) as Row<T>[];
}

/** Sets `set` on the rows of `table` matching `where` (all rows without it); returns how many changed. */
export async function patchRows<T extends Table>(
  store: Store,
  table: T,
  set: Partial<Row<T>>,
  where: Partial<Row<T>> = {},
): Promise<number> {
  let q = untyped(store)
    .updateTable(table as string)
    .set(set);
  for (const [column, value] of Object.entries(where)) q = q.where(column, '=', value);
  return Number((await q.executeTakeFirst()).numUpdatedRows);
}

/** Deletes the rows of `table` matching `where` (all rows without it); returns how many went. */
export async function removeRows<T extends Table>(
  store: Store,
  table: T,
  where: Partial<Row<T>> = {},
): Promise<number> {
  let q = untyped(store).deleteFrom(table as string);
  for (const [column, value] of Object.entries(where)) q = q.where(column, '=', value);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** Every byte PostgreSQL holds for this store's schema, as `pg_dump` writes it. */
export async function dumpPostgres(store: Store): Promise<Buffer> {
  if (!postgresUrl || store.dialect !== 'postgres') throw new Error('not a PostgreSQL test store');
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(store.db);
  const schema = rows[0]?.s as string;
  return execFileSync('pg_dump', ['--no-owner', '-n', schema, postgresUrl], { maxBuffer: 256 * 2 ** 20 });
}

/**
 * How many rows each table holds for a connection: every table with a `connection_id` column (found in the live
 * schema, so a table added later is counted too), `vault_data_keys` by owner and `connections` by id.
 */
export async function rowsOfConnection(store: Store, connectionId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { table, column } of await connectionColumns(store)) {
    const row = await untyped(store)
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', connectionId)
      .executeTakeFirst();
    counts[table] = Number(row?.n ?? 0);
  }
  return counts;
}

/** The column naming the connection in each table of this store's schema that has one. */
async function connectionColumns(store: Store): Promise<Array<{ table: string; column: string }>> {
  const columnOf = (table: string) =>
    table === 'connections' ? 'id' : table === 'vault_data_keys' ? 'owner_id' : 'connection_id';
  let columns: Array<{ table: string; column: string }>;
  if (store.dialect === 'postgres') {
    // Only this schema: Kysely's introspection reads every schema and fails when another is dropped meanwhile.
    const { rows } = await sql<{ table: string; column: string }>`
      select table_name as "table", column_name as "column" from information_schema.columns
      where table_schema = current_schema()
    `.execute(store.db);
    columns = rows;
  } else {
    columns = (await store.db.introspection.getTables())
      .filter((t) => !t.isView)
      .flatMap((t) => t.columns.map((c) => ({ table: t.name, column: c.name })));
  }
  return columns.filter(({ table, column }) => column === columnOf(table));
}

/** Runs `fn` with a short-lived administrative connection to the test PostgreSQL (not through any proxy). */
async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  if (!postgresUrl) throw new Error('no PostgreSQL configured');
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A fresh, empty schema for a process under test (it migrates it itself): point its DATABASE_URL at it with
 * `options=-c search_path=<name>`. `drop()` removes it with everything in it.
 */
export async function createPgSchema(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`create schema "${name}"`));
  return {
    name,
    drop: () => withAdmin((admin) => admin.query(`drop schema if exists "${name}" cascade`)).then(() => {}),
  };
}

/**
 * `pg_terminate_backend` on every backend whose application_name is `applicationName` (what a database restart,
 * a failover or an idle-connection cull does to a client); returns how many were terminated.
 */
export async function terminateBackends(applicationName: string): Promise<number> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ n: string }>(
      'select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
      [applicationName],
    );
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * For tests of work done inside a store transaction (a webhook enqueue beside a snapshot): writes a marker row in
 * `trx`, which exists afterwards only if the transaction committed (`markerCount`).
 */
export async function writeMarker(trx: StoreTransaction, name: string): Promise<void> {
  await trx.insertInto('request_log_names').values({ name }).execute();
}

export async function markerCount(store: Store, name: string): Promise<number> {
  return (await rowsIn(store, 'request_log_names', { name })).length;
}
