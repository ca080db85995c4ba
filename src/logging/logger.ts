/**
 * The process logger: pino with `redact` paths for known secret places, a key-name scrubber over the merged object
 * (formatters.log), narrow req/res/err serializers, and the value scrubber (scrub.ts) over every finished line
 * (hooks.streamWrite): `Bearer …`, `Basic …`, JWT signatures, secret query parameters.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Config } from '../config.js';
import { isRequestIdForm } from '../ids.js';
import { lastAnswer } from '../memo.js';
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

/** What each stdout batcher does when the process ends: one pair of process listeners for all of them. */
const atProcessEnd = new Set<{ beforeExit: () => void; exit: () => void }>();
process.on('beforeExit', () => {
  for (const batcher of atProcessEnd) batcher.beforeExit();
});
process.on('exit', () => {
  for (const batcher of atProcessEnd) batcher.exit();
});

/**
 * stdout written in batches of `LOG_BATCH_BYTES` (a busy node writes a request line per request: one write each
 * would be a system call per request, docs/benchmarks.md "P4, fast path"), and at least every `LOG_FLUSH_MS`.
 * One stream for the process logger and the request lines (`requestLineLogger`), so lines keep their order.
 * The lines are gathered here and handed to pino's destination (sonic-boom) a batch at a time: sonic-boom measures
 * the UTF-8 length of what it already holds on every write, which for one line at a time cost more than building
 * the line (docs/benchmarks.md, "P4, fourth pass"). What is left when the process ends is written synchronously,
 * also on `process.exit` and an uncaught error (src/logging/logger.test.ts runs all three).
 */
function bufferedStdout(): DestinationStream {
  const sonic = pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES });
  let pending = '';
  const pass = () => {
    if (pending === '') return;
    const lines = pending;
    pending = '';
    sonic.write(lines);
  };
  const stream = {
    write(line: string) {
      pending += line;
      if (pending.length >= LOG_BATCH_BYTES) pass();
    },
    flush(cb?: (err?: Error) => void) {
      pass();
      sonic.flush(cb);
    },
    flushSync() {
      pass();
      sonic.flushSync();
    },
    end() {
      pass();
      sonic.end();
    },
  };
  const timer = setInterval(() => {
    pass();
    sonic.flush();
  }, LOG_FLUSH_MS);
  timer.unref();
  sonic.on('close', () => clearInterval(timer));
  // pino's destination writes what it holds when the process ends (asynchronously before a normal exit,
  // synchronously on exit); the lines still gathered here are handed to it then.
  atProcessEnd.add({
    beforeExit: pass,
    exit: () => {
      if (pending === '') return;
      pass();
      try {
        sonic.flushSync();
      } catch {
        // Closed or not open: nothing more can be written.
      }
    },
  });
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

/** The fields of a request line, in the order they are written. */
export interface RequestLineFields {
  reqId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  ip: string;
  clientId: string | null;
  connectionId: string | null;
  provider: string | null;
}

/** A request line writer: the line `requestLineLogger(logger).info(fields, 'request')` writes, byte for byte. */
export type RequestLineWriter = (fields: RequestLineFields) => void;

/**
 * The request line (`requestLineLogger`'s `info(fields, 'request')`) built as one string: pino's generic object walk
 * (a key loop, a serializer and stringifier lookup and a string escape per field) and the value scrubber over the
 * whole ~300-byte line cost more than the rest of a warm read's own work (docs/benchmarks.md, "P4, fourth pass").
 * The line is pino's, byte for byte (the test compares them): its level and time prefix, its bindings (pid,
 * hostname) and end come from the pino logger itself, strings are escaped as pino escapes them, and the scrubber
 * passes over every part. Scrubbing the parts is scrubbing the line: each part is a JSON string with its quotes, a
 * number or null, and none of the scrubber's patterns matches across a `"`. A part's scrubbed form is kept for the
 * next line (path, IP and ids mostly repeat). Undefined for a logger that is not pino; a stream that wants pino's
 * per-line metadata (a multistream) gets pino's own `info`.
 */
export function requestLineWriter(logger: object): RequestLineWriter | undefined {
  const line = requestLineLogger(logger);
  if (!line) return undefined;
  const own = line as unknown as Record<symbol, unknown>;
  const stream = own[pino.symbols.streamSym] as DestinationStream & Record<symbol, unknown>;
  const level = line.levels.values.info ?? 30;
  if (stream[pino.symbols.needsMetadataGsym] === true) {
    return (f) => {
      if (line.isLevelEnabled('info')) line.info({ ...f }, 'request');
    };
  }
  const time = own[pino.symbols.timeSym] as () => string;
  const start = scrubString(String((own[pino.symbols.lsCacheSym] as Record<number, string>)[level]));
  // pino's default time (`,"time":` and the epoch milliseconds): nothing in it to scrub.
  const bindings = scrubString(String(own[pino.symbols.chindingsSym] ?? ''));
  const end = `,"msg":"request"${String(own[pino.symbols.endSym])}`;
  const part = () => lastAnswer((v: string | null) => (v === null ? 'null' : scrubString(pinoString(v))));
  const otherReqId = part();
  // A request id of ours (`req_` and base64url: no character pino escapes, nothing the scrubber looks for) is
  // written as it is; it changes on every line, so the kept answer of `part` would never be found.
  const reqId = (v: string) => (isRequestIdForm(v) ? `"${v}"` : otherReqId(v));
  const method = part();
  const path = part();
  const ip = part();
  const clientId = part();
  const connectionId = part();
  const provider = part();
  return (f) => {
    if (!line.isLevelEnabled('info')) return;
    stream.write(
      `${start}${time()}${bindings},"reqId":${reqId(f.reqId)},"method":${method(f.method)},"path":${path(f.path)},"status":${pinoNumber(f.status)},"ms":${pinoNumber(f.ms)},"ip":${ip(f.ip)},"clientId":${clientId(f.clientId)},"connectionId":${connectionId(f.connectionId)},"provider":${provider(f.provider)}${end}`,
    );
  };
}

/**
 * A number as pino writes it: as JavaScript prints it, `null` when not finite. A number of whole hundredths (the
 * request line's `ms`) is written from its integer hundredths: V8's shortest form of a fraction costs ~1,000
 * instructions, integers are cheap, and for such a number the shortest form that reads back as it is its two-decimal
 * form without trailing zeros (src/logging/logger.test.ts compares them).
 */
export function pinoNumber(n: number): string {
  const h = Math.round(n * 100);
  if (h >= 0 && h < 0x7fffffff && h / 100 === n) {
    const whole = Math.floor(h / 100);
    const cents = h - whole * 100;
    if (cents === 0) return String(whole);
    if (cents % 10 === 0) return `${whole}.${cents / 10}`;
    return `${whole}.${cents < 10 ? '0' : ''}${cents}`;
  }
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * A string as pino writes it (its `asString`): JSON.stringify for strings over 100 characters or with a control
 * character, else quoted with only `"` and `\` escaped.
 */
export function pinoString(str: string): string {
  if (str.length > 100) return JSON.stringify(str);
  let result = '';
  let last = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 32) return JSON.stringify(str);
    if (c === 34 || c === 92) {
      result += `${str.slice(last, i)}\\`;
      last = i;
    }
  }
  return `"${last === 0 && result === '' ? str : result + str.slice(last)}"`;
}
