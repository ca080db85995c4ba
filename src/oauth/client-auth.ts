/**
 * Client authentication (RFC 6749 §2.3.1): `client_secret_basic` or `client_secret_post`, never both; public
 * clients send only `client_id` where a public client may act. Failures are counted per client and IP.
 */
import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { clientAuthAttempt } from './abuse-limiter.js';
import { type ClientRecord, getClient, verifyClientSecret } from './clients.js';
import { OAuthError } from './oauth-error.js';

/** The `WWW-Authenticate` value of every Basic client-authentication failure. */
export const BASIC_CHALLENGE = 'Basic realm="affix", charset="UTF-8"';

/** `client_id` and `client_secret` from `Authorization: Basic`, form-urlencoded as RFC 6749 §2.3.1 says. */
export function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return undefined;
  }
}

function invalidClient(viaBasic: boolean): OAuthError {
  return new OAuthError(
    'invalid_client',
    'client authentication failed',
    401,
    viaBasic ? { 'www-authenticate': BASIC_CHALLENGE } : {},
  );
}

function tooMany(retryAfter: number): OAuthError {
  return new OAuthError('invalid_client', 'too many failed client authentications; retry later', 429, {
    'retry-after': String(retryAfter),
  });
}

/** The authenticated client of an RFC endpoint request; throws OAuthError. */
export async function authenticateClient(
  services: Pick<Services, 'store' | 'vault' | 'limiters'>,
  req: FastifyRequest,
  body: Record<string, string | undefined>,
  options: { allowPublic: boolean },
): Promise<ClientRecord> {
  const header = req.headers.authorization;
  const hasBasic = typeof header === 'string' && /^basic\s/i.test(header);
  if (hasBasic && body.client_secret !== undefined) {
    throw new OAuthError(
      'invalid_request',
      'use one client authentication method, not Basic and client_secret',
    );
  }
  let clientId: string | undefined;
  let secret: string | undefined;
  if (hasBasic) {
    const creds = parseBasic(header);
    if (!creds) throw invalidClient(true);
    if (body.client_id !== undefined && body.client_id !== creds.id) {
      throw new OAuthError('invalid_request', 'client_id does not match the Basic credentials');
    }
    clientId = creds.id;
    secret = creds.secret;
  } else {
    clientId = body.client_id;
    secret = body.client_secret;
  }
  if (!clientId) throw invalidClient(hasBasic);

  const client = await getClient(services, clientId);
  const attempt = clientAuthAttempt(services.limiters.clientAuth, clientId, client !== undefined, req.ip);
  if (attempt.wait > 0) throw tooMany(attempt.wait);
  if (secret === undefined) {
    if (client?.isPublic && options.allowPublic) return client;
    attempt.fail();
    throw invalidClient(hasBasic);
  }
  if (!client || client.isPublic || !(await verifyClientSecret(services, clientId, secret))) {
    attempt.fail();
    throw invalidClient(hasBasic);
  }
  return client;
}
