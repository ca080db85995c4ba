/**
 * Our additions, not in the Affix contract (under `x-webhooks`, a name the contract cannot take), Basic auth:
 * - `GET …/x-webhooks/endpoint`: the webhook URI and whether deliveries to it are enabled (a 410 answer, or
 *   retries that ran out, disable it); `POST …/x-webhooks/endpoint/enable` enables it again;
 * - `POST …/x-webhooks/test`: a signed `webhook.test` event through the outbox (202 with its webhook-id);
 * - `POST …/x-webhooks/secret/rotate`: a new `whsec_…` signing secret (shown once); the previous one keeps
 *   signing beside it (two `v1,` signatures) for WEBHOOK_SECRET_ROTATION_WINDOW.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireClient } from '../../../http/auth.js';
import { errors } from '../../../http/errors.js';
import type { Services } from '../../../services.js';
import {
  NoWebhookUri,
  enableEndpoint,
  endpointView,
  rotateSecret,
  sendTestEvent,
} from '../../../webhooks/manage.js';
import { WEBHOOKS_PATH } from './webhook-deliveries.js';
import { errorResponses } from './schemas.js';

const EndpointSchema = Type.Object({
  webhook_uri: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  disabled_at: Type.Union([Type.String(), Type.Null()]),
  disabled_reason: Type.Union([Type.String(), Type.Null()]),
});

export function registerWebhookEndpointRoutes(app: FastifyInstance, services: Services): void {
  // The secret rotation answer carries a secret: never compressed (BREACH), like /management/client.
  const common = (summary: string, response: Record<number, unknown>) => ({
    schema: {
      summary,
      tags: ['management'],
      security: [{ basic: [] }],
      response: { ...errorResponses, ...response } as Record<number, unknown>,
    },
    compress: false as const,
    preHandler: requireClient(services),
  });

  app.get(
    `${WEBHOOKS_PATH}/endpoint`,
    common('The webhook endpoint and whether it is enabled (an Affix addition)', { 200: EndpointSchema }),
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return endpointView(services, req.client!.id);
    },
  );

  app.post(
    `${WEBHOOKS_PATH}/endpoint/enable`,
    common('Enable a disabled webhook endpoint again (an Affix addition)', { 200: EndpointSchema }),
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      await enableEndpoint(services, req.client!.id);
      return endpointView(services, req.client!.id);
    },
  );

  app.post(
    `${WEBHOOKS_PATH}/test`,
    common('Send a signed test event to the webhook URI (an Affix addition)', {
      202: Type.Object({ id: Type.String(), queued: Type.Boolean() }),
    }),
    async (req, reply) => {
      try {
        const out = await sendTestEvent(services, req.client!.id);
        reply.code(202);
        return out;
      } catch (err) {
        if (err instanceof NoWebhookUri) throw errors.badRequest(err.message);
        throw err;
      }
    },
  );

  app.post(
    `${WEBHOOKS_PATH}/secret/rotate`,
    common('Rotate the Standard Webhooks signing secret (an Affix addition)', {
      200: Type.Object({ webhook_secret: Type.String(), previous_secret_expires_at: Type.String() }),
    }),
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const { secret, previousExpireAt } = await rotateSecret(services, req.client!.id);
      return { webhook_secret: secret, previous_secret_expires_at: new Date(previousExpireAt).toISOString() };
    },
  );
}
