/**
 * The job queue's storage. On PostgreSQL jobs go to graphile-worker (installed by `Store.migrate()` into the
 * store's own schema, the first of the search path, so `add_job` below resolves to it); on SQLite to the `embedded_jobs`
 * table that the in-process runner (src/jobs/queue/embedded.ts) claims with a lease. `add` writes through this
 * repository's handle, so a repository of a transaction (`Store.transaction`) enqueues inside it: the job exists
 * exactly when the transaction commits.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from './db.js';
import type { Database } from './schema.js';

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  /** Including this one. */
  attempts: number;
}

export class JobsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Adds a job that runs at `runAt` (epoch ms, default now). */
  async add(kind: string, payload: unknown, runAt = Date.now()): Promise<void> {
    const json = JSON.stringify(payload ?? null);
    if (this.dialect === 'postgres') {
      // Our job kinds keep their own retry state (the webhook outbox), so the engine tries a job a few times only
      // when the handler itself throws.
      await sql`select add_job(${kind}, ${json}::json, run_at => to_timestamp(${runAt / 1000}), max_attempts => 5)`.execute(
        this.db,
      );
      return;
    }
    await this.db
      .insertInto('embedded_jobs')
      .values({ kind, payload: json, run_at: runAt, attempts: 0, created_at: Date.now() })
      .execute();
  }

  /** PostgreSQL: the schema graphile-worker lives in (the store's current schema). */
  async pgSchema(): Promise<string> {
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(this.db);
    const schema = rows[0]?.s;
    if (!schema) throw new Error('no current schema');
    return schema;
  }

  /**
   * SQLite runner: takes up to `limit` due jobs of `kinds` that nobody holds (or whose holder's lease ended, e.g. a
   * killed process), holding them until `now + leaseMs`.
   */
  async claim(
    kinds: string[],
    worker: string,
    now: number,
    leaseMs: number,
    limit: number,
  ): Promise<ClaimedJob[]> {
    if (kinds.length === 0) return [];
    const rows = await this.db
      .updateTable('embedded_jobs')
      .set((eb) => ({ locked_until: now + leaseMs, locked_by: worker, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('embedded_jobs')
          .select('id')
          .where('kind', 'in', kinds)
          .where('run_at', '<=', now)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
          .orderBy('run_at')
          .limit(limit),
      )
      .returning(['id', 'kind', 'payload', 'attempts'])
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      payload: JSON.parse(r.payload) as unknown,
      attempts: Number(r.attempts),
    }));
  }

  /** Done: the job goes. */
  async complete(id: number, worker: string): Promise<void> {
    await this.db.deleteFrom('embedded_jobs').where('id', '=', id).where('locked_by', '=', worker).execute();
  }

  /** The handler threw: released to run again at `retryAt`, or dropped when `retryAt` is null. */
  async fail(id: number, worker: string, error: string, retryAt: number | null): Promise<void> {
    if (retryAt === null) {
      await this.complete(id, worker);
      return;
    }
    await this.db
      .updateTable('embedded_jobs')
      .set({ run_at: retryAt, locked_until: null, locked_by: null, last_error: error.slice(0, 500) })
      .where('id', '=', id)
      .where('locked_by', '=', worker)
      .execute();
  }

  /** SQLite: when the next job of `kinds` is due (or its lease ends); undefined when there is none. */
  async nextDue(kinds: string[]): Promise<number | undefined> {
    if (kinds.length === 0) return undefined;
    const row = await this.db
      .selectFrom('embedded_jobs')
      .select((eb) => eb.fn.min(eb.fn.coalesce('locked_until', 'run_at')).as('due'))
      .where('kind', 'in', kinds)
      .executeTakeFirst();
    return row?.due == null ? undefined : Number(row.due);
  }

  /** How many jobs wait (tests, metrics). SQLite only; PostgreSQL's are graphile-worker's. */
  async count(kind?: string): Promise<number> {
    let q = this.db.selectFrom('embedded_jobs').select((eb) => eb.fn.countAll<number>().as('n'));
    if (kind) q = q.where('kind', '=', kind);
    return Number((await q.executeTakeFirst())?.n ?? 0);
  }
}
