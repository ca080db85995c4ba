/**
 * Fetch jobs on a cache miss. Concurrent misses for one key share one job; the request waits up to `waitMs` and
 * then gets `pending` (→ 202 + Retry-After) while the job runs on. Only complete results are cached. A failure that
 * nobody was waiting for is kept briefly so the client's retry receives the error instead of another 202.
 */
import type { CachedResponse, ResponseCache } from './response-cache.js';

export type JobOutcome = { kind: 'ready'; entry: CachedResponse } | { kind: 'pending' };

const FAILURE_KEEP_MS = 60_000;

export class FetchJobs {
  private readonly running = new Map<string, Promise<CachedResponse>>();
  private readonly failures = new Map<string, { error: unknown; until: number }>();

  constructor(
    private readonly cache: ResponseCache,
    private readonly waitMs: number,
  ) {}

  get inFlight(): number {
    return this.running.size;
  }

  async resolve(
    key: string,
    meta: { connectionId: string; resource: string },
    produce: () => Promise<unknown>,
    options: { waitMs?: number } = {},
  ): Promise<JobOutcome> {
    const hit = this.cache.peek(key) ?? (await this.cache.get(key));
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
    try {
      const result = await waiting;
      return result === 'pending' ? { kind: 'pending' } : { kind: 'ready', entry: result };
    } catch (error) {
      // This request delivers the failure itself; nothing to keep for a retry.
      this.failures.delete(key);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private start(
    key: string,
    meta: { connectionId: string; resource: string },
    produce: () => Promise<unknown>,
  ): Promise<CachedResponse> {
    const job = (async () => {
      const value = await produce();
      return this.cache.put(key, meta.connectionId, meta.resource, value);
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
