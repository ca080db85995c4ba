/**
 * The standard OAuth 2.1 endpoints: RFC 8414 metadata, the token endpoint (form-encoded, PKCE), RFC 7662
 * introspection and RFC 7009 revocation. Errors use RFC 6749 §5.2 codes only; every answer is `no-store` and never
 * compressed (a token beside reflected input is a BREACH target).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { authenticateClient } from './client-auth.js';
import { CodeExchangeError, exchangeAuthorizationCode } from './codes.js';
import { formFields, registerFormParser } from './form-body.js';
import { authorizationServerMetadata } from './metadata.js';
import { OAuthError } from './oauth-error.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function form(req: FastifyRequest): Record<string, string> {
  if (!(req.body instanceof URLSearchParams)) {
    throw new OAuthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded');
  }
  const { fields, duplicated } = formFields(req.body);
  if (duplicated.length > 0)
    throw new OAuthError('invalid_request', `parameter ${duplicated[0]} is repeated`);
  return fields;
}

export function registerOAuthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/.well-known/oauth-authorization-server', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return authorizationServerMetadata(services.config);
  });

  app.register(async (scope) => {
    registerFormParser(scope);
    scope.setErrorHandler((err, req, reply) => sendOAuthError(err, req, reply));

    scope.post('/oauth2/token', { schema: { hide: true }, compress: false }, async (req, reply) => {
      reply.headers(NO_STORE);
      const body = form(req);
      if (!body.grant_type) throw new OAuthError('invalid_request', 'grant_type is required');
      if (body.grant_type !== 'authorization_code') {
        throw new OAuthError('unsupported_grant_type', 'only authorization_code is supported');
      }
      const client = await authenticateClient(services, req, body, { allowPublic: true });
      if (!body.code) throw new OAuthError('invalid_request', 'code is required');
      try {
        const { token, claims, connection } = await exchangeAuthorizationCode(services, {
          client,
          code: body.code,
          redirectUri: body.redirect_uri,
          codeVerifier: body.code_verifier,
        });
        return {
          access_token: token,
          token_type: 'Bearer',
          expires_in: claims.exp - claims.iat,
          scope: claims.scopes.join(' '),
          mode: connection.mode,
          provider: connection.provider,
        };
      } catch (err) {
        if (err instanceof CodeExchangeError) throw new OAuthError('invalid_grant', err.message);
        throw err;
      }
    });

    scope.post('/oauth2/introspect', { schema: { hide: true }, compress: false }, async (req, reply) => {
      reply.headers(NO_STORE);
      const body = form(req);
      const client = await authenticateClient(services, req, body, { allowPublic: false });
      if (!body.token) throw new OAuthError('invalid_request', 'token is required');
      const claims = await services.tokens.inspect(body.token);
      // Someone else's token, a revoked one, or garbage: the same answer, so nothing is learnt about it.
      if (!claims || claims.client_id !== client.id || claims.exp * 1000 <= Date.now())
        return { active: false };
      const status = await services.store.tokens.status(claims.jti);
      if (!status || status.revoked || status.disconnected) return { active: false };
      return {
        active: true,
        scope: claims.scopes.join(' '),
        client_id: claims.client_id,
        token_type: 'Bearer',
        exp: claims.exp,
        iat: claims.iat,
        sub: claims.sub,
        aud: claims.aud,
        iss: claims.iss,
        jti: claims.jti,
        mode: claims.mode,
        provider: claims.provider,
      };
    });

    scope.post('/oauth2/revoke', { schema: { hide: true }, compress: false }, async (req, reply) => {
      reply.headers(NO_STORE);
      const body = form(req);
      const client = await authenticateClient(services, req, body, { allowPublic: true });
      if (!body.token) throw new OAuthError('invalid_request', 'token is required');
      const claims = await services.tokens.inspect(body.token);
      // RFC 7009 §2.2: an unknown or foreign token is answered 200 all the same; only the owner's is revoked.
      if (claims && claims.client_id === client.id) {
        await services.store.tokens.revokeOfClient(client.id, claims.jti);
        await services.bus.publish({ kind: 'revoke', jtis: [claims.jti] });
      }
      return reply.code(200).send();
    });
  });
}

function sendOAuthError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  reply.headers(NO_STORE);
  if (err instanceof OAuthError) {
    for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
    return reply.code(err.status).send(err.body());
  }
  const e = err as { statusCode?: number; code?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const description =
      e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'send the parameters as application/x-www-form-urlencoded'
        : 'the request could not be read';
    return reply.code(400).send(new OAuthError('invalid_request', description).body());
  }
  req.log.error({ err }, 'oauth endpoint failed');
  return reply.code(500).send(new OAuthError('invalid_request', 'internal error; retry later').body());
}
