/**
 * Each long-running node's change feed: twice a second, one look at what was revoked or disconnected lately
 * (`tokens.revoked_at`, `connections.disconnected_at` in the last `FEED_WINDOW_MS`, both indexed), which drops the
 * per-node copies those changes make wrong. While the feed is current (its last poll succeeded less than
 * `FEED_FRESH_MS` ago) a cached token status or connection row stays valid however old it is, so a connection read
 * every 10 s does not read its token's status and its row from the database on every request, as it did with their
 * own 1 s and 5 s lifetimes alone. Those lifetimes still apply whenever the feed is not current (it has not started,
 * the database does not answer it, one-shot commands that never start it), so nothing is ever trusted longer than
 * before without a poll that vouches for it.
 *
 * Why this keeps revocation prompt, across nodes and processes (SQLite with an `affix` command run beside the server,
 * PostgreSQL with several nodes, a cluster bus message lost): a change committed at time c is seen by the first
 * poll that starts after c (at most `FEED_INTERVAL_MS` later, plus the poll's own time), which drops the copies. A
 * read that began before c and stores its (stale) answer after that poll is dropped again by the next poll, because
 * every poll re-applies the whole window, not only what is new. So a revoked token or a disconnected connection is
 * refused on every node within about `FEED_FRESH_MS` (1 s), the bound the 1 s status lifetime gave before; the
 * cluster bus (src/cluster/bus.ts) still makes it immediate when its message arrives. The window (30 s) only has to
 * cover the time between a change's timestamp (the writer's clock) and its commit, and the clock skew between nodes.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/db.js';

/** Time between the end of one poll and the start of the next. */
export const FEED_INTERVAL_MS = 500;
/** How long after its last successful poll started the feed still vouches for cached copies. */
export const FEED_FRESH_MS = 1_000;
/** Every poll re-reads the changes stamped in this much time before the previous successful poll started. */
export const FEED_WINDOW_MS = 30_000;
/**
 * Rows one poll reads of each kind; a window with more (a mass revocation or disconnect) drops every cached status,
 * row and unwrapped data key the feed vouches for, since the changes past the rows read are not known.
 */
export const FEED_LIMIT = 10_000;

/** Shared by the feed and the caches it keeps valid: whether the feed vouches for cached copies right now. */
export class ChangeWatch {
  private okAt = Number.NEGATIVE_INFINITY;

  /** True when the last successful poll started less than `FEED_FRESH_MS` before `now`. */
  current(now = Date.now()): boolean {
    return now - this.okAt < FEED_FRESH_MS;
  }

  /** A poll that started at `startedAt` succeeded and its changes are applied. */
  polled(startedAt: number): void {
    this.okAt = startedAt;
  }
}

/** What the feed drops copies from. */
export interface FeedTargets {
  tokens: { forget(jti: string): void; forgetConnections(ids: ReadonlySet<string>): void; forgetAll(): void };
  connectionCache: { forget(id: string): void; clear(): void };
  /** Unwrapped data keys (the vault's), kept past their own lifetime while the feed vouches for them. */
  dataKeys: { forgetAll(): void };
  /** Once per disconnect seen: drop everything else this node holds for the connection (src/cluster/events.ts). */
  disconnected(connectionId: string): void | Promise<void>;
}

export class ChangeFeed {
  private lastOk: number | undefined;
  /** Disconnects already handed to `disconnected`, with when they were first seen. */
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private failing = false;

  constructor(
    private readonly store: Pick<Store, 'tokens' | 'connections'>,
    private readonly targets: FeedTargets,
    readonly watch: ChangeWatch,
    private readonly log: Pick<Logger, 'warn' | 'info'>,
    private readonly limit = FEED_LIMIT,
  ) {}

  /** One poll: reads the window's changes and applies them. Throws when the database does not answer. */
  async poll(): Promise<{ revoked: number; disconnected: number }> {
    const startedAt = Date.now();
    const since = (this.lastOk ?? startedAt) - FEED_WINDOW_MS;
    const [revoked, disconnected] = await Promise.all([
      this.store.tokens.revokedSince(since, this.limit),
      this.store.connections.disconnectedSince(since, this.limit),
    ]);
    if (revoked.length >= this.limit || disconnected.length >= this.limit) {
      this.targets.tokens.forgetAll();
      this.targets.connectionCache.clear();
      this.targets.dataKeys.forgetAll();
    }
    for (const r of revoked) this.targets.tokens.forget(r.jti);
    // One pass over the cached statuses for all the window's disconnects (re-applied at every poll for 30 s).
    this.targets.tokens.forgetConnections(new Set(disconnected));
    for (const id of disconnected) {
      this.targets.connectionCache.forget(id);
      if (!this.seen.has(id)) {
        this.seen.set(id, startedAt);
        await this.targets.disconnected(id);
      }
    }
    for (const [id, at] of this.seen) if (at < startedAt - 2 * FEED_WINDOW_MS) this.seen.delete(id);
    this.lastOk = startedAt;
    this.watch.polled(startedAt);
    return { revoked: revoked.length, disconnected: disconnected.length };
  }

  /** Polls every `FEED_INTERVAL_MS` until `stop`; a failed poll is logged once until one succeeds again. */
  start(): () => void {
    if (this.running) return () => this.stop();
    this.running = true;
    const tick = async () => {
      try {
        await this.poll();
        if (this.failing) this.log.info('change feed: polling again');
        this.failing = false;
      } catch (err) {
        if (!this.failing)
          this.log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'change feed: poll failed; cached token statuses and connection rows fall back to their 1 s and 5 s lifetimes',
          );
        this.failing = true;
      }
      if (this.running) this.timer = setTimeout(tick, FEED_INTERVAL_MS).unref();
    };
    void tick();
    return () => this.stop();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
