/**
 * How the store talks to PostgreSQL: its backends are named (so operators and tests can find and terminate them),
 * statements are bounded by DATABASE_STATEMENT_TIMEOUT, and what a dead or slow server does reads as "unavailable"
 * (503 + Retry-After upstream), never as a bug. The process-level faults are in test/postgres-faults.test.ts.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { skipOrFailInCi } from '../testing/skip.js';
import { type Store, openStore } from './db.js';
import { isDatabaseUnavailable } from './errors.js';
import { postgresUrl } from './testing.js';

describe('PostgreSQL connections', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  const open = (statementTimeoutMs: number) => {
    store = undefined;
    return openStore(postgresUrl as string, { statementTimeoutMs, connectTimeoutMs: 2000 });
  };

  it('are named affix (application_name) and carry the statement timeout', async (ctx) => {
    skipOrFailInCi(
      ctx,
      postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
      'PostgreSQL connections',
    );
    store = await open(1234);
    const { rows } = await sql<{ name: string; timeout: string }>`
      select current_setting('application_name') as name, current_setting('statement_timeout') as timeout
    `.execute(store.db);
    expect(rows[0]).toEqual({ name: 'affix', timeout: '1234ms' });
  });

  it('a statement over the timeout is cancelled by the server and reads as unavailable', async (ctx) => {
    skipOrFailInCi(
      ctx,
      postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
      'PostgreSQL connections',
    );
    store = await open(200);
    const err = await sql`select pg_sleep(5)`.execute(store.db).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as { code?: string }).code).toBe('57014');
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(await store.ping()).toBe(true);
  });

  it('a server that is not there: ping is false within its timeout, queries fail as unavailable', async (ctx) => {
    skipOrFailInCi(
      ctx,
      postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL',
      'PostgreSQL connections',
    );
    const url = new URL(postgresUrl as string);
    url.port = '1';
    store = await openStore(url.toString(), { connectTimeoutMs: 500 });
    const started = Date.now();
    expect(await store.ping(1000)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1500);
    const err = await sql`select 1`.execute(store.db).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
  });
});
