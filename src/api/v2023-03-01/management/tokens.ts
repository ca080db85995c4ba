/** `GET /2023-03-01/management/tokens` (Basic): the client's access tokens and whether each is still valid. */
import type { FastifyInstance } from 'fastify';
import { requireClient } from '../../../http/auth.js';
import type { Mode, ProviderId } from '../../../model/index.js';
import { contractScopes } from '../../../oauth/scopes.js';
import type { Services } from '../../../services.js';
import { MANAGEMENT_PATH, TokensResponseSchema, errorResponses } from './schemas.js';

export function registerTokensRoute(app: FastifyInstance, services: Services): void {
  app.get(
    `${MANAGEMENT_PATH}/tokens`,
    {
      schema: {
        summary: "The client's access tokens and whether each is still valid",
        tags: ['management'],
        security: [{ basic: [] }],
        response: { 200: TokensResponseSchema, ...errorResponses },
      },
      preHandler: requireClient(services),
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const now = Date.now();
      return (await services.store.tokens.ofClient(req.client!.id)).map((t) => ({
        token: t.jti,
        scopes: contractScopes(t.scopes),
        created_at: new Date(t.createdAt).toISOString(),
        mode: t.mode as Mode,
        provider: t.provider as ProviderId,
        valid: t.revokedAt === null && t.expiresAt > now && t.connectionStatus === 'active',
      }));
    },
  );
}
