/**
 * Authorization codes: 256 random bits, single use, 10 minutes at most, bound to the client, the redirect URI and
 * the PKCE challenge. Only a SHA-256 of each code is stored. Presenting a used code again revokes every token it
 * produced (RFC 9700 §4.5.3 / OAuth 2.1 §4.1.3): whoever replays it may have stolen it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { newId, newSecret } from '../ids.js';
import type { Services } from '../services.js';
import type { Connection } from '../store/connections.js';
import type { AccessClaims } from './access-tokens.js';
import type { ClientRecord } from './clients.js';
import { verifierMatches } from './pkce.js';

export const CODE_TTL_MS = 10 * 60_000;

export const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('base64url');

export async function issueAuthorizationCode(
  services: Pick<Services, 'store'>,
  input: {
    clientId: string;
    connectionId: string;
    redirectUri: string;
    redirectUriSent: boolean;
    codeChallenge: string | null;
    scopes: string[];
  },
  now = Date.now(),
): Promise<string> {
  const code = newSecret();
  await services.store.authorizationCodes.insert({
    id: newId('code'),
    codeHash: hashCode(code),
    clientId: input.clientId,
    connectionId: input.connectionId,
    redirectUri: input.redirectUri,
    redirectUriSent: input.redirectUriSent,
    codeChallenge: input.codeChallenge,
    scopes: input.scopes,
    createdAt: now,
    expiresAt: now + CODE_TTL_MS,
  });
  return code;
}

export type ExchangeFailure =
  | 'unknown'
  | 'other_client'
  | 'reused'
  | 'expired'
  | 'redirect_mismatch'
  | 'pkce';

export class CodeExchangeError extends Error {
  constructor(
    readonly reason: ExchangeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'CodeExchangeError';
  }
}

export interface ExchangeResult {
  token: string;
  claims: AccessClaims;
  connection: Connection;
}

/**
 * Redeems a code for an access token. The client must already be authenticated. Throws CodeExchangeError; a
 * reused code revokes every token issued from it before the error is thrown.
 */
export async function exchangeAuthorizationCode(
  services: Pick<Services, 'store' | 'tokens' | 'bus'>,
  input: {
    client: ClientRecord;
    code: string;
    redirectUri: string | undefined;
    codeVerifier: string | undefined;
  },
  now = Date.now(),
): Promise<ExchangeResult> {
  const hash = hashCode(input.code);
  const row = input.code.length <= 512 ? await services.store.authorizationCodes.findByHash(hash) : undefined;
  if (!row || !timingSafeEqual(Buffer.from(row.codeHash), Buffer.from(hash))) {
    throw new CodeExchangeError('unknown', 'the authorization code is invalid');
  }
  // Another client's code: say nothing about it and touch nothing (that client did not replay anything).
  if (row.clientId !== input.client.id)
    throw new CodeExchangeError('other_client', 'the authorization code is invalid');
  if (row.usedAt !== null) {
    await revokeReplayed(services, row.id);
    throw new CodeExchangeError('reused', 'the authorization code was already used; its tokens are revoked');
  }
  if (row.expiresAt <= now) throw new CodeExchangeError('expired', 'the authorization code has expired');
  const redirectOk = row.redirectUriSent
    ? input.redirectUri === row.redirectUri
    : input.redirectUri === undefined || input.redirectUri === row.redirectUri;
  if (!redirectOk) {
    throw new CodeExchangeError('redirect_mismatch', 'redirect_uri does not match the authorization request');
  }
  if (row.codeChallenge !== null) {
    if (input.codeVerifier === undefined) throw new CodeExchangeError('pkce', 'code_verifier is required');
    if (!verifierMatches(input.codeVerifier, row.codeChallenge)) {
      throw new CodeExchangeError('pkce', 'code_verifier does not match the code_challenge');
    }
  } else if (input.codeVerifier !== undefined) {
    // A verifier for a code issued without a challenge: a downgrade attempt (RFC 9700 §4.8.2).
    throw new CodeExchangeError('pkce', 'code_verifier sent for a code issued without code_challenge');
  }
  if (!(await services.store.authorizationCodes.consume(row.id, now))) {
    await revokeReplayed(services, row.id);
    throw new CodeExchangeError('reused', 'the authorization code was already used; its tokens are revoked');
  }
  const connection = await services.store.connections.find(row.connectionId);
  if (connection?.status !== 'active') {
    throw new CodeExchangeError('unknown', 'the connection of this code no longer exists');
  }
  const { token, claims } = await services.tokens.issue({
    connectionId: connection.id,
    clientId: row.clientId,
    provider: connection.provider,
    mode: connection.mode,
    scopes: row.scopes,
    codeId: row.id,
  });
  return { token, claims, connection };
}

async function revokeReplayed(services: Pick<Services, 'store' | 'bus'>, codeId: string): Promise<void> {
  const jtis = await services.store.tokens.revokeOfCode(codeId);
  if (jtis.length) await services.bus.publish({ kind: 'revoke', jtis });
}
