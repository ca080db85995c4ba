/**
 * One log line and one `request_log` row per request, written when the response is finished: request id, time,
 * method, path (secret query values redacted), status, latency, and the client, connection and provider the
 * request acted for. Never headers or bodies. The line replaces Fastify's two default request lines.
 * `REQUEST_LOG=stdout` keeps only the line, `off` neither (docs/operations.md, "Request logs").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { lastAnswer } from '../memo.js';
import type { Services } from '../services.js';
import { requestLineWriter } from './logger.js';
import { RequestLogWriter } from './request-log-writer.js';
import { scrubPath } from './scrub.js';

/** Who a request acted for, when it was not a bearer token (e.g. Basic-authenticated management routes). */
export interface LogContext {
  clientId?: string;
  connectionId?: string;
  provider?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    logContext?: LogContext;
  }
  interface FastifyInstance {
    requestLog: RequestLogWriter;
    requestLogMode: RequestLogMode;
    /** Writes a finished request's line and row; the fast path (src/http/fast-path.ts) calls it too. */
    recordRequest: RecordRequest;
  }
}

/** `REQUEST_LOG`: db = rows and the log line; stdout = the log line only; off = neither. */
export type RequestLogMode = 'db' | 'stdout' | 'off';

/** What the line and the row of one finished request are made of. */
export interface RequestRecord {
  id: string;
  method: string;
  /** The request's URL, query included (scrubbed here). */
  url: string;
  status: number;
  /** From the request's arrival to its response, in milliseconds. */
  elapsedMs: number;
  ip: string;
  /** The bearer token's claims, when it had one. */
  auth: { client_id: string; sub: string; provider: string } | undefined;
  context: LogContext | undefined;
}

export type RecordRequest = (record: RequestRecord) => void;

/** For routes that authenticate a client themselves: record who the request was for. */
export function setLogContext(req: FastifyRequest, context: LogContext): void {
  req.logContext = { ...req.logContext, ...context };
}

export function registerRequestLog(
  app: FastifyInstance,
  services: Pick<Services, 'store'>,
  options: { writer?: RequestLogWriter; mode?: RequestLogMode } = {},
): RequestLogWriter {
  const mode = options.mode ?? 'db';
  const writer =
    options.writer ??
    new RequestLogWriter(services.store, {
      onError: (err) => app.log.warn({ err }, 'request log: batch insert failed; will retry'),
    });
  app.decorate('requestLog', writer);
  app.decorate('requestLogMode', mode);
  // Fastify's no-op logger (no logger configured) has no line logger, and logs nothing.
  const line = mode === 'off' ? undefined : requestLineWriter(app.log);
  // The last URL's answer is kept: a client mostly asks for one URL again and again.
  const scrubbedPath = lastAnswer(scrubPath);
  const record: RecordRequest = (r) => {
    const ctx = r.context;
    const auth = r.auth;
    const clientId = ctx?.clientId ?? auth?.client_id ?? null;
    const connectionId = ctx?.connectionId ?? auth?.sub ?? null;
    const provider = ctx?.provider ?? auth?.provider ?? null;
    const path = scrubbedPath(r.url);
    const latencyMs = Math.round(r.elapsedMs * 100) / 100;
    if (mode === 'db')
      writer.push({
        id: r.id,
        createdAt: Date.now(),
        method: r.method,
        path,
        status: r.status,
        latencyMs,
        clientId,
        connectionId,
        provider,
      });
    line?.({
      reqId: r.id,
      method: r.method,
      path,
      status: r.status,
      ms: latencyMs,
      ip: r.ip,
      clientId,
      connectionId,
      provider,
    });
  };
  app.decorate('recordRequest', mode === 'off' ? () => {} : record);
  if (mode === 'off') return writer;
  if (mode === 'db') writer.start();
  // A plain (not async) hook, as the metrics' one: it runs after every response.
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    try {
      record({
        id: req.id,
        method: req.method,
        url: req.url,
        status: reply.statusCode,
        elapsedMs: reply.elapsedTime,
        ip: req.ip,
        auth: req.auth,
        context: req.logContext,
      });
      done();
    } catch (err) {
      done(err as Error);
    }
  });
  app.addHook('onClose', async () => {
    await writer.close();
  });
  return writer;
}
