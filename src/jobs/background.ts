/**
 * The background jobs, run by `affix worker` and, unless `--no-jobs`, by `affix serve` itself (src/cli/serve.ts),
 * so stored data is pruned and re-sealed under current keys without an outside scheduler.
 *
 * `JOB_SETS` is the one registration point: each entry starts its jobs on a node's services and returns how to stop
 * them. Every set must be safe with any number of processes running it at once (one per worker, plus every
 * `affix serve` without `--no-jobs`): retention deletes what is expired, re-wrap skips rows changed under it, and
 * the webhooks set runs on the job engine (src/jobs/queue/: graphile-worker on PostgreSQL, the in-process runner on
 * SQLite), whose jobs are each taken by one process (src/jobs/webhooks.ts).
 */
import type { Logger } from 'pino';
import { sweepExpiredSessions } from '../connect/session.js';
import type { Services } from '../services.js';
import { RetentionJob, retentionPolicy } from './retention.js';
import { VaultRewrapJob } from './vault-rewrap.js';
import { startWebhookJobs } from './webhooks.js';

/** Starts a group of jobs; returns their stop function (called once, at shutdown). */
export type JobSetStarter = (services: Services, log: Logger) => () => void | Promise<void>;

export interface JobSet {
  /** As shown at start (`jobs: retention, vault-rewrap, webhooks`). */
  name: string;
  start: JobSetStarter;
}

/** Every job set a worker runs, in start order. */
export const JOB_SETS: readonly JobSet[] = [
  { name: 'retention', start: startRetention },
  { name: 'vault-rewrap', start: startVaultRewrap },
  { name: 'webhooks', start: startWebhookJobs },
];

/** The node's retention job: the stores' own sweepers, plus expired connect flows and their pending connections. */
export function retentionJob(services: Services, options: { now?: () => number } = {}): RetentionJob {
  const job = new RetentionJob(services.store, retentionPolicy(services.config), {
    dataDir: services.config.DATA_DIR,
    ...options,
  });
  job.addSweeper({
    name: 'connect_sessions',
    // A flow's expiry is its own (`expires_at`), so the cutoff is now.
    maxAgeMs: 0,
    sweep: (_cutoff, now) => sweepExpiredSessions(services, now),
  });
  return job;
}

/** Retention on `RETENTION_INTERVAL`. */
function startRetention(services: Services, log: Logger): () => void {
  const retention = retentionJob(services);
  retention.start(services.config.retentionIntervalMs, (r) => {
    if (r instanceof Error) log.error({ err: r }, 'retention: pass failed');
    else if (Object.values(r).some((n) => n > 0)) log.info({ deleted: r }, 'retention: expired data deleted');
  });
  return () => retention.stop();
}

/** Vault re-wrap on `VAULT_REWRAP_INTERVAL` (plus a keyring re-read every few seconds). */
function startVaultRewrap(services: Services, log: Logger): () => void {
  const rewrap = new VaultRewrapJob(services.vault, {
    onProgress: (p) => log.info({ progress: p }, 'vault: re-wrapping data keys onto the primary KEK'),
    onResult: (r) => {
      if (r instanceof Error) log.error({ err: r }, 'vault: re-wrap pass failed');
      else if (r.failed > 0)
        log.error({ failures: r.failures }, `vault: ${r.failed} data key(s) could not be re-wrapped`);
      else log.info({ rewrapped: r.rewrapped, remaining: r.remaining }, 'vault: re-wrap pass done');
    },
  });
  rewrap.start(services.config.vaultRewrapIntervalMs);
  for (const w of services.keyring.warnings()) log.warn(w);
  return () => rewrap.stop();
}

/** Starts every set in `sets`; the returned function stops them all (in reverse order). */
export function startBackgroundJobs(
  services: Services,
  log: Logger,
  sets: readonly JobSet[] = JOB_SETS,
): () => Promise<void> {
  const stops = sets.map((set) => set.start(services, log));
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
