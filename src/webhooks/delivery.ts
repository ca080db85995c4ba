/**
 * Webhook delivery: one job per attempt (`webhooks.deliver`, payload `{eventId}`).
 *
 * An attempt leases the event (so no two workers send it at once), signs the stored bytes and POSTs them with a
 * timeout (WEBHOOK_TIMEOUT), never following a redirect. 2xx: succeeded. 410: failed and the endpoint disabled.
 * 429, 5xx, timeouts and unreachable receivers: retried with exponential backoff and full jitter from
 * WEBHOOK_RETRY_BASE (at most 6 h apart), or after `Retry-After` when that is longer, until WEBHOOK_RETRY_WINDOW
 * (3 days) after the event; then it fails and the endpoint is disabled (logged, `webhook.endpoint_disabled`). Any
 * other answer (3xx, 4xx) fails the event at once. The next attempt is a new job enqueued in the same transaction
 * that records this one. The receiver's body is never read into logs or rows.
 *
 * A sweeper re-enqueues pending events that are overdue and not leased (a job lost with a killed worker: the
 * embedded runner's lease or graphile-worker's lock would bring it back too, later), so every event is sent once
 * its lease ends, and each `webhook-id` is recorded as succeeded once.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type Dispatcher, request } from 'undici';
import { enqueue, nudgeLocalQueues } from '../jobs/queue/index.js';
import type { JobQueue } from '../jobs/queue/index.js';
import { currentClientSecrets } from '../oauth/clients.js';
import type { Services } from '../services.js';
import type { WebhookEvent } from '../store/webhooks.js';
import { DELIVER_JOB, EMPLOYEES_CHANGED } from './outbox.js';
import { signingWebhookSecrets } from './secrets.js';
import { SEED_ORIGIN, webhookHeaders } from './signing.js';
import { WebhookUrlRefused, checkWebhookUrl, webhookAgent } from './ssrf.js';

const MAX_BACKOFF_MS = 6 * 3_600_000;

export type DeliveryServices = Pick<Services, 'config' | 'store' | 'vault' | 'keyring'>;

/** What one attempt came to. */
export type AttemptResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; retryAfterMs: number | null }
  | { kind: 'gone'; status: 410 }
  | { kind: 'rejected'; status: number | null; error: string };

/** `Retry-After` (seconds or an HTTP date) in ms from now; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The delay before retry number `failures` (1 = the first retry): exponential, full jitter, at least Retry-After. */
export function backoffMs(
  failures: number,
  baseMs: number,
  retryAfter: number | null,
  random = Math.random,
): number {
  const cap = Math.min(baseMs * 2 ** Math.min(failures - 1, 30), MAX_BACKOFF_MS);
  // Full jitter over the upper half keeps retries spread without ever retrying sooner than half the step.
  const delay = Math.round(cap / 2 + random() * (cap / 2));
  return Math.max(delay, retryAfter ?? 0);
}

/** Sends one signed request; classifies the answer. */
export async function attempt(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  options: { dispatcher: Dispatcher; timeoutMs: number },
): Promise<AttemptResult> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      dispatcher: options.dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Drain and drop: the receiver's body never reaches a log or a row.
    await res.body.dump({ limit: 65_536 }).catch(() => {});
    const status = res.statusCode;
    if (status >= 200 && status < 300) return { kind: 'delivered', status };
    if (status === 410) return { kind: 'gone', status };
    if (status === 429 || status >= 500) {
      return {
        kind: 'retry',
        status,
        error: `receiver answered ${status}`,
        retryAfterMs: retryAfterMs(res.headers['retry-after']),
      };
    }
    if (status >= 300 && status < 400)
      return { kind: 'rejected', status, error: `redirect (${status}) not followed` };
    return { kind: 'rejected', status, error: `receiver answered ${status}` };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof WebhookUrlRefused || cause instanceof WebhookUrlRefused) {
      return {
        kind: 'rejected',
        status: null,
        error: `refused: ${(cause ?? err) as Error}`.replace('WebhookUrlRefused: ', ''),
      };
    }
    const name = (err as Error).name;
    const code = (err as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
    const what =
      name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : `unreachable (${code ?? name})`;
    return { kind: 'retry', status: null, error: what, retryAfterMs: null };
  }
}

export interface DeliveryOptions {
  log: Logger;
  dispatcher: Dispatcher;
  now?: () => number;
}

/** Leases the event and makes one attempt; records the outcome (and enqueues the next attempt) in one transaction. */
export async function deliverEvent(
  services: DeliveryServices,
  eventId: string,
  options: DeliveryOptions,
): Promise<void> {
  const { store, config } = services;
  const now = options.now ?? Date.now;
  const token = randomBytes(12).toString('base64url');
  // The lease outlives the attempt: the timeout, plus time to record it.
  const event = await store.webhookEvents.lease(eventId, token, now(), config.webhookTimeoutMs + 10_000);
  if (!event) return;
  const log = options.log.child({ webhook_id: event.id, client_id: event.clientId, type: event.type });
  const client = await store.clients.find(event.clientId);
  const endpoint = await store.webhookEndpoints.state(event.clientId);
  if (!client?.webhookUri || endpoint.disabledAt !== null) {
    await store.webhookEvents.park(
      event.id,
      token,
      'disabled',
      client?.webhookUri ? `endpoint disabled: ${endpoint.disabledReason ?? ''}` : 'no webhook_uri',
      now(),
    );
    return;
  }
  const result = await send(services, event, client.webhookUri, options);
  const at = now();
  if (result.kind === 'delivered') {
    await store.webhookEvents.record(event.id, token, {
      status: 'succeeded',
      lastStatus: result.status,
      lastError: null,
      nextAttemptAt: at,
      now: at,
    });
    log.info({ status: result.status, attempts: event.attempts + 1 }, 'webhook delivered');
    return;
  }
  if (result.kind === 'gone') {
    await store.webhookEvents.record(event.id, token, {
      status: 'failed',
      lastStatus: 410,
      lastError: 'receiver answered 410 Gone: endpoint disabled',
      nextAttemptAt: at,
      now: at,
    });
    await disableEndpoint(services, event.clientId, 'receiver answered 410 Gone', log, at);
    return;
  }
  if (result.kind === 'rejected') {
    await store.webhookEvents.record(event.id, token, {
      status: 'failed',
      lastStatus: result.status,
      lastError: result.error,
      nextAttemptAt: at,
      now: at,
    });
    log.warn({ status: result.status, reason: result.error }, 'webhook failed (not retried)');
    return;
  }
  const next = at + backoffMs(event.attempts + 1, config.webhookRetryBaseMs, result.retryAfterMs);
  if (next > event.createdAt + config.webhookRetryWindowMs) {
    await store.webhookEvents.record(event.id, token, {
      status: 'failed',
      lastStatus: result.status,
      lastError: `${result.error}; retries exhausted`,
      nextAttemptAt: at,
      now: at,
    });
    await disableEndpoint(
      services,
      event.clientId,
      `deliveries failed for ${config.WEBHOOK_RETRY_WINDOW}`,
      log,
      at,
    );
    return;
  }
  await store.transaction(async (tx) => {
    const kept = await tx.webhookEvents.record(event.id, token, {
      status: 'pending',
      lastStatus: result.status,
      lastError: result.error,
      nextAttemptAt: next,
      now: at,
    });
    if (kept) await enqueue(tx, DELIVER_JOB, { eventId: event.id }, next);
  });
  nudgeLocalQueues();
  log.info(
    { status: result.status, reason: result.error, retry_at: new Date(next).toISOString() },
    'webhook attempt failed; retrying',
  );
}

async function send(
  services: DeliveryServices,
  event: WebhookEvent,
  webhookUri: string,
  options: DeliveryOptions,
): Promise<AttemptResult> {
  const { config } = services;
  let url: URL;
  try {
    url = checkWebhookUrl(webhookUri, {
      allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE_URLS,
      httpsOnly: config.AFFIX_ENV === 'prod',
    });
  } catch (err) {
    return { kind: 'rejected', status: null, error: `refused: ${(err as Error).message}` };
  }
  const body = await services.vault.open(event.clientId, 'webhook', event.body);
  const [clientSecret] = await currentClientSecrets(services, event.clientId);
  // Not in a transaction here, so the node's vault (and its data-key cache) serves.
  const webhookSecrets = await signingWebhookSecrets(services, event.clientId);
  const headers = webhookHeaders({
    id: event.id,
    timestampSeconds: Math.floor((options.now ?? Date.now)() / 1000),
    body,
    clientSecret: clientSecret?.secret ?? null,
    webhookSecrets,
    origin: event.type === EMPLOYEES_CHANGED ? SEED_ORIGIN : 'webhooks-lifecycle-webhook',
    type: event.type,
  });
  return attempt(url, headers, body, { dispatcher: options.dispatcher, timeoutMs: config.webhookTimeoutMs });
}

async function disableEndpoint(
  services: DeliveryServices,
  clientId: string,
  reason: string,
  log: Logger,
  now: number,
): Promise<void> {
  if (await services.store.webhookEndpoints.disable(clientId, reason, now)) {
    // The operator's event: alert on this message (or the `event` field).
    log.error(
      { event: 'webhook.endpoint_disabled', client_id: clientId, reason },
      'webhook endpoint disabled',
    );
  }
}

/**
 * Starts delivering on this process: the job handler, and a sweeper that re-enqueues overdue events nobody holds
 * and deletes finished events older than LOG_RETENTION. Returns a stop function (the queue is the caller's).
 */
export function startWebhookDelivery(
  services: DeliveryServices,
  queue: JobQueue,
  log: Logger,
): () => Promise<void> {
  const dispatcher = webhookAgent({
    allowPrivate: services.config.WEBHOOKS_ALLOW_PRIVATE_URLS,
    timeoutMs: services.config.webhookTimeoutMs,
  });
  queue.handle(DELIVER_JOB, async (payload) => {
    const eventId = (payload as { eventId?: unknown } | null)?.eventId;
    if (typeof eventId !== 'string') return;
    await deliverEvent(services, eventId, { log, dispatcher });
  });
  const graceMs = services.config.webhookTimeoutMs + 10_000;
  const sweep = async () => {
    try {
      const now = Date.now();
      const ids = await services.store.webhookEvents.due(now, graceMs, 500);
      if (ids.length > 0) {
        await services.store.transaction(async (tx) => {
          for (const id of ids) await enqueue(tx, DELIVER_JOB, { eventId: id }, now);
        });
        nudgeLocalQueues();
      }
      await services.store.webhookEvents.deleteFinishedBefore(now - services.config.logRetentionMs);
    } catch (err) {
      log.warn({ err }, 'webhooks: sweep failed');
    }
  };
  const timer = setInterval(() => void sweep(), Math.min(Math.max(1000, graceMs / 4), 30_000));
  timer.unref();
  void sweep();
  return async () => {
    clearInterval(timer);
    await dispatcher.close();
  };
}
