/**
 * Cluster-wide mutual exclusion by name, for work that must happen once across every node however many ask at
 * once (an xhr connection's re-login). PostgreSQL: a session advisory lock keyed by a 64-bit hash of the schema and
 * the name (test schemas sharing a database never contend), taken with `pg_try_advisory_lock` and held on one
 * pooled connection for the task; a node that dies releases its locks with its connection. Waiting never holds a
 * connection (the try is repeated with a growing pause, up to `waitMs`), and at most `MAX_HELD` locks are held at
 * once per node, so holders, which need pool connections for their own work, can never take the whole pool.
 * SQLite: one process uses the database, so the caller's in-process single-flight is all there is and the task
 * simply runs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

/** Locks held at once by one node (its pool has 10 connections). */
export const MAX_HELD = 3;

/** The lock was not free within the wait. */
export class LockTimeoutError extends Error {
  constructor(name: string, waitMs: number) {
    super(`lock "${name}" not free within ${waitMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

export class AdvisoryLocks {
  private held = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Runs `task` holding the lock `name` (waiting at most `waitMs` for it), and releases it on every path. */
  async exclusive<T>(name: string, task: () => Promise<T>, waitMs = 60_000): Promise<T> {
    if (this.dialect !== 'postgres') return task();
    const key = sql`hashtextextended(current_schema() || '/' || ${name}, 0)`;
    const deadline = Date.now() + waitMs;
    for (let pause = 20; ; pause = Math.min(pause * 2, 400)) {
      const outcome = await this.slot(() =>
        this.db.connection().execute(async (conn) => {
          const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
          if (got.rows[0]?.ok !== true) return undefined;
          try {
            return { value: await task() };
          } finally {
            await sql`select pg_advisory_unlock(${key})`.execute(conn);
          }
        }),
      );
      if (outcome) return outcome.value;
      if (Date.now() + pause > deadline) throw new LockTimeoutError(name, waitMs);
      await sleep(pause);
    }
  }

  /** One of this node's `MAX_HELD` slots for the duration of `fn`. */
  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held >= MAX_HELD) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.held++;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.held--;
    }
  }
}
