/**
 * The process logger: pino with `redact` paths for known secret places, a key-name scrubber over the merged object
 * (formatters.log), narrow req/res/err serializers, and the value scrubber (scrub.ts) over every finished line
 * (hooks.streamWrite): `Bearer …`, `Basic …`, JWT signatures, secret query parameters.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config.js';
import { REDACTED, scrubDeep, scrubPath, scrubString } from './scrub.js';

const SECRET_FIELDS = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  'password',
  'client_secret',
  'code_verifier',
  'access_token',
  'refresh_token',
];

/** Each secret field at the top level and up to three levels down, plus the header places Fastify uses. */
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.flatMap((f) => {
    const seg = f.startsWith('[') ? f : `.${f}`;
    return [`*${seg}`, `*.*${seg}`, `*.*.*${seg}`];
  }),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

interface RequestLike {
  id?: string;
  method?: string;
  url?: string;
}

interface ResponseLike {
  statusCode?: number;
}

/** Requests are logged as id, method and scrubbed path only: never headers or bodies. */
function serializeReq(req: RequestLike): Record<string, unknown> {
  return {
    id: req.id,
    method: req.method,
    url: typeof req.url === 'string' ? scrubPath(req.url) : undefined,
  };
}

function serializeRes(res: ResponseLike): Record<string, unknown> {
  return { statusCode: res.statusCode };
}

function serializeErr(err: unknown): unknown {
  if (!(err instanceof Error)) return scrubDeep(err);
  const plain = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  // Errors from HTTP clients carry request options (headers, bodies); keep only what helps debugging.
  const { type, message, stack, code, statusCode, kind } = plain as Record<string, unknown>;
  return scrubDeep({ type, message, stack, code, statusCode, kind });
}

export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>): LoggerOptions {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: { req: serializeReq, res: serializeRes, err: serializeErr, error: serializeErr },
    formatters: {
      log: (object) => scrubDeep(object) as Record<string, unknown>,
    },
    hooks: {
      // The last pass, over the finished line: catches child bindings (pino resets the bindings formatter for
      // children), messages and anything a serializer let through.
      streamWrite: (line) => scrubString(line),
    },
  };
}

/** The one logger of a process. `destination` is for tests (capture every byte written). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  return pino(loggerOptions(config), destination ?? bufferedStdout());
}

/** Bytes of lines gathered before one write to stdout. */
export const LOG_BATCH_BYTES = 4096;
/** The longest a line waits in the batch. */
export const LOG_FLUSH_MS = 200;

/**
 * stdout written in batches of `LOG_BATCH_BYTES` (a busy node writes a request line per request: one write each
 * would be a system call per request, docs/benchmarks.md "P4, fast path"), and at least every `LOG_FLUSH_MS`.
 * One stream for the process logger and the request lines (`requestLineLogger`), so lines keep their order.
 * pino's destination writes what is left synchronously when the process exits, also on an uncaught error
 * (src/logging/logger.test.ts runs both).
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES });
  const timer = setInterval(() => stream.flush(), LOG_FLUSH_MS);
  timer.unref();
  stream.on('close', () => clearInterval(timer));
  return stream;
}

/**
 * The logger of the request line (one per request): the same destination and level as `logger`, without the
 * `redact` paths and the key-name scrubber, which find nothing in that line (its fields are flat and set by
 * request-log-hook.ts: method, scrubbed path, status, latency, IP, our own ids) but cost more than the rest of a
 * warm request (docs/benchmarks.md, P4). The value scrubber still passes over the finished line. Undefined for a
 * logger that is not pino (Fastify's no-op logger).
 */
export function requestLineLogger(logger: object): Logger | undefined {
  const stream = (logger as Record<symbol, unknown>)[pino.symbols.streamSym] as DestinationStream | undefined;
  const level = (logger as { level?: unknown }).level;
  if (!stream || typeof level !== 'string') return undefined;
  return pino({ level, hooks: { streamWrite: (line) => scrubString(line) } }, stream);
}
