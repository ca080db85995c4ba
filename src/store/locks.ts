/**
 * Cluster-wide mutual exclusion by name, for work that must happen once across every node however many ask at
 * once (an xhr connection's re-login). PostgreSQL: a session advisory lock (`pg_advisory_lock`) on one pooled
 * connection held for the task, keyed by a 64-bit hash of the schema and the name, so test schemas sharing a
 * database never contend; a node that dies releases its locks with its connection. The wait is bounded by
 * `lock_timeout`. SQLite: one process uses the database, so the caller's in-process single-flight is all there is
 * and the task simply runs.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

/** The lock was not free within the wait. */
export class LockTimeoutError extends Error {
  constructor(name: string, waitMs: number) {
    super(`lock "${name}" not free within ${waitMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

export class AdvisoryLocks {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Runs `task` holding the lock `name` (waiting at most `waitMs` for it), and releases it on every path. */
  async exclusive<T>(name: string, task: () => Promise<T>, waitMs = 60_000): Promise<T> {
    if (this.dialect !== 'postgres') return task();
    return this.db.connection().execute(async (conn) => {
      const key = sql`hashtextextended(current_schema() || '/' || ${name}, 0)`;
      await sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(waitMs))}ms`}, false)`.execute(
        conn,
      );
      try {
        await sql`select pg_advisory_lock(${key})`.execute(conn);
      } catch (err) {
        // 55P03 lock_not_available: lock_timeout passed.
        if ((err as { code?: string }).code === '55P03') throw new LockTimeoutError(name, waitMs);
        throw err;
      } finally {
        await sql`select set_config('lock_timeout', '0', false)`.execute(conn);
      }
      try {
        return await task();
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(conn);
      }
    });
  }
}
