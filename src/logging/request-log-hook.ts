/**
 * One log line and one `request_log` row per request, written when the response is finished: request id, time,
 * method, path (secret query values redacted), status, latency, and the client, connection and provider the
 * request acted for. Never headers or bodies. The line replaces Fastify's two default request lines.
 * `REQUEST_LOG=stdout` keeps only the line, `off` neither (docs/operations.md, "Request logs").
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { requestLineLogger } from './logger.js';
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
  }
}

/** `REQUEST_LOG`: db = rows and the log line; stdout = the log line only; off = neither. */
export type RequestLogMode = 'db' | 'stdout' | 'off';

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
  if (mode === 'off') return writer;
  if (mode === 'db') writer.start();
  // Fastify's no-op logger (no logger configured) has no line logger, and logs nothing.
  const line = requestLineLogger(app.log);
  // A plain (not async) hook, as the metrics' one: it runs after every response.
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    try {
      logResponse(req, reply);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
  function logResponse(req: FastifyRequest, reply: FastifyReply): void {
    const auth = req.auth;
    const ctx = req.logContext;
    const clientId = ctx?.clientId ?? auth?.client_id ?? null;
    const connectionId = ctx?.connectionId ?? auth?.sub ?? null;
    const provider = ctx?.provider ?? auth?.provider ?? null;
    const path = scrubPath(req.url);
    const latencyMs = Math.round(reply.elapsedTime * 100) / 100;
    if (mode === 'db')
      writer.push({
        id: req.id,
        createdAt: Date.now(),
        method: req.method,
        path,
        status: reply.statusCode,
        latencyMs,
        clientId,
        connectionId,
        provider,
      });
    if (line?.isLevelEnabled('info')) {
      line.info(
        {
          reqId: req.id,
          method: req.method,
          path,
          status: reply.statusCode,
          ms: latencyMs,
          ip: req.ip,
          clientId,
          connectionId,
          provider,
        },
        'request',
      );
    }
  }
  app.addHook('onClose', async () => {
    await writer.close();
  });
  return writer;
}
