/**
 * The webhook tables: the outbox (`webhook_events`), each client's endpoint state (`webhook_endpoints`) and its
 * Standard Webhooks secrets (`webhook_secrets`, vault ciphertext). Sending, signing and the retry policy are
 * src/webhooks/'s; this file only stores what they decide.
 */
import type { Kysely, Selectable } from 'kysely';
import { type Sealed, sealedFromStorage } from '../vault/index.js';
import type { Database, WebhookEventsTable } from './schema.js';

export type WebhookStatus = 'pending' | 'succeeded' | 'failed' | 'disabled';

export interface WebhookEvent {
  id: string;
  clientId: string;
  connectionId: string | null;
  type: string;
  body: Sealed;
  status: WebhookStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

function toEvent(r: Selectable<WebhookEventsTable>): WebhookEvent {
  return {
    id: r.id,
    clientId: r.client_id,
    connectionId: r.connection_id,
    type: r.type,
    body: sealedFromStorage(r.body),
    status: r.status as WebhookStatus,
    attempts: Number(r.attempts),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    lastError: r.last_error,
    nextAttemptAt: Number(r.next_attempt_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  };
}

/** What one attempt's outcome writes: the next state of the event. */
export interface AttemptOutcome {
  status: WebhookStatus;
  lastStatus: number | null;
  lastError: string | null;
  /** When pending: when to try again. */
  nextAttemptAt: number;
  now: number;
}

export class WebhookEventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(e: {
    id: string;
    clientId: string;
    connectionId: string | null;
    type: string;
    body: Sealed;
    status: WebhookStatus;
    now: number;
  }): Promise<void> {
    await this.db
      .insertInto('webhook_events')
      .values({
        id: e.id,
        client_id: e.clientId,
        connection_id: e.connectionId,
        type: e.type,
        body: e.body,
        status: e.status,
        attempts: 0,
        last_status: null,
        last_error: null,
        next_attempt_at: e.now,
        lease_until: null,
        lease_token: null,
        created_at: e.now,
        updated_at: e.now,
        delivered_at: null,
      })
      .execute();
  }

  async find(id: string): Promise<WebhookEvent | undefined> {
    const row = await this.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toEvent(row) : undefined;
  }

  /**
   * Holds a pending, due event for one attempt until `now + leaseMs`; undefined when it is not pending, not due,
   * or held by a live lease (another worker is sending it).
   */
  async lease(id: string, token: string, now: number, leaseMs: number): Promise<WebhookEvent | undefined> {
    const res = await this.db
      .updateTable('webhook_events')
      .set({ lease_until: now + leaseMs, lease_token: token })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    return this.find(id);
  }

  /** Records an attempt under the lease `token`; false when the lease was lost (nothing written). */
  async record(id: string, token: string, o: AttemptOutcome): Promise<boolean> {
    const res = await this.db
      .updateTable('webhook_events')
      .set((eb) => ({
        status: o.status,
        attempts: eb('attempts', '+', 1),
        last_status: o.lastStatus,
        last_error: o.lastError,
        next_attempt_at: o.nextAttemptAt,
        lease_until: null,
        lease_token: null,
        updated_at: o.now,
        delivered_at: o.status === 'succeeded' ? o.now : null,
      }))
      .where('id', '=', id)
      .where('lease_token', '=', token)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Marks an event not sent because its endpoint is disabled (or gone), under its lease. */
  async park(
    id: string,
    token: string,
    status: 'disabled' | 'failed',
    reason: string,
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('webhook_events')
      .set({ status, last_error: reason, lease_until: null, lease_token: null, updated_at: now })
      .where('id', '=', id)
      .where('lease_token', '=', token)
      .execute();
  }

  /** Makes an event pending again, due now (redelivery); false when it does not exist for this client. */
  async requeue(clientId: string, id: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('webhook_events')
      .set({ status: 'pending', next_attempt_at: now, updated_at: now, lease_until: null, lease_token: null })
      .where('id', '=', id)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Pending events that are due and not held (a lost job, a killed worker): the sweeper re-enqueues them. */
  async due(now: number, olderThanMs: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('webhook_events')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now - olderThanMs)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Events a client sees in the management API, newest first; `before` is the previous page's last id. */
  async list(
    clientId: string,
    q: { status?: WebhookStatus; limit: number; before?: { createdAt: number; id: string } },
  ): Promise<WebhookEvent[]> {
    let query = this.db.selectFrom('webhook_events').selectAll().where('client_id', '=', clientId);
    if (q.status) query = query.where('status', '=', q.status);
    const before = q.before;
    if (before) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', before.createdAt),
          eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
        ]),
      );
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
    return rows.map(toEvent);
  }

  /** Disconnect: the change events of a connection go (their bodies hold its employees); lifecycle events stay. */
  async deleteChangesOfConnection(connectionId: string, changeType: string): Promise<number> {
    const res = await this.db
      .deleteFrom('webhook_events')
      .where('connection_id', '=', connectionId)
      .where('type', '=', changeType)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Retention: finished events (succeeded, failed, disabled) last updated before `cutoff`. */
  async deleteFinishedBefore(cutoff: number): Promise<number> {
    const res = await this.db
      .deleteFrom('webhook_events')
      .where('status', '!=', 'pending')
      .where('updated_at', '<', cutoff)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}

export interface EndpointState {
  disabledAt: number | null;
  disabledReason: string | null;
}

export class WebhookEndpointsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async state(clientId: string): Promise<EndpointState> {
    const row = await this.db
      .selectFrom('webhook_endpoints')
      .select(['disabled_at', 'disabled_reason'])
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return {
      disabledAt: row?.disabled_at == null ? null : Number(row.disabled_at),
      disabledReason: row?.disabled_reason ?? null,
    };
  }

  /** Disables the endpoint; false when it already was (the first reason is kept). */
  async disable(clientId: string, reason: string, now: number): Promise<boolean> {
    const res = await this.db
      .insertInto('webhook_endpoints')
      .values({ client_id: clientId, disabled_at: now, disabled_reason: reason })
      .onConflict((oc) =>
        oc
          .column('client_id')
          .doUpdateSet({ disabled_at: now, disabled_reason: reason })
          .where('webhook_endpoints.disabled_at', 'is', null),
      )
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async enable(clientId: string): Promise<void> {
    await this.db
      .updateTable('webhook_endpoints')
      .set({ disabled_at: null, disabled_reason: null })
      .where('client_id', '=', clientId)
      .execute();
  }
}

export interface SealedWebhookSecret {
  id: string;
  sealed: Sealed;
  createdAt: number;
  expiresAt: number | null;
}

export class WebhookSecretsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(s: { id: string; clientId: string; sealed: Sealed; now: number }): Promise<void> {
    await this.db
      .insertInto('webhook_secrets')
      .values({ id: s.id, client_id: s.clientId, sealed: s.sealed, created_at: s.now, expires_at: null })
      .execute();
  }

  /** The secrets that sign now: the current one and those still in their rotation window, newest first. */
  async signing(clientId: string, now: number): Promise<SealedWebhookSecret[]> {
    const rows = await this.db
      .selectFrom('webhook_secrets')
      .selectAll()
      .where('client_id', '=', clientId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      sealed: sealedFromStorage(r.sealed),
      createdAt: Number(r.created_at),
      expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    }));
  }

  /** Rotation: every current secret keeps signing until `until`; expired ones go. */
  async expireCurrent(clientId: string, until: number, now: number): Promise<void> {
    await this.db
      .updateTable('webhook_secrets')
      .set({ expires_at: until })
      .where('client_id', '=', clientId)
      .where('expires_at', 'is', null)
      .execute();
    await this.db
      .deleteFrom('webhook_secrets')
      .where('client_id', '=', clientId)
      .where('expires_at', '<=', now)
      .execute();
  }
}
