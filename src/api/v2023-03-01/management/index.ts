/**
 * The Affix management API: client settings (Basic), the JSON token exchange, the client's tokens (Basic),
 * introspection and disconnect (Bearer).
 */
import type { FastifyInstance } from 'fastify';
import { ApiError, errors } from '../../../http/errors.js';
import { requireToken } from '../../../http/auth.js';
import { setLogContext } from '../../../logging/request-log-hook.js';
import type { Mode, ProviderId } from '../../../model/index.js';
import { authenticateClient, authenticateManagementClient } from '../../../oauth/client-auth.js';
import { ClientInputError, updateClient } from '../../../oauth/clients.js';
import { CodeExchangeError, exchangeAuthorizationCode } from '../../../oauth/codes.js';
import { OAuthError } from '../../../oauth/oauth-error.js';
import { contractScopes } from '../../../oauth/scopes.js';
import type { Services } from '../../../services.js';
import { currentClientSecrets } from '../../../store/client-secrets.js';
import type { ClientRecord } from '../../../store/clients.js';
import { tokensOfClient } from '../../../store/oauth-tokens.js';
import { wipeConnection } from '../../../sync/wipe-connection.js';
import {
  ClientRequestSchema,
  ClientResponseSchema,
  DisconnectResponseSchema,
  IntrospectResponseSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  TokensResponseSchema,
} from './schemas.js';

const BASE = '/2023-03-01/management';

const errorResponses = {
  400: { $ref: 'BadRequest#' },
  401: { $ref: 'Message#' },
  429: { $ref: 'Message#' },
  500: { $ref: 'Message#' },
};

export function registerManagementRoutes(app: FastifyInstance, services: Services): void {
  async function clientResponse(client: ClientRecord) {
    const secrets = await currentClientSecrets(services.store, services.vault, client.id);
    return {
      client_id: client.id,
      client_secret: secrets.map((s) => s.secret),
      redirect_uris: client.redirectUris,
      name: client.name,
      webhook_uri: client.webhookUri,
    };
  }

  app.get(
    `${BASE}/client`,
    {
      schema: {
        summary: 'The client: name, redirect URIs, webhook URI and current secrets',
        tags: ['management'],
        security: [{ basic: [] }],
        response: { 200: ClientResponseSchema, ...errorResponses },
      },
      compress: false,
    },
    async (req, reply) => {
      const client = await authenticateManagementClient(services, req);
      setLogContext(req, { clientId: client.id });
      reply.header('cache-control', 'no-store');
      return clientResponse(client);
    },
  );

  app.post(
    `${BASE}/client`,
    {
      schema: {
        summary: 'Update the client (the secrets listed become the current ones)',
        tags: ['management'],
        security: [{ basic: [] }],
        body: ClientRequestSchema,
        response: { 200: ClientResponseSchema, ...errorResponses },
      },
      compress: false,
    },
    async (req, reply) => {
      const client = await authenticateManagementClient(services, req);
      setLogContext(req, { clientId: client.id });
      reply.header('cache-control', 'no-store');
      const body = req.body as {
        client_secret: string[];
        redirect_uris: string[];
        name: string;
        webhook_uri?: string | null;
      };
      try {
        return clientResponse(await updateClient(services, client.id, body));
      } catch (err) {
        if (err instanceof ClientInputError) throw errors.badRequest(err.message);
        throw err;
      }
    },
  );

  app.post(
    `${BASE}/token`,
    {
      schema: {
        summary: 'Exchange an authorization code for an access token',
        tags: ['management'],
        body: TokenRequestSchema,
        response: {
          201: TokenResponseSchema,
          ...errorResponses,
          404: { $ref: 'NotFound#' },
          409: { $ref: 'Conflict#' },
        },
      },
      // BREACH: the token sits beside reflected input.
      compress: false,
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
      const body = req.body as {
        client_id: string;
        client_secret: string;
        code: string;
        redirect_uri: string;
        code_verifier?: string;
      };
      let client: ClientRecord;
      try {
        client = await authenticateClient(
          services,
          req,
          { client_id: body.client_id, client_secret: body.client_secret },
          { allowPublic: false },
        );
      } catch (err) {
        if (err instanceof OAuthError) {
          throw new ApiError(err.status, { message: err.description }, err.status === 429 ? err.headers : {});
        }
        throw err;
      }
      setLogContext(req, { clientId: client.id });
      try {
        const { token, connection } = await exchangeAuthorizationCode(services, {
          client,
          code: body.code,
          redirectUri: body.redirect_uri,
          codeVerifier: body.code_verifier,
        });
        setLogContext(req, { connectionId: connection.id, provider: connection.provider });
        const claims = await services.tokens.inspect(token);
        return reply.code(201).send({
          access_token: token,
          token_type: 'Bearer',
          mode: connection.mode,
          provider: connection.provider,
          scopes: contractScopes(claims?.scopes ?? []),
        });
      } catch (err) {
        if (!(err instanceof CodeExchangeError)) throw err;
        switch (err.reason) {
          case 'reused':
            throw errors.conflict();
          case 'unknown':
          case 'other_client':
          case 'expired':
            throw errors.notFound('code', err.message);
          case 'redirect_mismatch':
          case 'pkce':
            throw errors.badRequest(err.message);
        }
      }
    },
  );

  app.get(
    `${BASE}/tokens`,
    {
      schema: {
        summary: "The client's access tokens and whether each is still valid",
        tags: ['management'],
        security: [{ basic: [] }],
        response: { 200: TokensResponseSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const client = await authenticateManagementClient(services, req);
      setLogContext(req, { clientId: client.id });
      reply.header('cache-control', 'no-store');
      const now = Date.now();
      return (await tokensOfClient(services.store, client.id)).map((t) => ({
        token: t.jti,
        scopes: contractScopes(t.scopes),
        created_at: new Date(t.createdAt).toISOString(),
        mode: t.mode as Mode,
        provider: t.provider as ProviderId,
        valid: t.revokedAt === null && t.expiresAt > now && t.connectionStatus === 'active',
      }));
    },
  );

  app.get(
    `${BASE}/introspect`,
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

  app.post(
    `${BASE}/disconnect`,
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
      await wipeConnection(services, auth.sub);
      // This node stops accepting every token of the connection at once; other nodes within the 1 s status cache.
      services.tokens.forgetAll();
      return { disconnected: true as const };
    },
  );
}
