/**
 * Authentication pre-handlers: `requireToken` (Bearer, for data routes, introspection and disconnect) and
 * `requireClient` (HTTP Basic client_id:client_secret, the management API's `basic` scheme). A bearer token comes
 * only from the Authorization header (scheme case-insensitive); a token in the query string is never accepted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setLogContext } from '../logging/request-log-hook.js';
import { clientAuthAttempt } from '../oauth/abuse-limiter.js';
import { type AccessClaims, TokenError } from '../oauth/access-tokens.js';
import { BASIC_CHALLENGE, parseBasic } from '../oauth/client-auth.js';
import { type ClientRecord, getClient, verifyClientSecret } from '../oauth/clients.js';
import type { Services } from '../services.js';
import { ApiError, errors } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AccessClaims;
    /** The client `requireClient` authenticated. */
    client?: ClientRecord;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  return bearerOf(req.headers.authorization);
}

/** The token of an `Authorization: Bearer …` header (the fast path reads the raw header). */
export function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^bearer\s+([A-Za-z0-9\-_.~+/]+=*)\s*$/i.exec(header);
  return m?.[1];
}

/** A preHandler that authenticates and, when `scope` is given, requires it. */
export function requireToken(services: Services, scope?: string) {
  return async function authenticate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const token = bearerToken(req);
    if (!token) throw errors.invalidToken('missing bearer token in the Authorization header');
    try {
      req.auth = await services.tokens.verify(token);
    } catch (err) {
      if (err instanceof TokenError) {
        if (err.kind === 'disconnected') throw errors.forbidden('this token was disconnected');
        throw errors.invalidToken(err.message);
      }
      throw err;
    }
    if (scope && !req.auth.scopes.includes(scope)) throw errors.insufficientScope(scope);
  };
}

const basicChallenge = (message: string) =>
  new ApiError(401, { message }, { 'www-authenticate': BASIC_CHALLENGE });

/**
 * A preHandler for the management API's Basic routes: the client's id and one of its current secrets
 * (constant-time, see `verifyClientSecret`), else the contract's `{message}` 401 with `WWW-Authenticate: Basic`.
 * Failures count in the node's client-authentication limiter (shared with the OAuth endpoints); while this client
 * is over its limit from this IP, every attempt from there gets 429 with Retry-After. Sets `req.client` and the request log's client.
 */
export function requireClient(services: Pick<Services, 'store' | 'vault' | 'limiters'>) {
  return async function authenticateClient(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const creds = parseBasic(req.headers.authorization);
    if (!creds) throw basicChallenge('send client_id and client_secret with HTTP Basic authentication');
    const client = await getClient(services, creds.id);
    const attempt = clientAuthAttempt(services.limiters.clientAuth, creds.id, client !== undefined, req.ip);
    if (attempt.wait > 0) {
      throw new ApiError(
        429,
        { message: 'Too many failed client authentications' },
        { 'retry-after': String(attempt.wait) },
      );
    }
    if (!client || !(await verifyClientSecret(services, creds.id, creds.secret))) {
      attempt.fail();
      throw basicChallenge('client authentication failed');
    }
    req.client = client;
    setLogContext(req, { clientId: client.id });
  };
}
