/**
 * Fetch jobs on a cache miss. Concurrent misses for one key share one job; the request waits up to `waitMs` and
 * then gets `pending` (→ 202 + Retry-After) while the job runs on. Only complete results are cached. A failure that
 * nobody was waiting for is kept briefly so the client's retry receives the error instead of another 202.
 */
import type { ListSink } from '../providers/types.js';
import type { CachedResponse, ResponseCache } from './response-cache.js';

/**
 * Makes the value to cache. A list may instead be pushed into `sink` as it arrives (encoded on the way) and the
 * rest returned as an array.
 */
export type Produce = (sink: ListSink<unknown>) => Promise<unknown>;

export type JobOutcome = { kind: 'ready'; entry: CachedResponse } | { kind: 'pending' };

const FAILURE_KEEP_MS = 60_000;

/** Told whether each lookup was served from the cache (this node's memory or the shared store) or missed. */
export interface CacheLookupSink {
  cacheLookup(resource: string, hit: boolean): void;
}

export class FetchJobs {
  private readonly running = new Map<string, Promise<CachedResponse>>();
  private readonly failures = new Map<string, { error: unknown; until: number }>();
  private waitingRequests = 0;

  constructor(
    private readonly cache: ResponseCache,
    private readonly waitMs: number,
    private readonly metrics?: CacheLookupSink,
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
    options: { waitMs?: number } = {},
  ): Promise<JobOutcome> {
    const hit = this.cache.peek(key) ?? (await this.cache.get(key));
    this.metrics?.cacheLookup(meta.resource, hit !== undefined);
    if (hit) return { kind: 'ready', entry: hit };

    const failed = this.failures.get(key);
    if (failed) {
      this.failures.delete(key);
      if (failed.until > Date.now()) throw failed.error;
    }

    let job = this.running.get(key);
    if (!job) {
      job = this.start(key, meta, produce);
    }
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

  private start(
    key: string,
    meta: { connectionId: string; resource: string },
    produce: Produce,
  ): Promise<CachedResponse> {
    const job = (async () => {
      const list = this.cache.listEncoder();
      let streamed = false;
      try {
        const value = await produce({
          expect: (total) => list.expect(total),
          push: (items) => {
            streamed = true;
            list.add(items);
          },
        });
        if (!streamed) {
          list.abort();
          return await this.cache.put(key, meta.connectionId, meta.resource, value);
        }
        if (!Array.isArray(value))
          throw new Error(`${meta.resource}: a list pushed in parts must end with an array`);
        list.add(value);
        return await this.cache.putEncoded(key, meta.connectionId, meta.resource, await list.end());
      } catch (err) {
        // Only complete results are cached: a walk that failed half way leaves nothing behind.
        list.abort();
        throw err;
      }
    })();
    this.running.set(key, job);
    job.then(
      () => this.running.delete(key),
      (error: unknown) => {
        this.running.delete(key);
        this.failures.set(key, { error, until: Date.now() + FAILURE_KEEP_MS });
      },
    );
    return job;
  }
}
