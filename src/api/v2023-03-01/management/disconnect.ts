/**
 * `POST /2023-03-01/management/disconnect` (Bearer): the token's connection is wiped (src/sync/wipe-connection.ts):
 * tokens revoked, stored credentials and data deleted, its data key shredded.
 */
import type { FastifyInstance } from 'fastify';
import { requireToken } from '../../../http/auth.js';
import type { Services } from '../../../services.js';
import { wipeConnection } from '../../../sync/wipe-connection.js';
import { DisconnectResponseSchema, MANAGEMENT_PATH } from './schemas.js';

export function registerDisconnectRoute(app: FastifyInstance, services: Services): void {
  app.post(
    `${MANAGEMENT_PATH}/disconnect`,
    {
      schema: {
        summary: "Disconnect the token's connection: tokens revoked, stored credentials and data deleted",
        tags: ['management'],
        security: [{ 'access-token': [] }],
        response: {
          200: DisconnectResponseSchema,
          401: { $ref: 'AuthenticationError#' },
          403: { $ref: 'Message#' },
        },
      },
      onRequest: requireToken(services),
    },
    async (req) => {
      const auth = req.auth!;
      // Every node stops accepting the connection's tokens at once (the cluster bus; at worst its 1 s status cache).
      await wipeConnection(services, auth.sub);
      return { disconnected: true as const };
    },
  );
}
