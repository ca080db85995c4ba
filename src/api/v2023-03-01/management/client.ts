/** `GET` and `POST /2023-03-01/management/client` (Basic): the client's settings and current secrets. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireClient } from '../../../http/auth.js';
import { errors } from '../../../http/errors.js';
import { ClientInputError, currentClientSecrets, updateClient } from '../../../oauth/clients.js';
import type { Services } from '../../../services.js';
import type { ClientRecord } from '../../../store/clients.js';
import { ClientRequestSchema, ClientResponseSchema, MANAGEMENT_PATH, errorResponses } from './schemas.js';

export function registerClientRoutes(app: FastifyInstance, services: Services): void {
  async function clientResponse(client: ClientRecord) {
    const secrets = await currentClientSecrets(services, client.id);
    return {
      client_id: client.id,
      client_secret: secrets.map((s) => s.secret),
      redirect_uris: client.redirectUris,
      name: client.name,
      webhook_uri: client.webhookUri,
    };
  }

  app.get(
    `${MANAGEMENT_PATH}/client`,
    {
      schema: {
        summary: 'The client: name, redirect URIs, webhook URI and current secrets',
        tags: ['management'],
        security: [{ basic: [] }],
        response: { 200: ClientResponseSchema, ...errorResponses },
      },
      compress: false,
      preHandler: requireClient(services),
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return clientResponse(req.client!);
    },
  );

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${MANAGEMENT_PATH}/client`,
    {
      schema: {
        summary: 'Update the client (the secrets listed become the current ones)',
        tags: ['management'],
        security: [{ basic: [] }],
        body: ClientRequestSchema,
        response: { 200: ClientResponseSchema, ...errorResponses },
      },
      compress: false,
      preHandler: requireClient(services),
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const body = req.body;
      try {
        return clientResponse(await updateClient(services, req.client!.id, body));
      } catch (err) {
        if (err instanceof ClientInputError) throw errors.badRequest(err.message);
        throw err;
      }
    },
  );
}
