/** Routes outside the versioned data API: /providers, health, JWKS. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ProvidersResponseSchema } from '../model/index.js';
import type { Services } from '../services.js';

export function registerCoreRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/providers',
    {
      schema: {
        summary: 'The api modes (official, xhr) and providers for the respective modes',
        tags: ['core'],
        response: { 200: ProvidersResponseSchema, 500: { $ref: 'Message#' } },
      },
    },
    async () => services.providers.byMode(),
  );

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await services.store.ping();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ message: 'database unreachable' });
    }
  });

  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        summary: 'JSON Web Key Set used to sign access tokens',
        tags: ['core'],
        response: { 200: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.String())) }) },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return services.keys.jwks();
    },
  );
}
