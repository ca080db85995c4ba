/**
 * Bearer authentication for data and management routes. The token comes only from the Authorization header
 * (scheme case-insensitive); a token in the query string is never accepted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AccessClaims, TokenError } from '../oauth/access-tokens.js';
import type { Services } from '../services.js';
import { errors } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AccessClaims;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
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
