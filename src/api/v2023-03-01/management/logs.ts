/**
 * `GET /2023-03-01/management/logs`: the authenticated client's request log, newest first. Basic auth with
 * client_id and client_secret. Filters: status (`404` or `4xx`), path (prefix), connection, since/until (ISO 8601);
 * `limit` (1–1000, default 100) and `cursor` (from the previous page's `x-next-cursor` header). The body is a bare
 * array, like every Affix list. Rows are written in batches, so the last second of traffic may not be there yet;
 * with `REQUEST_LOG=stdout` or `off` the list is always empty.
 */
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireClient } from '../../../http/auth.js';
import { errors } from '../../../http/errors.js';
import type { Services } from '../../../services.js';
import type { RequestLogQuery } from '../../../store/request-logs.js';
import { MANAGEMENT_PATH } from './schemas.js';

export const LOGS_PATH = `${MANAGEMENT_PATH}/logs`;

const LogEntrySchema = Type.Object({
  id: Type.String({ description: 'request id (also the x-request-id response header)' }),
  time: Type.String({ description: 'ISO 8601 UTC, when the response finished' }),
  method: Type.String(),
  path: Type.String({ description: 'path and query, secret query values redacted' }),
  status: Type.Integer(),
  latency_ms: Type.Number(),
  client_id: Type.Union([Type.String(), Type.Null()]),
  connection_id: Type.Union([Type.String(), Type.Null()]),
  provider: Type.Union([Type.String(), Type.Null()]),
});

const QuerySchema = Type.Object({
  status: Type.Optional(Type.String({ pattern: '^([1-5][0-9][0-9]|[1-5]xx)$' })),
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  connection: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
});

function encodeCursor(createdAt: number, rowId: number): string {
  return Buffer.from(JSON.stringify([createdAt, rowId])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; rowId: number } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && Number.isSafeInteger(v[1])) {
      return { createdAt: v[0] as number, rowId: v[1] as number };
    }
  } catch {
    // fall through
  }
  throw errors.badRequest('cursor is not one this server issued');
}

export function registerLogsRoute(
  app: FastifyInstance,
  services: Pick<Services, 'store' | 'vault' | 'limiters'>,
): void {
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    LOGS_PATH,
    {
      schema: {
        summary: "The client's request log (newest first, kept 14 days or up to the operator's row cap)",
        tags: ['management'],
        security: [{ basic: [] }],
        querystring: QuerySchema,
        response: {
          200: Type.Array(LogEntrySchema),
          400: { $ref: 'BadRequest#' },
          401: { $ref: 'Message#' },
          429: { $ref: 'Message#' },
        },
      },
      preHandler: requireClient(services),
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      // With REQUEST_LOG=stdout or off no rows are written; older rows are not shown either (docs say so).
      if (app.hasDecorator('requestLogMode') && app.requestLogMode !== 'db') return [];
      const clientId = req.client!.id;
      const q = req.query;
      const limit = q.limit ?? 100;
      const query: RequestLogQuery = { clientId, limit };
      if (q.status)
        query.status = /xx$/.test(q.status) ? (q.status as RequestLogQuery['status']) : Number(q.status);
      if (q.path) query.pathPrefix = q.path;
      if (q.connection) query.connectionId = q.connection;
      if (q.since) query.since = Date.parse(q.since);
      if (q.until) query.until = Date.parse(q.until);
      if (q.cursor) query.before = decodeCursor(q.cursor);
      const rows = await services.store.requestLogs.query(query);
      const last = rows[rows.length - 1];
      if (rows.length === limit && last)
        reply.header('x-next-cursor', encodeCursor(last.createdAt, last.rowId));
      return rows.map((r) => ({
        id: r.id,
        time: new Date(r.createdAt).toISOString(),
        method: r.method,
        path: r.path,
        status: r.status,
        latency_ms: r.latencyMs,
        client_id: r.clientId,
        connection_id: r.connectionId,
        provider: r.provider,
      }));
    },
  );
}
