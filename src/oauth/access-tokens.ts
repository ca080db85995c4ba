/**
 * ES256 JWT access tokens (RFC 9068 shape plus Affix's claims). Verification results are cached by the exact
 * token string, so a hot token is verified once; revocation is checked on every request through a cache of each
 * token's status, valid for 1 s, or for as long as this node's change feed is current (src/cluster/change-feed.ts).
 */
import { SignJWT, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { ChangeWatch } from '../cluster/change-feed.js';
import type { Config } from '../config.js';
import { newId } from '../ids.js';
import type { Mode, ProviderId } from '../model/index.js';
import type { Store } from '../store/db.js';
import type { KeyStore } from './keys.js';

export interface AccessClaims {
  iss: string;
  sub: string;
  aud: string[];
  client_id: string;
  jti: string;
  iat: number;
  exp: number;
  provider: ProviderId;
  scopes: string[];
  mode: Mode;
}

export class TokenError extends Error {
  constructor(
    readonly kind: 'invalid_token' | 'disconnected',
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }
}

/**
 * Most tokens whose signature check (and, separately, revocation status) this node keeps: least recently used go
 * first, never all at once. About 2.1 KB of RSS per token for both (docs/operations.md "Per-node caches").
 */
export const TOKEN_CACHE_MAX = 50_000;
const STATUS_TTL_MS = 1_000;

interface TokenStatus {
  connectionId: string;
  revoked: boolean;
  disconnected: boolean;
  at: number;
}

export class AccessTokens {
  private readonly verified: LRUCache<string, AccessClaims>;
  private readonly status: LRUCache<string, TokenStatus>;
  /** One frozen array per distinct scope list, shared by the cached claims (most tokens carry the same list). */
  private readonly scopeLists = new LRUCache<string, string[]>({ max: 1_000 });

  constructor(
    private readonly store: Store,
    private readonly keys: KeyStore,
    private readonly config: Pick<Config, 'PUBLIC_URL' | 'tokenTtlSeconds'>,
    cacheMax = TOKEN_CACHE_MAX,
    /** The node's change feed: while it is current a cached status stays valid past its 1 s. */
    private readonly watch?: ChangeWatch,
  ) {
    this.verified = new LRUCache({ max: cacheMax });
    this.status = new LRUCache({ max: cacheMax });
  }

  async issue(input: {
    connectionId: string;
    clientId: string;
    provider: ProviderId;
    mode: Mode;
    scopes: string[];
    codeId?: string | null;
  }): Promise<{ token: string; claims: AccessClaims }> {
    const { kid, key } = await this.keys.signingKey();
    const iat = Math.floor(Date.now() / 1000);
    const claims: AccessClaims = {
      iss: this.config.PUBLIC_URL,
      sub: input.connectionId,
      aud: [this.config.PUBLIC_URL, input.clientId],
      client_id: input.clientId,
      jti: newId('token'),
      iat,
      exp: iat + this.config.tokenTtlSeconds,
      provider: input.provider,
      scopes: input.scopes,
      mode: input.mode,
    };
    await this.store.tokens.insert({
      jti: claims.jti,
      connectionId: input.connectionId,
      clientId: input.clientId,
      scopes: input.scopes,
      createdAt: iat * 1000,
      expiresAt: claims.exp * 1000,
      codeId: input.codeId ?? null,
    });
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
      .sign(key);
    return { token, claims };
  }

  /** Verifies signature, header, issuer, audience and expiry; then revocation. Throws TokenError. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verifiedNow(token);
    if (known) return known;
    let claims = this.verified.get(token);
    if (claims && claims.exp * 1000 <= Date.now()) {
      this.verified.delete(token);
      claims = undefined;
    }
    if (!claims) {
      claims = this.shareScopes(await this.verifySignature(token));
      this.verified.set(token, claims);
    }
    const status = await this.statusOf(claims.jti, claims.sub);
    if (!status) throw new TokenError('invalid_token', 'unknown token');
    if (status.disconnected)
      throw new TokenError('disconnected', 'the connection of this token was disconnected');
    if (status.revoked) throw new TokenError('invalid_token', 'token revoked');
    return claims;
  }

  /**
   * `verify` from this node's caches alone, without a promise: the claims when the token's signature check and its
   * status (≤ 1 s old) are both cached and good; undefined when `verify` has to do more (or would throw).
   */
  verifiedNow(token: string): AccessClaims | undefined {
    const claims = this.verified.get(token);
    const now = Date.now();
    if (!claims || claims.exp * 1000 <= now) return undefined;
    const status = this.status.get(claims.jti);
    if (!status || !this.current(status, now) || status.revoked || status.disconnected) return undefined;
    return claims;
  }

  /**
   * Signature, header, issuer, audience and expiry only — no revocation check. For introspection and revocation,
   * which must recognise a revoked token as ours. Undefined when the token is not a valid token of ours.
   */
  async inspect(token: string): Promise<AccessClaims | undefined> {
    if (token.length > 8192) return undefined;
    try {
      return await this.verifySignature(token);
    } catch (err) {
      if (err instanceof TokenError) return undefined;
      throw err;
    }
  }

  /** How many tokens this node holds a signature check and a revocation status for. */
  get cached(): { verified: number; status: number } {
    return { verified: this.verified.size, status: this.status.size };
  }

  /** Marks a token's cached status stale so a revocation on this node takes effect at once. */
  forget(jti: string): void {
    this.status.delete(jti);
  }

  /** Drops the cached statuses of a connection's tokens (it was disconnected). */
  forgetConnection(connectionId: string): void {
    this.forgetConnections(new Set([connectionId]));
  }

  /** Drops the cached statuses of these connections' tokens, in one pass over the cache. */
  forgetConnections(connectionIds: ReadonlySet<string>): void {
    if (connectionIds.size === 0) return;
    const gone: string[] = [];
    for (const [jti, status] of this.status.entries())
      if (connectionIds.has(status.connectionId)) gone.push(jti);
    for (const jti of gone) this.status.delete(jti);
  }

  forgetAll(): void {
    this.status.clear();
  }

  /** Drops cached signature checks, e.g. after a signing key was retired. */
  forgetVerified(): void {
    this.verified.clear();
  }

  private shareScopes(claims: AccessClaims): AccessClaims {
    if (!Array.isArray(claims.scopes)) return claims;
    const key = claims.scopes.join(' ');
    let shared = this.scopeLists.get(key);
    if (!shared) {
      shared = Object.freeze([...claims.scopes]) as string[];
      this.scopeLists.set(key, shared);
    }
    return { ...claims, scopes: shared };
  }

  /** A cached status is used while under 1 s old, or while the change feed is current (it drops changed ones). */
  private current(status: TokenStatus, now: number): boolean {
    return now - status.at < STATUS_TTL_MS || (this.watch?.current(now) ?? false);
  }

  private async statusOf(jti: string, connectionId: string) {
    const now = Date.now();
    const cached = this.status.get(jti);
    if (cached && this.current(cached, now)) return cached;
    const fresh = await this.store.tokens.status(jti);
    if (!fresh) {
      this.status.delete(jti);
      return undefined;
    }
    const entry: TokenStatus = { ...fresh, connectionId, at: now };
    this.status.set(jti, entry);
    return entry;
  }

  private async verifySignature(token: string): Promise<AccessClaims> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'ES256' || typeof header.kid !== 'string') {
        throw new TokenError('invalid_token', 'unsupported token header');
      }
      const key = await this.keys.verificationKey(header.kid);
      if (!key) throw new TokenError('invalid_token', 'unknown signing key');
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['ES256'],
        issuer: this.config.PUBLIC_URL,
        audience: this.config.PUBLIC_URL,
        typ: 'at+jwt',
        requiredClaims: ['jti', 'sub', 'exp', 'iat', 'client_id'],
      });
      return payload as unknown as AccessClaims;
    } catch (err) {
      if (err instanceof TokenError) throw err;
      // The signature was good (jose checks it before the claims): say which server the token was made for, as a
      // CLI run with another PORT or PUBLIC_URL than the server's is the usual cause.
      if (
        err instanceof joseErrors.JWTClaimValidationFailed &&
        (err.claim === 'iss' || err.claim === 'aud')
      ) {
        const iss = typeof err.payload.iss === 'string' ? err.payload.iss.slice(0, 200) : 'no issuer';
        throw new TokenError(
          'invalid_token',
          `token was issued by ${iss}, but this server is ${this.config.PUBLIC_URL}: run the affix command ` +
            'with the same PUBLIC_URL (or PORT) as the server',
        );
      }
      if (err instanceof joseErrors.JOSEError || err instanceof TypeError || err instanceof SyntaxError) {
        throw new TokenError('invalid_token', 'token is malformed, expired or not signed by us');
      }
      throw err;
    }
  }
}
