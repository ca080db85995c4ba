/**
 * HTTP Basic client authentication (client_id:client_secret) for management routes, against the sealed secrets in
 * `client_secrets` (owner = client id, purpose `client_secret`). Comparison is constant-time; every failure gives
 * the same 401 with `WWW-Authenticate: Basic`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.js';
import type { Services } from '../services.js';
import { sealedFromStorage } from '../vault/index.js';

export function basicChallenge(message = 'client authentication failed'): ApiError {
  return new ApiError(401, { message }, { 'www-authenticate': 'Basic realm="affix", charset="UTF-8"' });
}

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

const digest = (s: string | Buffer) => createHash('sha256').update(s).digest();

/** The authenticated client id; throws the Basic 401 otherwise. */
export async function authenticateClientBasic(
  services: Pick<Services, 'store' | 'vault'>,
  req: FastifyRequest,
): Promise<string> {
  const creds = parseBasic(req.headers.authorization);
  if (!creds) throw basicChallenge('send client_id and client_secret with HTTP Basic authentication');
  const rows = await services.store.db
    .selectFrom('client_secrets')
    .select(['sealed'])
    .where('client_id', '=', creds.id)
    .where('revoked_at', 'is', null)
    .execute();
  const offered = digest(creds.secret);
  let ok = false;
  for (const row of rows) {
    const secret = await services.vault.open(creds.id, 'client_secret', sealedFromStorage(row.sealed));
    // Hash both sides so lengths match and the comparison time does not depend on the secret.
    if (timingSafeEqual(digest(secret), offered)) ok = true;
  }
  if (!ok) throw basicChallenge();
  return creds.id;
}
