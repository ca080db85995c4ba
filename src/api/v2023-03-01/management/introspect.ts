/** `GET /2023-03-01/management/introspect` (Bearer): the client, mode, provider and scopes of the token. */
import type { FastifyInstance } from 'fastify';
import { requireToken } from '../../../http/auth.js';
import { contractScopes } from '../../../oauth/scopes.js';
import type { Services } from '../../../services.js';
import { IntrospectResponseSchema, MANAGEMENT_PATH } from './schemas.js';

export function registerIntrospectRoute(app: FastifyInstance, services: Services): void {
  app.get(
    `${MANAGEMENT_PATH}/introspect`,
    {
      schema: {
        summary: 'The client, mode, provider and scopes of the bearer token',
        tags: ['management'],
        security: [{ 'access-token': [] }],
        response: {
          200: IntrospectResponseSchema,
          401: { $ref: 'AuthenticationError#' },
          403: { $ref: 'Message#' },
        },
      },
      onRequest: requireToken(services),
    },
    async (req, reply) => {
      const auth = req.auth!;
      reply.header('cache-control', 'no-store');
      return {
        client_id: auth.client_id,
        mode: auth.mode,
        provider: auth.provider,
        scopes: contractScopes(auth.scopes),
      };
    },
  );
}
