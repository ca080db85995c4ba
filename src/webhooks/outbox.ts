/**
 * The webhook outbox. `enqueueWebhookEvent(tx, event)` writes the event (its exact body, vault-sealed) and the job
 * that delivers it through the caller's transaction, so the event exists exactly when the change it reports
 * commits: a crash before the commit leaves neither, a crash after it leaves both, and a rollback sends nothing.
 *
 * The transaction is `Tx` from src/sync/transaction.ts (`inTransaction(services, async (tx) => …)`): the store's
 * transaction (`tx.store`, from `Store.transaction`) together with a vault that works inside it (`tx.vault`). The
 * vault is needed because the body is sealed before it is stored, and on SQLite nothing may use the store outside
 * the transaction while it is open. This is the closest to `enqueueWebhookEvent(trx, event)` the store allows.
 *
 * Event types: `employees.changed` (body: the seed's `{added, removed, updated}` plus `connection` and `changes`),
 * and the lifecycle events below. A client without a `webhook_uri` gets nothing stored (`queued: false`); one
 * whose endpoint is disabled gets the event stored as `disabled`, to redeliver once the endpoint is enabled again.
 */
import { newId } from '../ids.js';
import { enqueue, nudgeLocalQueues } from '../jobs/queue/index.js';
import type { Tx } from '../sync/transaction.js';

export type { Tx };

export const EMPLOYEES_CHANGED = 'employees.changed';
export const LIFECYCLE_TYPES = [
  'connection.created',
  'connection.reauthentication_required',
  'connection.disconnected',
  'sync.failed',
] as const;
export type LifecycleType = (typeof LIFECYCLE_TYPES)[number];
/** A test event sent from the management API or `affix webhooks test`. */
export const TEST_EVENT = 'webhook.test';
/** The job kind that delivers one event (payload `{eventId}`). */
export const DELIVER_JOB = 'webhooks.deliver';

export interface WebhookEventInput {
  type: string;
  clientId: string;
  /** Empty for events about no connection (the test event). */
  connectionId: string;
  body: Record<string, unknown>;
}

export async function enqueueWebhookEvent(
  trx: Tx,
  event: WebhookEventInput,
): Promise<{ id: string; queued: boolean }> {
  const id = newId('event');
  const client = await trx.store.clients.find(event.clientId);
  if (!client?.webhookUri) return { id, queued: false };
  const now = Date.now();
  const disabled = (await trx.store.webhookEndpoints.state(event.clientId)).disabledAt !== null;
  await trx.store.webhookEvents.insert({
    id,
    clientId: event.clientId,
    connectionId: event.connectionId || null,
    type: event.type,
    body: await trx.vault.seal(event.clientId, 'webhook', JSON.stringify(event.body)),
    status: disabled ? 'disabled' : 'pending',
    now,
  });
  if (!disabled) {
    await enqueue(trx.store, DELIVER_JOB, { eventId: id }, now);
    nudgeLocalQueues();
  }
  return { id, queued: !disabled };
}

export interface ConnectionRef {
  id: string;
  clientId: string;
  provider: string;
  mode: string;
}

/** A lifecycle event's body: its type, the connection, when, and anything `extra` adds (a reason). */
function lifecycleBody(type: LifecycleType, c: ConnectionRef, extra: Record<string, unknown>) {
  return {
    type,
    connection: { id: c.id, provider: c.provider, mode: c.mode },
    occurred_at: new Date().toISOString(),
    ...extra,
  };
}

export function enqueueLifecycleEvent(
  trx: Tx,
  type: LifecycleType,
  connection: ConnectionRef,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; queued: boolean }> {
  return enqueueWebhookEvent(trx, {
    type,
    clientId: connection.clientId,
    connectionId: connection.id,
    body: lifecycleBody(type, connection, extra),
  });
}

/** The connection's provider credentials stopped working: the end user must connect again. */
export const enqueueReauthenticationRequired = (trx: Tx, c: ConnectionRef, reason?: string) =>
  enqueueLifecycleEvent(trx, 'connection.reauthentication_required', c, reason ? { reason } : {});

/** A poll or sync of the connection failed (`reason`: a short, secret-free description). */
export const enqueueSyncFailed = (trx: Tx, c: ConnectionRef, reason: string) =>
  enqueueLifecycleEvent(trx, 'sync.failed', c, { reason });
