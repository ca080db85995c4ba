/**
 * Fastify's per-request logger, made only when the request logs something. Fastify makes a pino child (bindings:
 * the request id) for every request; most requests never use it (their one line comes from the request-line logger,
 * see request-log-hook.ts), and making it costs about 8 µs a request (docs/benchmarks.md, item 5). The first call
 * makes the real child, with the same bindings and options, so what is written is unchanged.
 */
import type { FastifyBaseLogger } from 'fastify';
import pino, { type Bindings, type ChildLoggerOptions, type LogFn } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const value = (level: string) => pino.levels.values[level] ?? Number.POSITIVE_INFINITY;

export class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  readonly fatal = this.forward('fatal');
  readonly error = this.forward('error');
  readonly warn = this.forward('warn');
  readonly info = this.forward('info');
  readonly debug = this.forward('debug');
  readonly trace = this.forward('trace');
  readonly silent = this.forward('silent');

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  private forward(level: Level): LogFn {
    // LogFn's overloads all take (object or message, ...rest); the real child's method checks them.
    return ((...args: Parameters<LogFn>) => {
      // Below the level nothing is written: no child is made for it.
      if (value(level) < value(this.level)) return;
      this.real[level](...args);
    }) as LogFn;
  }
}

/** Fastify's `childLoggerFactory` with a lazy child. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}
