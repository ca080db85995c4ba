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

  // Ready = this node can reach its database now. Answers within 2 s whatever the database does (a hung database
  // reads as down), and recovers by itself once the database is back; liveness (/healthz) never looks at it.
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (await services.store.ping()) return { status: 'ready' };
    reply.header('retry-after', '5');
    return reply.code(503).send({ message: 'database unreachable or not answering' });
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
