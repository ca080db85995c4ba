/**
 * The retention job: deletes what the published promises say must not outlive its time, on a timer in every
 * serving node (the deletes are idempotent, so several nodes may run it).
 *
 * | data            | kept at most                         | setting (may only shorten it) |
 * |-----------------|--------------------------------------|-------------------------------|
 * | request logs    | 14 days, and `REQUEST_LOG_MAX_ROWS`  | `LOG_RETENTION`               |
 * | screenshots     | 5 days                               | `SCREENSHOT_RETENTION`        |
 * | cached responses| their TTL, and never beyond 14 days  | `CACHE_TTL`                   |
 *
 * Screenshots live as (sealed) files under `$DATA_DIR/screenshots/`; their age is the file's mtime. Other
 * stores add a sweeper with `addSweeper` (e.g. a future snapshots table).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Config, MAX_LOG_RETENTION_MS, MAX_SCREENSHOT_RETENTION_MS } from '../config.js';
import type { Store } from '../store/db.js';

/** Cached data never outlives this, whatever TTL it was written with. */
export const MAX_CACHE_AGE_MS = 14 * 86_400_000;

export interface RetentionPolicy {
  logsMs: number;
  /** The newest this many request-log rows are kept; older ones go first. No cap when absent. */
  logsMaxRows?: number;
  screenshotsMs: number;
  cacheMaxAgeMs: number;
}

export type RetentionReport = Record<string, number>;

/** A named deletion: removes everything created before `cutoff` (epoch ms); returns how many items went. */
export interface Sweeper {
  name: string;
  maxAgeMs: number;
  sweep(cutoff: number, now: number): Promise<number>;
}

/** The policy from config, clamped to the promises (config.ts already refuses longer values). */
export function retentionPolicy(
  config: Pick<Config, 'logRetentionMs' | 'screenshotRetentionMs' | 'cacheTtlMs'> &
    Partial<Pick<Config, 'REQUEST_LOG_MAX_ROWS'>>,
): RetentionPolicy {
  return {
    logsMs: Math.min(config.logRetentionMs, MAX_LOG_RETENTION_MS),
    ...(config.REQUEST_LOG_MAX_ROWS === undefined ? {} : { logsMaxRows: config.REQUEST_LOG_MAX_ROWS }),
    screenshotsMs: Math.min(config.screenshotRetentionMs, MAX_SCREENSHOT_RETENTION_MS),
    cacheMaxAgeMs: MAX_CACHE_AGE_MS,
  };
}

export function screenshotsDir(dataDir: string): string {
  return path.join(dataDir, 'screenshots');
}

/** Deletes files under `dir` (recursively) whose mtime is before `cutoff`. A missing directory is empty. */
export async function sweepFiles(dir: string, cutoff: number): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += await sweepFiles(full, cutoff);
    } else if (entry.isFile()) {
      const { mtimeMs } = await fs.stat(full);
      if (mtimeMs < cutoff) {
        await fs.rm(full, { force: true });
        removed++;
      }
    }
  }
  return removed;
}

export class RetentionJob {
  private readonly sweepers: Sweeper[] = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | undefined;

  constructor(
    store: Store,
    readonly policy: RetentionPolicy,
    options: { dataDir?: string; now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
    this.addSweeper({
      name: 'request_logs',
      maxAgeMs: policy.logsMs,
      // Age first, then the size cap on what is left, oldest rows first.
      sweep: async (cutoff) =>
        (await store.requestLogs.deleteBefore(cutoff)) +
        (policy.logsMaxRows === undefined ? 0 : await store.requestLogs.deleteBeyond(policy.logsMaxRows)),
    });
    this.addSweeper({
      name: 'cache_entries',
      maxAgeMs: policy.cacheMaxAgeMs,
      // Expired by TTL now, or older than the 14-day ceiling.
      sweep: (_cutoff, now) => store.cache.deleteExpired(now, policy.cacheMaxAgeMs),
    });
    if (options.dataDir) {
      const dir = screenshotsDir(options.dataDir);
      this.addSweeper({
        name: 'screenshots',
        maxAgeMs: policy.screenshotsMs,
        sweep: (cutoff) => sweepFiles(dir, cutoff),
      });
    }
  }

  private readonly now: () => number;

  addSweeper(sweeper: Sweeper): void {
    this.sweepers.push(sweeper);
  }

  /** One pass over every sweeper; a failing sweeper does not stop the others (it is rethrown at the end). */
  run(): Promise<RetentionReport> {
    if (this.running) return this.running;
    this.running = (async () => {
      const now = this.now();
      const report: RetentionReport = {};
      const failures: unknown[] = [];
      for (const s of this.sweepers) {
        try {
          report[s.name] = await s.sweep(now - s.maxAgeMs, now);
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length > 0) throw new AggregateError(failures, 'retention: some sweepers failed');
      return report;
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  start(intervalMs: number, onResult: (report: RetentionReport | Error) => void = () => {}): void {
    if (this.timer) return;
    const tick = () =>
      void this.run().then(onResult, (err: unknown) =>
        onResult(err instanceof Error ? err : new Error(String(err))),
      );
    tick();
    this.timer = setInterval(tick, Math.max(1000, intervalMs));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
