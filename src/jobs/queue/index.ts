/**
 * The job engine: one interface for every job kind, two engines behind it.
 *
 * - PostgreSQL: graphile-worker (src/jobs/queue/graphile.ts). Any number of processes run workers; a job is taken
 *   by one of them (`FOR UPDATE SKIP LOCKED`), and LISTEN/NOTIFY wakes them when a job is added.
 * - SQLite (the embedded default): an in-process runner (src/jobs/queue/embedded.ts) over the `embedded_jobs` table, with a
 *   lease per claimed job, so a process killed mid-job loses nothing: the job runs again when its lease ends.
 *
 * Jobs are added with `enqueue(tx, …)` through a store transaction's repositories (`Store.transaction`), so a job
 * exists exactly when the change that asked for it commits; `enqueue(store, …)` adds one on its own.
 */
import type { Logger } from 'pino';
import type { Store, StoreTransaction } from '../../store/db.js';
import { EmbeddedJobQueue } from './embedded.js';
import { GraphileJobQueue } from './graphile.js';

export interface JobContext {
  /** How many times this job has been started, this one included. */
  attempts: number;
}

/** Runs one job. Throwing makes the engine run it again later (with backoff, a few times). */
export type JobHandler = (payload: unknown, job: JobContext) => Promise<void>;

export interface JobQueue {
  readonly engine: 'embedded' | 'graphile-worker';
  /** Registers the handler of a job kind; call before `start`. */
  handle(kind: string, handler: JobHandler): void;
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
  /** A hint that jobs were added in this process (the embedded runner looks at once instead of at its next tick). */
  nudge(): void;
}

export interface JobQueueOptions {
  /** Jobs run at once by this process. */
  concurrency: number;
  log: Logger;
  /** Embedded runner: how long a claimed job is held before another runner may take it. Default 5 min. */
  leaseMs?: number;
  /** Longest wait between two looks for due jobs. Default 1 s. */
  pollIntervalMs?: number;
}

/** Adds a job, inside `tx` when it is a transaction's repositories. Due at `runAt` (epoch ms, default now). */
export function enqueue(
  tx: Pick<StoreTransaction, 'jobs'>,
  kind: string,
  payload: unknown,
  runAt?: number,
): Promise<void> {
  return tx.jobs.add(kind, payload, runAt);
}

/** The engine for this store's dialect. */
export function createJobQueue(store: Store, options: JobQueueOptions): JobQueue {
  return store.dialect === 'postgres'
    ? new GraphileJobQueue(store, options)
    : new EmbeddedJobQueue(store, options);
}

const localQueues = new Set<{ nudge(): void }>();

/** Embedded runners of this process register here, so `nudgeLocalQueues` reaches them. */
export function registerLocalQueue(q: { nudge(): void }): () => void {
  localQueues.add(q);
  return () => localQueues.delete(q);
}

/**
 * Wakes this process's embedded runners (no-op for graphile-worker, which LISTENs). Called right after enqueueing
 * inside a transaction: on SQLite the runner's claim waits for the transaction's connection, so it sees the job.
 */
export function nudgeLocalQueues(): void {
  if (localQueues.size === 0) return;
  setImmediate(() => {
    for (const q of localQueues) q.nudge();
  });
}
