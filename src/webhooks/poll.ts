/**
 * One change-webhook poll of one connection: a live fetch of its employees, a diff against the last good snapshot,
 * and, when something changed, the new snapshot and an `employees.changed` event written in ONE store transaction.
 *
 * - The fetch is the API's own (`fetchEmployees` through the fetch jobs, under the cache key of an unfiltered
 *   `GET …/employees`) with `refresh`: it skips the cached answer, joins a fetch already running, and its complete
 *   result replaces the cached answer. A failed fetch (adapters refuse partial lists) is not diffed: no event,
 *   and the last good snapshot stays in place for the next poll.
 * - The first poll of a connection (or one whose snapshot can no longer be opened: shredded, tampered) records a
 *   baseline and sends nothing. Nothing is written or sent when nothing changed.
 * - The snapshot replacement commits only over the version this poll read, so two polls of one connection running
 *   at once send one event between them; the outbox row (`enqueue`, given the transaction) commits or rolls back
 *   with the snapshot, so a crash can neither lose an event nor send one twice.
 */
import { fetchEmployees } from '../api/v2023-03-01/data/employees.js';
import { makeAdapter } from '../api/v2023-03-01/data/define.js';
import { ProviderError } from '../providers/errors.js';
import { watchShortLists } from '../providers/totals.js';
import type { Provider } from '../providers/types.js';
import type { Services } from '../services.js';
import type { Connection } from '../store/connections.js';
import { ConnectionGoneError } from '../store/errors.js';
import type { StoreTransaction } from '../store/webhook-snapshots.js';
import { cacheKey } from '../sync/response-cache.js';
import { isVaultError } from '../vault/index.js';
import { type FreshRecord, classify, fieldChanges, shortHash } from './diff.js';
import { EMPLOYEES_CHANGED, type WebhookEventInput } from './outbox.js';
import {
  type ByteRange,
  type OpenedSnapshot,
  SnapshotFormatError,
  compressList,
  decodeSnapshot,
  encodeSnapshot,
} from './snapshot.js';

const RESOURCE = 'employees';

export { EMPLOYEES_CHANGED, type WebhookEventInput };

/**
 * Writes an outbox row inside `trx`: src/webhooks/schedule.ts's `outboxEnqueue` (the outbox's
 * `enqueueWebhookEvent` in the snapshot's transaction); tests and the benchmark may pass a collector.
 */
export type EnqueueWebhookEvent = (
  trx: StoreTransaction,
  event: WebhookEventInput,
) => Promise<{ id: string }>;

export type PollOutcome =
  | { status: 'baseline'; records: number }
  | { status: 'unchanged'; records: number }
  | {
      status: 'changed';
      records: number;
      eventId: string;
      added: number;
      removed: number;
      updated: number;
    }
  /** The fetch failed (a partial list included): no diff, the last good snapshot kept. */
  | { status: 'failed'; error: unknown }
  /** Another poll of this connection committed first (this one wrote and sent nothing). */
  | { status: 'superseded' }
  | { status: 'skipped'; reason: 'unknown_connection' | 'not_active' | 'disconnected' | 'unsupported' };

/** The `changes` entry of one updated employee. */
export interface EmployeeChange {
  id: string;
  fields: Record<string, { before: unknown; after: unknown }>;
}

/** Vault failures that mean "this snapshot cannot be trusted": start again from a baseline. Others (KMS down) fail. */
const UNREADABLE = new Set([
  'malformed',
  'unsupported_version',
  'wrong_context',
  'tampered',
  'shredded',
  'unknown_key',
]);

export async function pollConnection(
  services: Services,
  connectionId: string,
  { enqueue }: { enqueue: EnqueueWebhookEvent },
): Promise<PollOutcome> {
  const { store } = services;
  const status = await store.connections.status(connectionId);
  if (status === undefined) return { status: 'skipped', reason: 'unknown_connection' };
  if (status === 'disconnected') return { status: 'skipped', reason: 'disconnected' };
  if (status !== 'active') return { status: 'skipped', reason: 'not_active' };
  const connection = await store.connections.find(connectionId);
  if (!connection) return { status: 'skipped', reason: 'unknown_connection' };
  const provider = services.providers.find(connection.provider);
  if (!provider?.resources[connection.mode]?.includes(RESOURCE))
    return { status: 'skipped', reason: 'unsupported' };

  try {
    const row = await store.webhookSnapshots.read(connectionId, RESOURCE);
    let fetched: Fetched;
    try {
      fetched = await fetchLive(services, connection, provider);
    } catch (error) {
      if (error instanceof ConnectionGoneError) throw error;
      return { status: 'failed', error };
    }
    const fresh = fetched.records;
    const previous = row ? await openSnapshot(services, connectionId, row.sealed) : undefined;

    const commit = async (beside?: (trx: StoreTransaction) => Promise<void>) => {
      const plain = encodeSnapshot(
        fresh.map((r) => ({
          id: r.id,
          plain: r.plain,
          canon: r.canon as string,
          start: r.start,
          length: r.length,
        })),
        fetched.body,
      );
      // Sealed before the transaction opens: the vault may read the store itself.
      const sealed = await services.vault.sealLabelled(connectionId, 'snapshot', RESOURCE, plain);
      return store.webhookSnapshots.replace(
        connectionId,
        RESOURCE,
        row?.version ?? null,
        { sealed, records: fresh.length, takenAt: Date.now() },
        beside,
      );
    };

    if (!previous) {
      classify(new Map(), fresh);
      return (await commit()) ? { status: 'baseline', records: fresh.length } : { status: 'superseded' };
    }

    const { added, removed, updated } = classify(previous.index, fresh);
    if (added.length + removed.length + updated.length === 0) {
      // Same records; a provider that reordered keys gets its new plain hashes remembered (no event).
      const moved = fresh.some((r) => previous.index.get(r.id)?.plain !== r.plain);
      if (moved && !(await commit())) return { status: 'superseded' };
      return { status: 'unchanged', records: fresh.length };
    }

    const byId = new Map(fresh.map((r) => [r.id, r]));
    const beforeIds = [...updated, ...removed];
    const beforeJson = await previous.jsonAt(beforeIds.map((id) => previous.index.get(id)?.at ?? -1));
    const before = new Map(beforeIds.map((id, i) => [id, JSON.parse(beforeJson[i] as string) as unknown]));
    const after = (id: string) => byId.get(id)?.value;
    const changes: EmployeeChange[] = updated.map((id) => ({
      id,
      fields: fieldChanges(before.get(id), after(id)),
    }));
    const body = {
      connection: { id: connection.id, provider: connection.provider, mode: connection.mode },
      added: added.map(after),
      removed: removed.map((id) => before.get(id)),
      updated: updated.map(after),
      changes,
    };
    let eventId = '';
    const committed = await commit(async (trx) => {
      ({ id: eventId } = await enqueue(trx, {
        type: EMPLOYEES_CHANGED,
        clientId: connection.clientId,
        connectionId,
        body,
      }));
    });
    if (!committed) return { status: 'superseded' };
    return {
      status: 'changed',
      records: fresh.length,
      eventId,
      added: added.length,
      removed: removed.length,
      updated: updated.length,
    };
  } catch (error) {
    if (error instanceof ConnectionGoneError) return { status: 'skipped', reason: 'disconnected' };
    throw error;
  }
}

/** A fetch's records, and its list as the brotli of a JSON array (the records' JSON at their byte ranges). */
interface Fetched {
  records: Fresh[];
  body: Buffer;
}

type Fresh = FreshRecord & ByteRange;

/**
 * Each element's JSON, made once: hashed here and handed on as the list's body (the cached answer and the
 * snapshot). Records without a string id, or repeating one, are left out of the diff (not of the body).
 */
class RecordCollector {
  readonly records: Fresh[] = [];
  private readonly seen = new Set<string>();
  /** Where the next element starts in `[t0,t1,…]`. */
  private at = 1;

  /** Forgets everything taken: the list starts again (`FetchSink.restart`). */
  reset(): void {
    this.records.length = 0;
    this.seen.clear();
    this.at = 1;
  }

  /**
   * `items`' JSON (`given[i]` when the adapter held it: exactly `JSON.stringify(items[i])`, see
   * `ListSink.pushWithJson`), each text hashed and its place in the body noted. The hash is of the text, so it is the
   * same whether the adapter handed the text or the fetch path made it.
   */
  take(items: readonly unknown[], given?: readonly (string | undefined)[]): string[] {
    const texts = new Array<string>(items.length);
    for (let i = 0; i < items.length; i++) {
      const value = items[i];
      const json = given?.[i] ?? JSON.stringify(value) ?? 'null';
      texts[i] = json;
      const start = this.at;
      const length = Buffer.byteLength(json);
      this.at += length + 1;
      const id = (value as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || this.seen.has(id)) continue;
      this.seen.add(id);
      this.records.push({ id, plain: shortHash(json), value, start, length });
    }
    return texts;
  }
}

/**
 * Every employee, live, through the API's fetch path (which refreshes the cached answer). Throws when the fetch
 * fails. Completeness is the adapters' (a page that ends a list early, a walk that disagrees with the provider's
 * total: they refuse it, or walk again, with `bad_response`), as for API reads; employees pushed before a failure
 * are dropped with it. Each employee is serialized once (`RecordCollector`): the same JSON is hashed, becomes the
 * cached body, and that body's brotli is the snapshot's.
 */
async function fetchLive(services: Services, connection: Connection, provider: Provider): Promise<Fetched> {
  const collector = new RecordCollector();
  let ran = false;
  const { value: outcome, offTotal } = await watchShortLists(() =>
    services.jobs.resolve(
      cacheKey(connection.id, RESOURCE),
      { connectionId: connection.id, resource: RESOURCE },
      async (sink, signal) => {
        ran = true;
        const adapter = await makeAdapter(services, provider, connection, 'employees', signal);
        const rest = await fetchEmployees(adapter, undefined, {
          expect: (total) => sink.expect?.(total),
          push: (items) => sink.pushJson(collector.take(items)),
          pushWithJson: (items, texts) => sink.pushJson(collector.take(items, texts)),
          restart: () => {
            collector.reset();
            sink.restart();
          },
        });
        sink.pushJson(collector.take(rest));
        return [];
      },
      { waitMs: Number.POSITIVE_INFINITY, refresh: true },
    ),
  );
  // A list the provider consistently answered short of its own total is served to API reads, but not diffed:
  // its missing records would read as removals.
  if (offTotal)
    throw new ProviderError('bad_response', 'the provider answered fewer or more records than it announced');
  if (outcome.kind !== 'ready') throw new Error('a fetch waited on without limit came back pending');
  if (ran) return { records: collector.records, body: outcome.entry.br };
  // Joined a fetch someone else started: read what it cached, and compress the list again as this poll read it.
  const list = JSON.parse((await outcome.entry.bytes('identity')).toString('utf8')) as unknown[];
  const joined = new RecordCollector();
  const texts = joined.take(list);
  return { records: joined.records, body: await compressList(texts, services.config.REFRESH_BROTLI_QUALITY) };
}

async function openSnapshot(
  services: Services,
  connectionId: string,
  sealed: Buffer,
): Promise<OpenedSnapshot | undefined> {
  try {
    const plain = await services.vault.openLabelled(connectionId, 'snapshot', RESOURCE, sealed);
    return plain ? decodeSnapshot(plain) : undefined;
  } catch (err) {
    if (err instanceof SnapshotFormatError || err instanceof SyntaxError) return undefined;
    if (isVaultError(err) && UNREADABLE.has(err.code)) return undefined;
    throw err;
  }
}
