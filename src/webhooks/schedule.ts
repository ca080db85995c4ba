/**
 * The change-webhook poll schedule (issue 13, item 1). Every active connection of a client with a `webhook_uri`
 * is polled once per WEBHOOK_POLL_INTERVAL, as `webhooks.poll` jobs on the job engine (graphile-worker on
 * PostgreSQL, the in-process runner on SQLite), so any number of workers share the polls.
 *
 * - Jitter: each connection has its own phase in the interval (a hash of its id), so polls spread evenly over the
 *   interval instead of all firing at its start. Connection c's slots start at `k × interval + phase(c)`.
 * - One poll per connection per slot: every worker runs the scheduler (`tick`), which for each connection whose
 *   next slot starts before its next tick claims that slot in `webhook_poll_slots` (moving forward only) and
 *   enqueues the poll job, due at the slot's start, in the same transaction. A slot is claimed once however many
 *   schedulers race for it (the claim is a conditional upsert on the connection's row), so a connection gets one
 *   job per slot: the slot is the job's key.
 * - A job that runs once its connection's next slot has begun, or once its slot was superseded (held by a killed
 *   worker until its lock ended, or the interval changed), is dropped: the next slot's job polls instead, and diffs against
 *   the last good snapshot, so nothing is lost.
 * - The poll (src/webhooks/poll.ts) writes the new snapshot and the `employees.changed` event
 *   (`enqueueWebhookEvent`, src/webhooks/outbox.ts) in one transaction. A failed fetch sends `sync.failed`, or
 *   `connection.reauthentication_required` when the provider refused the connection's credentials.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ProviderError } from '../providers/errors.js';
import type { Services } from '../services.js';
import { transactionRepositories } from '../store/db.js';
import { enqueue, nudgeLocalQueues } from '../jobs/queue/index.js';
import type { JobQueue } from '../jobs/queue/index.js';
import { isEndedSessionError } from '../providers/session/web-session.js';
import { inTransaction, txOf } from '../sync/transaction.js';
import { enqueueReauthenticationRequired, enqueueSyncFailed, enqueueWebhookEvent } from './outbox.js';
import { type EnqueueWebhookEvent, type PollOutcome, pollConnection } from './poll.js';

/** The job kind of one poll (payload `{connectionId, slotAt, intervalMs}`). */
export const POLL_JOB = 'webhooks.poll';

/** Claims (and their jobs) written per transaction. */
const CLAIM_BATCH = 200;

/** The connection's phase in the interval: where in each interval its polls fall (0 ≤ phase < interval). */
export function pollPhase(connectionId: string, intervalMs: number): number {
  const h = createHash('sha256').update(connectionId).digest();
  return h.readUInt32BE(0) % intervalMs;
}

/** Start of the connection's latest slot that begins at or before `t`. */
export function slotAt(connectionId: string, intervalMs: number, t: number): number {
  const phase = pollPhase(connectionId, intervalMs);
  return Math.floor((t - phase) / intervalMs) * intervalMs + phase;
}

/** How often a scheduler looks for slots to claim: a quarter of the interval, between 250 ms and 30 s. */
export function tickMs(intervalMs: number): number {
  return Math.min(30_000, Math.max(250, Math.floor(intervalMs / 4)));
}

/** pollConnection's `enqueue`: the outbox, inside the snapshot write's transaction. */
export function outboxEnqueue(services: Pick<Services, 'keyring' | 'store'>): EnqueueWebhookEvent {
  return (trx, event) =>
    enqueueWebhookEvent(txOf(services, transactionRepositories(trx, services.store.dialect)), event);
}

/**
 * One scheduler pass: claims every connection's slot that starts before `now + tick` and is later than its last
 * claimed one, and enqueues its poll job. Returns how many jobs this pass enqueued (0 when another worker did).
 */
export async function scheduleDuePolls(
  services: Pick<Services, 'store' | 'config'>,
  now = Date.now(),
): Promise<number> {
  const interval = services.config.webhookPollIntervalMs;
  const horizon = now + tickMs(interval);
  const due: Array<{ connectionId: string; slotAt: number }> = [];
  for (const c of await services.store.webhookPollSlots.candidates()) {
    const slot = slotAt(c.connectionId, interval, horizon);
    if (c.slotAt === null || c.slotAt < slot) due.push({ connectionId: c.connectionId, slotAt: slot });
  }
  let enqueued = 0;
  for (let i = 0; i < due.length; i += CLAIM_BATCH) {
    const batch = due.slice(i, i + CLAIM_BATCH);
    enqueued += await services.store.transaction(async (tx) => {
      let n = 0;
      for (const d of batch) {
        if (!(await tx.webhookPollSlots.claim(d.connectionId, d.slotAt))) continue;
        // A new connection's current slot may have begun already: due at once then.
        await enqueue(tx, POLL_JOB, { ...d, intervalMs: interval }, Math.max(d.slotAt, now));
        n++;
      }
      return n;
    });
  }
  if (enqueued > 0) nudgeLocalQueues();
  return enqueued;
}

/** Runs one poll job. Returns the poll's outcome, or `stale` when its slot is over or a later one was claimed. */
export async function runPollJob(
  services: Services,
  payload: unknown,
  log: Logger,
  now = Date.now(),
): Promise<PollOutcome | { status: 'stale' }> {
  const p = (payload ?? {}) as { connectionId?: unknown; slotAt?: unknown; intervalMs?: unknown };
  const { connectionId, slotAt: at } = p;
  if (typeof connectionId !== 'string' || typeof at !== 'number') return { status: 'stale' };
  // The interval the slot was claimed under (a process with another WEBHOOK_POLL_INTERVAL may run the job).
  const interval = typeof p.intervalMs === 'number' ? p.intervalMs : services.config.webhookPollIntervalMs;
  const latest = await services.store.webhookPollSlots.slotOf(connectionId);
  // Superseded: a later slot has begun, or the recorded slot jumped further than the next one (the interval
  // changed, or an operator moved it). The next slot claimed ahead of its start does not drop this one.
  const superseded = latest !== undefined && latest > at && (now >= latest || latest - at > interval);
  if (now >= at + interval || superseded) {
    log.debug({ connectionId, slotAt: at }, 'webhooks: stale poll job dropped');
    return { status: 'stale' };
  }
  const outcome = await pollConnection(services, connectionId, { enqueue: outboxEnqueue(services) });
  log.debug({ connectionId, slotAt: at, outcome: outcome.status }, 'webhooks: polled');
  if (outcome.status === 'failed') {
    const reason = failureReason(outcome.error);
    log.warn(
      { connectionId, reason },
      'webhooks: poll failed; the next poll diffs against the last good snapshot',
    );
    const connection = await services.store.connections.find(connectionId);
    // Credentials the provider refuses: the end user must connect again; any other failure is a failed sync.
    const reauth = outcome.error instanceof ProviderError && outcome.error.kind === 'authentication';
    // A web session that ended already sent its event, once per loss (src/sync/reauthentication.ts).
    const alreadySent = isEndedSessionError(outcome.error);
    if (connection && !alreadySent)
      await inTransaction(services, (tx) =>
        reauth
          ? enqueueReauthenticationRequired(tx, connection, reason)
          : enqueueSyncFailed(tx, connection, reason),
      );
  }
  return outcome;
}

/** A short, secret-free reason for `sync.failed`: the provider error's kind (and code), never its message. */
function failureReason(error: unknown): string {
  if (error instanceof ProviderError) {
    return error.options.code ? `${error.kind}:${error.options.code}` : error.kind;
  }
  return 'fetch_failed';
}

/**
 * Starts the scheduler and the poll job handler on this process's job engine (register before `queue.start()`).
 * Returns a stop function.
 */
export function startWebhookPolls(services: Services, queue: JobQueue, log: Logger): () => Promise<void> {
  queue.handle(POLL_JOB, async (payload) => {
    await runPollJob(services, payload, log);
  });
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = scheduleDuePolls(services)
      .then(() => undefined)
      .catch((err: unknown) => log.warn({ err }, 'webhooks: poll scheduling failed'))
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, tickMs(services.config.webhookPollIntervalMs));
        timer.unref();
      });
  };
  tick();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
