/**
 * The stores every storage test runs against: SQLite in memory always, PostgreSQL when DATABASE_URL is
 * postgres://… (each opened store gets its own schema, dropped on close, so test files never share tables).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Store, openStore } from './db.js';

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

export async function openTestStore(kind: 'sqlite' | 'postgres', sqliteFile = ':memory:'): Promise<Store> {
  if (kind === 'sqlite') {
    const store = await openStore(sqliteFile);
    await store.migrate();
    return store;
  }
  if (!postgresUrl) throw new Error('no PostgreSQL configured');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const store = await openStore(postgresUrl, { pgSchema: schema });
  await store.migrate();
  const close = store.close;
  return {
    ...store,
    close: async () => {
      await close();
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      try {
        await admin.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}

export const testStoreKinds: TestStoreKind[] = [
  { name: 'sqlite', open: () => openTestStore('sqlite') },
  ...(postgresUrl ? [{ name: 'postgres' as const, open: () => openTestStore('postgres') }] : []),
];
