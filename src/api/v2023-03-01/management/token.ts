/**
 * `POST /2023-03-01/management/token`: Affix's JSON code exchange (201). The client authenticates in the body, so
 * failures are the OAuth client-authentication ones (same limiter) in the contract's `{message}` shape.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ApiError, errors } from '../../../http/errors.js';
import { setLogContext } from '../../../logging/request-log-hook.js';
import { authenticateClient } from '../../../oauth/client-auth.js';
import type { ClientRecord } from '../../../oauth/clients.js';
import { CodeExchangeError, exchangeAuthorizationCode } from '../../../oauth/codes.js';
import { OAuthError } from '../../../oauth/oauth-error.js';
import { contractScopes } from '../../../oauth/scopes.js';
import type { Services } from '../../../services.js';
import { MANAGEMENT_PATH, TokenRequestSchema, TokenResponseSchema, errorResponses } from './schemas.js';

export function registerTokenRoute(app: FastifyInstance, services: Services): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    `${MANAGEMENT_PATH}/token`,
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
      const body = req.body;
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
            throw errors.conflict(
              'this authorization code was already used: every token issued from it has been revoked; ' +
                'send the user through the connect flow again',
            );
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
}
