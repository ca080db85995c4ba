/**
 * The PostgreSQL job engine: graphile-worker, sharing the store's pool and living in the store's schema (see
 * src/store/jobs.ts). Every process that starts it is one more worker taking jobs from the same tables.
 */
import { Logger as GraphileLogger, type LogLevel, type Runner, type TaskList, run } from 'graphile-worker';
import type { Store } from '../../store/db.js';
import type { JobHandler, JobQueue, JobQueueOptions } from './index.js';

export class GraphileJobQueue implements JobQueue {
  readonly engine = 'graphile-worker' as const;
  private readonly handlers = new Map<string, JobHandler>();
  private runner: Runner | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: JobQueueOptions,
  ) {}

  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(): Promise<void> {
    const pool = this.store.pgPool;
    if (!pool) throw new Error('graphile-worker needs PostgreSQL');
    const taskList: TaskList = {};
    for (const [kind, handler] of this.handlers) {
      taskList[kind] = (payload, helpers) => handler(payload, { attempts: helpers.job.attempts });
    }
    const log = this.options.log;
    const logger = new GraphileLogger(() => (level: LogLevel, message: string) => {
      if (level === 'error') log.error(`jobs: ${message}`);
      else if (level === 'warning') log.warn(`jobs: ${message}`);
      else log.debug(`jobs: ${message}`);
    });
    this.runner = await run({
      pgPool: pool,
      schema: await this.store.jobs.pgSchema(),
      concurrency: this.options.concurrency,
      pollInterval: this.options.pollIntervalMs ?? 1000,
      noHandleSignals: true,
      taskList,
      logger,
    });
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
  }

  nudge(): void {
    // LISTEN/NOTIFY: graphile-worker's add_job wakes every worker itself.
  }
}
