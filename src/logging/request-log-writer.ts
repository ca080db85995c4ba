/**
 * Buffers request-log rows and writes them in batches (every `intervalMs`, or as soon as `batchSize` rows wait),
 * so the hot path only pushes onto an array. If the database is down the buffer is bounded (`maxBuffered`); rows
 * beyond it are dropped and counted rather than growing memory without limit.
 *
 * The batch size is one insert's worth (`CHUNK`): a busy node writes each 100 rows as they are there, so a row
 * waits a few milliseconds, not the ~45 ms 500 rows took at P4's rate, and is collected with the young generation
 * instead of being copied into the old one (docs/benchmarks.md, "P4, sixth pass"); the inserts are the same.
 */
import type { Store } from '../store/db.js';
import type { RequestLogEntry } from '../store/request-logs.js';

export interface RequestLogWriterOptions {
  intervalMs?: number;
  batchSize?: number;
  maxBuffered?: number;
  onError?: (err: unknown) => void;
}

/** Rows per insert statement, and the default batch size. */
const CHUNK = 100;

/**
 * The rows of the next insert when `waiting` rows wait: 100, else a multiple of 10, else the rest, so inserts take
 * at most 19 shapes (each compiled and prepared once, src/store/request-logs.ts) and a partial batch at most two
 * statements; any count of rows made its own shape (up to 100, each compiled on first use: docs/benchmarks.md,
 * "P4, sixth pass").
 */
export function chunkOf(waiting: number): number {
  if (waiting >= CHUNK) return CHUNK;
  return waiting >= 10 ? waiting - (waiting % 10) : waiting;
}

export class RequestLogWriter {
  private buffer: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly maxBuffered: number;
  /** Rows dropped because the buffer was full (database unreachable for a long time). */
  dropped = 0;
  written = 0;

  constructor(
    private readonly store: Store,
    private readonly options: RequestLogWriterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.batchSize = options.batchSize ?? CHUNK;
    this.maxBuffered = options.maxBuffered ?? 50_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Queues a row; rows are written in the order they were pushed, which orders rows of one millisecond. */
  push(entry: RequestLogEntry): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped++;
      return;
    }
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchSize && !this.flushing) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes everything buffered so far; concurrent callers share one run. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = (async () => {
      try {
        while (this.buffer.length > 0) {
          const rows = this.buffer.slice(0, chunkOf(this.buffer.length));
          try {
            await this.store.requestLogs.insert(rows);
          } catch (err) {
            this.options.onError?.(err);
            return; // keep the rows; the next tick retries
          }
          this.buffer.splice(0, rows.length);
          this.written += rows.length;
        }
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
