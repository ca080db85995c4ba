/**
 * Our addition, not in the Affix contract (so under `x-webhooks`, a name the contract cannot take):
 * `GET /2023-03-01/management/x-webhooks/deliveries` lists the client's webhook deliveries, newest first (status,
 * attempts, last answer and error; never the body), filtered by `status`, paged by `limit` and `cursor` (the
 * previous page's `x-next-cursor`); `POST …/deliveries/{id}/redeliver` sends one again with the same webhook-id.
 * Basic auth with client_id and client_secret.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireClient } from '../../../http/auth.js';
import { errors } from '../../../http/errors.js';
import type { Services } from '../../../services.js';
import type { WebhookStatus } from '../../../store/webhooks.js';
import { DELIVERY_STATUSES, deliveryView, listDeliveries, redeliver } from '../../../webhooks/manage.js';
import { MANAGEMENT_PATH, errorResponses } from './schemas.js';

export const WEBHOOKS_PATH = `${MANAGEMENT_PATH}/x-webhooks`;

const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const DeliverySchema = Type.Object({
  id: Type.String({ description: 'the webhook-id header, the same on every attempt' }),
  type: Type.String(),
  connection_id: nullable(Type.String()),
  status: Type.String({ enum: [...DELIVERY_STATUSES] }),
  attempts: Type.Integer(),
  last_status: Type.Union([Type.Integer(), Type.Null()]),
  last_error: nullable(Type.String()),
  next_attempt_at: nullable(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
  delivered_at: nullable(Type.String()),
});

const QuerySchema = Type.Object({
  status: Type.Optional(Type.String({ enum: [...DELIVERY_STATUSES] })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 256 })),
});

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && Number.isSafeInteger(v[0]) && typeof v[1] === 'string') {
      return { createdAt: v[0] as number, id: v[1] };
    }
  } catch {
    // fall through
  }
  throw errors.badRequest('cursor is not one this server issued');
}

export function registerWebhookDeliveriesRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    `${WEBHOOKS_PATH}/deliveries`,
    {
      schema: {
        summary: "The client's webhook deliveries, newest first (an Affix addition)",
        tags: ['management'],
        security: [{ basic: [] }],
        querystring: QuerySchema,
        response: { 200: Type.Array(DeliverySchema), ...errorResponses },
      },
      preHandler: requireClient(services),
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const q = req.query as typeof QuerySchema.static;
      const limit = q.limit ?? 100;
      const rows = await listDeliveries(services, req.client!.id, {
        limit,
        ...(q.status ? { status: q.status as WebhookStatus } : {}),
        ...(q.cursor ? { before: decodeCursor(q.cursor) } : {}),
      });
      const last = rows[rows.length - 1];
      if (rows.length === limit && last) {
        reply.header(
          'x-next-cursor',
          Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url'),
        );
      }
      return rows.map(deliveryView);
    },
  );

  app.post(
    `${WEBHOOKS_PATH}/deliveries/:id/redeliver`,
    {
      schema: {
        summary: 'Send a webhook delivery again, with the same webhook-id (an Affix addition)',
        tags: ['management'],
        security: [{ basic: [] }],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: {
          202: Type.Object({ id: Type.String(), status: Type.Literal('pending') }),
          404: { $ref: 'NotFound#' },
          ...errorResponses,
        },
      },
      preHandler: requireClient(services),
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await redeliver(services, req.client!.id, id)))
        throw errors.notFound(id, 'No such webhook delivery');
      reply.code(202);
      return { id, status: 'pending' as const };
    },
  );
}
