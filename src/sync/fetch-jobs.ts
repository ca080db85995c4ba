/**
 * Fetch jobs on a cache miss. Concurrent misses for one key share one job; the request waits up to `waitMs` and
 * then gets `pending` (→ 202 + Retry-After) while the job runs on. Only complete results are cached. A failure that
 * nobody was waiting for is kept briefly so the client's retry receives the error instead of another 202.
 * Disconnecting a connection aborts its jobs on this node (`abortConnection`): the provider calls get the abort
 * signal, and whatever a job still returns is not cached (the store refuses it too, on every node).
 */
import type { ListSink } from '../providers/types.js';
import { ConnectionGoneError } from '../store/errors.js';
import { DEFAULT_REFRESH_BROTLI_QUALITY } from '../config.js';
import type { CachedResponse, ResponseCache } from './response-cache.js';

/**
 * Where a fetch job's list goes as it arrives: elements (`push`), or elements the producer has already serialized
 * (`pushJson`, each text `JSON.stringify` of one element: a webhook poll hashes each record's JSON, and the cached
 * body reuses it instead of serializing the list again). Both may be mixed; order is kept.
 */
export interface FetchSink extends ListSink<unknown> {
  pushJson(texts: readonly string[]): void;
  /** Elements with the JSON texts their adapter held (`ListSink.pushWithJson`): the texts are encoded as they are. */
  pushWithJson(items: readonly unknown[], texts: readonly (string | undefined)[]): void;
  /** What was pushed is dropped (its encoder with it) and the list starts again. */
  restart(): void;
}

/** `texts[i]`, or `items[i]` serialized as an array element (undefined → `null`) where no text was given. */
export function jsonTexts(items: readonly unknown[], texts: readonly (string | undefined)[]): string[] {
  const out = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) out[i] = texts[i] ?? JSON.stringify(items[i]) ?? 'null';
  return out;
}

/**
 * Makes the value to cache. A list may instead be pushed into `sink` as it arrives (encoded on the way) and the
 * rest returned as an array. `signal` aborts when the connection is disconnected: hand it to the adapter.
 */
export type Produce = (sink: FetchSink, signal: AbortSignal) => Promise<unknown>;

interface RunningJob {
  promise: Promise<CachedResponse>;
  connectionId: string;
  controller: AbortController;
}

export type JobOutcome = { kind: 'ready'; entry: CachedResponse } | { kind: 'pending' };

const FAILURE_KEEP_MS = 60_000;

/** Told whether each lookup was served from the cache (this node's memory or the shared store) or missed. */
export interface CacheLookupSink {
  cacheLookup(resource: string, hit: boolean): void;
}

export class FetchJobs {
  private readonly running = new Map<string, RunningJob>();
  private readonly failures = new Map<string, { error: unknown; until: number }>();
  private waitingRequests = 0;

  constructor(
    private readonly cache: ResponseCache,
    private readonly waitMs: number,
    private readonly metrics?: CacheLookupSink,
    /** `REFRESH_BROTLI_QUALITY`: the most a refreshed entry's list is compressed with. */
    private readonly refreshQuality = DEFAULT_REFRESH_BROTLI_QUALITY,
  ) {}

  /** Fetches running now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Requests waiting now for a fetch to finish (theirs or one they share). */
  get waiting(): number {
    return this.waitingRequests;
  }

  async resolve(
    key: string,
    meta: { connectionId: string; resource: string },
    produce: Produce,
    options: { waitMs?: number; refresh?: boolean } = {},
  ): Promise<JobOutcome> {
    // `refresh` (a webhook poll): a live fetch whatever the cache holds, joining one already running; its result
    // replaces the cached answer, which stays in place if the fetch fails. Nobody waits for a refreshed entry, and
    // one is made on every poll: its list is compressed at `refreshQuality` (REFRESH_BROTLI_QUALITY) at most.
    if (!options.refresh) {
      const hit = this.cache.peek(key) ?? (await this.cache.get(key));
      this.metrics?.cacheLookup(meta.resource, hit !== undefined);
      if (hit) return { kind: 'ready', entry: hit };
    }

    const failed = this.failures.get(key);
    if (failed) {
      this.failures.delete(key);
      if (failed.until > Date.now() && !options.refresh) throw failed.error;
    }

    const job = this.running.get(key)?.promise ?? this.start(key, meta, produce, options.refresh === true);
    const wait = options.waitMs ?? this.waitMs;
    let timer: NodeJS.Timeout | undefined;
    // An infinite wait (routes without a 202 in the contract) simply awaits the job.
    const waiting: Promise<CachedResponse | 'pending'> = Number.isFinite(wait)
      ? Promise.race([
          job,
          new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), wait))),
        ])
      : job;
    this.waitingRequests++;
    try {
      const result = await waiting;
      return result === 'pending' ? { kind: 'pending' } : { kind: 'ready', entry: result };
    } catch (error) {
      // This request delivers the failure itself; nothing to keep for a retry.
      this.failures.delete(key);
      throw error;
    } finally {
      this.waitingRequests--;
      clearTimeout(timer);
    }
  }

  /**
   * Aborts this node's running jobs of a connection (disconnect): their provider calls see the abort, their results
   * are dropped, and whoever waits on them gets `ConnectionGoneError`. Returns how many were running.
   */
  abortConnection(connectionId: string): number {
    let aborted = 0;
    for (const [key, job] of this.running) {
      if (job.connectionId !== connectionId) continue;
      job.controller.abort(new ConnectionGoneError(connectionId));
      this.running.delete(key);
      aborted++;
    }
    for (const key of this.failures.keys()) if (key.startsWith(`${connectionId}|`)) this.failures.delete(key);
    return aborted;
  }

  private start(
    key: string,
    meta: { connectionId: string; resource: string },
    produce: Produce,
    refresh: boolean,
  ): Promise<CachedResponse> {
    const controller = new AbortController();
    const { signal } = controller;
    const job = (async () => {
      const quality = refresh ? this.refreshQuality : undefined;
      let list = this.cache.listEncoder(quality);
      let streamed = false;
      try {
        const value = await produce(
          {
            expect: (total) => list.expect(total),
            push: (items) => {
              signal.throwIfAborted();
              streamed = true;
              list.add(items);
            },
            pushJson: (texts) => {
              signal.throwIfAborted();
              streamed = true;
              list.addJson(texts);
            },
            pushWithJson: (items, texts) => {
              signal.throwIfAborted();
              streamed = true;
              list.addJson(jsonTexts(items, texts));
            },
            restart: () => {
              signal.throwIfAborted();
              list.abort();
              list = this.cache.listEncoder(quality);
              streamed = false;
            },
          },
          signal,
        );
        // An adapter that ignored the abort still finishes: its result belongs to a connection that is gone.
        signal.throwIfAborted();
        let entry: CachedResponse;
        if (!streamed) {
          list.abort();
          entry = await this.cache.put(key, meta.connectionId, meta.resource, value);
        } else {
          if (!Array.isArray(value))
            throw new Error(`${meta.resource}: a list pushed in parts must end with an array`);
          list.add(value);
          entry = await this.cache.putEncoded(key, meta.connectionId, meta.resource, await list.end());
        }
        if (signal.aborted) {
          // Written just before the disconnect, which deletes it from the store: this node's memory forgets it too.
          this.cache.forget(key);
          signal.throwIfAborted();
        }
        return entry;
      } catch (err) {
        // Only complete results are cached: a walk that failed half way leaves nothing behind.
        list.abort();
        throw err;
      }
    })();
    this.running.set(key, { promise: job, connectionId: meta.connectionId, controller });
    const finished = () => {
      if (this.running.get(key)?.promise === job) this.running.delete(key);
    };
    job.then(finished, (error: unknown) => {
      finished();
      if (!signal.aborted) this.failures.set(key, { error, until: Date.now() + FAILURE_KEEP_MS });
    });
    return job;
  }
}
