/**
 * The embedded job runner (SQLite): claims due jobs from the `embedded_jobs` table with a lease, runs them in this process,
 * deletes them when their handler resolves. Durable: a job is a row from its enqueue's commit until it is done, so
 * a crash (even kill -9) loses nothing; a job held by a dead process runs again once its lease ends.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Store } from '../../store/db.js';
import { type JobHandler, type JobQueue, type JobQueueOptions, registerLocalQueue } from './index.js';

export class EmbeddedJobQueue implements JobQueue {
  readonly engine = 'embedded' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly worker = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private looking = false;
  private again = false;
  private unregister: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: JobQueueOptions,
  ) {}

  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.unregister = registerLocalQueue(this);
    this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unregister?.();
    clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  nudge(): void {
    if (this.stopped) return;
    if (this.looking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    void this.look();
  }

  /** Claims what fits, starts it, and sleeps until the next job is due (at most the poll interval). */
  private async look(): Promise<void> {
    this.looking = true;
    const kinds = [...this.handlers.keys()];
    const poll = this.options.pollIntervalMs ?? 1000;
    let wait = poll;
    try {
      do {
        this.again = false;
        const free = this.options.concurrency - this.running.size;
        if (free <= 0) break;
        const now = Date.now();
        const jobs = await this.store.jobs.claim(
          kinds,
          this.worker,
          now,
          this.options.leaseMs ?? 300_000,
          free,
        );
        for (const job of jobs) this.run(job.id, job.kind, job.payload, job.attempts);
        if (jobs.length === free) this.again = true;
      } while (this.again && !this.stopped);
      const next = await this.store.jobs.nextDue(kinds);
      if (next !== undefined) wait = Math.max(10, Math.min(poll, next - Date.now()));
    } catch (err) {
      this.options.log.warn({ err }, 'jobs: could not look for due jobs');
    } finally {
      this.looking = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.nudge();
      return;
    }
    this.timer = setTimeout(() => void this.look(), wait);
    this.timer.unref();
  }

  private run(id: number, kind: string, payload: unknown, attempts: number): void {
    const handler = this.handlers.get(kind);
    const task = (async () => {
      try {
        if (!handler) throw new Error(`no handler for job kind ${kind}`);
        await handler(payload, { attempts });
        await this.store.jobs.complete(id, this.worker);
      } catch (err) {
        this.options.log.warn({ err, kind, attempts }, 'jobs: job failed; it runs again later');
        await this.store.jobs
          .fail(
            id,
            this.worker,
            err instanceof Error ? err.message : String(err),
            jobRetryAt(attempts, Date.now()),
          )
          .catch((e: unknown) => this.options.log.error({ err: e }, 'jobs: could not record a failed job'));
      }
    })();
    this.running.add(task);
    void task.finally(() => {
      this.running.delete(task);
      this.nudge();
    });
  }
}

/** Backoff of a job whose handler threw: 2^attempts seconds, at most an hour; dropped after `maxAttempts`. */
export function jobRetryAt(attempts: number, now: number, maxAttempts = 10): number | null {
  if (attempts >= maxAttempts) return null;
  return now + Math.min(2 ** attempts * 1000, 3_600_000);
}
