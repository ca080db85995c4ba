/**
 * The webhooks job set: the job engine (graphile-worker on PostgreSQL, the in-process runner on SQLite) with the
 * change-webhook poll schedule (src/webhooks/schedule.ts) and webhook delivery (src/webhooks/delivery.ts) on it.
 * Returns a stop function that resolves once running jobs finished.
 */
import type { Logger } from 'pino';
import type { Services } from '../services.js';
import { startWebhookDelivery } from '../webhooks/delivery.js';
import { startWebhookPolls } from '../webhooks/schedule.js';
import { createJobQueue } from './queue/index.js';

export function startWebhookJobs(services: Services, log: Logger): () => Promise<void> {
  const queue = createJobQueue(services.store, { concurrency: services.config.WEBHOOK_CONCURRENCY, log });
  const stopDelivery = startWebhookDelivery(services, queue, log);
  const stopPolls = startWebhookPolls(services, queue, log);
  const started = queue
    .start()
    .catch((err: unknown) => log.error({ err }, 'jobs: the job engine did not start'));
  return async () => {
    await stopPolls();
    await started;
    await queue.stop();
    await stopDelivery();
  };
}
