/**
 * What the management API (src/api/v2023-03-01/management/webhook-*.ts) and `affix webhooks …` do: list a client's
 * deliveries, redeliver one, send a test event, rotate the webhook secret, see and re-enable the endpoint.
 */
import { nudgeLocalQueues } from '../jobs/queue/index.js';
import { enqueue } from '../jobs/queue/index.js';
import type { Services } from '../services.js';
import type { WebhookEvent, WebhookStatus } from '../store/webhooks.js';
import { inTransaction } from '../sync/transaction.js';
import { DELIVER_JOB, TEST_EVENT, enqueueWebhookEvent } from './outbox.js';
import { rotateWebhookSecret } from './secrets.js';

export type ManageServices = Pick<Services, 'store' | 'keyring' | 'config'>;

export const DELIVERY_STATUSES: readonly WebhookStatus[] = ['pending', 'succeeded', 'failed', 'disabled'];

/** A delivery as the API and the CLI show it (never its body). */
export function deliveryView(e: WebhookEvent) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: e.id,
    type: e.type,
    connection_id: e.connectionId,
    status: e.status,
    attempts: e.attempts,
    last_status: e.lastStatus,
    last_error: e.lastError,
    next_attempt_at: e.status === 'pending' ? iso(e.nextAttemptAt) : null,
    created_at: iso(e.createdAt) as string,
    updated_at: iso(e.updatedAt) as string,
    delivered_at: iso(e.deliveredAt),
  };
}

export function listDeliveries(
  services: Pick<Services, 'store'>,
  clientId: string,
  q: { status?: WebhookStatus; limit: number; before?: { createdAt: number; id: string } },
): Promise<WebhookEvent[]> {
  return services.store.webhookEvents.list(clientId, q);
}

/**
 * Sends an event again (same webhook-id, attempts counting on, a new retry window starts now for pending
 * deliveries of an old event); false when the client has no such event. A disabled endpoint must be enabled first.
 */
export async function redeliver(services: ManageServices, clientId: string, id: string): Promise<boolean> {
  const ok = await inTransaction(services, async (tx) => {
    if (!(await tx.store.webhookEvents.requeue(clientId, id, Date.now()))) return false;
    await enqueue(tx.store, DELIVER_JOB, { eventId: id });
    return true;
  });
  if (ok) nudgeLocalQueues();
  return ok;
}

export class NoWebhookUri extends Error {
  constructor() {
    super('this client has no webhook_uri');
    this.name = 'NoWebhookUri';
  }
}

/** A `webhook.test` event through the outbox, signed and retried like any other. */
export async function sendTestEvent(
  services: ManageServices,
  clientId: string,
): Promise<{ id: string; queued: boolean }> {
  const client = await services.store.clients.find(clientId);
  if (!client?.webhookUri) throw new NoWebhookUri();
  return inTransaction(services, (tx) =>
    enqueueWebhookEvent(tx, {
      type: TEST_EVENT,
      clientId,
      connectionId: '',
      body: { type: TEST_EVENT, occurred_at: new Date().toISOString(), message: 'Affix test webhook' },
    }),
  );
}

/** A new `whsec_…` secret; the previous ones sign beside it for WEBHOOK_SECRET_ROTATION_WINDOW. */
export function rotateSecret(services: ManageServices, clientId: string) {
  return inTransaction(services, (tx) =>
    rotateWebhookSecret(tx, clientId, services.config.webhookSecretRotationWindowMs),
  );
}

export async function endpointView(services: Pick<Services, 'store'>, clientId: string) {
  const client = await services.store.clients.find(clientId);
  const state = await services.store.webhookEndpoints.state(clientId);
  return {
    webhook_uri: client?.webhookUri ?? null,
    enabled: state.disabledAt === null,
    disabled_at: state.disabledAt === null ? null : new Date(state.disabledAt).toISOString(),
    disabled_reason: state.disabledReason,
  };
}

/** Enables a disabled endpoint again; events kept as `disabled` meanwhile can be redelivered one by one. */
export async function enableEndpoint(services: Pick<Services, 'store'>, clientId: string): Promise<void> {
  await services.store.webhookEndpoints.enable(clientId);
}
