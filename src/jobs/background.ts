/**
 * The in-process jobs of a serving node, so stored data is pruned and re-sealed under current keys without an
 * outside scheduler: retention on `RETENTION_INTERVAL`, vault re-wrap on `VAULT_REWRAP_INTERVAL` (plus a
 * keyring re-read every few seconds), and the job engine with webhook delivery (src/jobs/queue/, src/webhooks/).
 * Returns a stop function for shutdown that resolves once running jobs finished.
 */
import type { Logger } from 'pino';
import { sweepExpiredSessions } from '../connect/session.js';
import type { Services } from '../services.js';
import { startWebhookDelivery } from '../webhooks/delivery.js';
import { createJobQueue } from './queue/index.js';
import { RetentionJob, retentionPolicy } from './retention.js';
import { VaultRewrapJob } from './vault-rewrap.js';

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

export function startBackgroundJobs(services: Services, log: Logger): () => Promise<void> {
  const { config } = services;
  const retention = retentionJob(services);
  retention.start(config.retentionIntervalMs, (r) => {
    if (r instanceof Error) log.error({ err: r }, 'retention: pass failed');
    else if (Object.values(r).some((n) => n > 0)) log.info({ deleted: r }, 'retention: expired data deleted');
  });
  const rewrap = new VaultRewrapJob(services.vault, {
    onProgress: (p) => log.info({ progress: p }, 'vault: re-wrapping data keys onto the primary KEK'),
    onResult: (r) => {
      if (r instanceof Error) log.error({ err: r }, 'vault: re-wrap pass failed');
      else if (r.failed > 0)
        log.error({ failures: r.failures }, `vault: ${r.failed} data key(s) could not be re-wrapped`);
      else log.info({ rewrapped: r.rewrapped, remaining: r.remaining }, 'vault: re-wrap pass done');
    },
  });
  rewrap.start(config.vaultRewrapIntervalMs);
  for (const w of services.keyring.warnings()) log.warn(w);
  // The job engine (graphile-worker on PostgreSQL, in-process on SQLite) and what runs on it.
  const queue = createJobQueue(services.store, { concurrency: config.WEBHOOK_CONCURRENCY, log });
  const stopWebhooks = startWebhookDelivery(services, queue, log);
  const started = queue
    .start()
    .catch((err: unknown) => log.error({ err }, 'jobs: the job engine did not start'));
  return async () => {
    retention.stop();
    rewrap.stop();
    await started;
    await queue.stop();
    await stopWebhooks();
  };
}
