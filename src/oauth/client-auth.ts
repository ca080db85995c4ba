/**
 * Client authentication (RFC 6749 §2.3.1): `client_secret_basic` or `client_secret_post`, never both; public
 * clients send only `client_id` where a public client may act. Failures are counted per client and IP.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';
import { parseBasic } from '../logging/client-basic-auth.js';
import type { Services } from '../services.js';
import { type ClientRecord, getClient, verifyClientSecret } from './clients.js';
import { limiterKeys, oauthState } from './node-state.js';
import { OAuthError } from './oauth-error.js';

const BASIC_CHALLENGE = 'Basic realm="affix", charset="UTF-8"';

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
  services: Pick<Services, 'store' | 'vault' | 'config'>,
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

  const limiter = oauthState(services).clientAuth;
  const keys = limiterKeys(clientId, req.ip);
  const wait = limiter.retryAfter(keys);
  if (wait > 0) throw tooMany(wait);

  const client = await getClient(services, clientId);
  if (secret === undefined) {
    if (client?.isPublic && options.allowPublic) return client;
    limiter.fail(keys);
    throw invalidClient(hasBasic);
  }
  if (!client || client.isPublic || !(await verifyClientSecret(services, clientId, secret))) {
    limiter.fail(keys);
    throw invalidClient(hasBasic);
  }
  return client;
}

/** HTTP Basic for the management API (Affix's `basic` scheme): the contract's `{message}` bodies. */
export async function authenticateManagementClient(
  services: Pick<Services, 'store' | 'vault' | 'config'>,
  req: FastifyRequest,
): Promise<ClientRecord> {
  const creds = parseBasic(req.headers.authorization);
  const challenge = (message: string) =>
    new ApiError(401, { message }, { 'www-authenticate': BASIC_CHALLENGE });
  if (!creds) throw challenge('send client_id and client_secret with HTTP Basic authentication');
  const limiter = oauthState(services).clientAuth;
  const keys = limiterKeys(creds.id, req.ip);
  const wait = limiter.retryAfter(keys);
  if (wait > 0) {
    throw new ApiError(
      429,
      { message: 'Too many failed client authentications' },
      { 'retry-after': String(wait) },
    );
  }
  const client = await getClient(services, creds.id);
  if (!client || !(await verifyClientSecret(services, creds.id, creds.secret))) {
    limiter.fail(keys);
    throw challenge('client authentication failed');
  }
  return client;
}
