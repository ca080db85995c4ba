/**
 * Xero OAuth 2 tokens for one connection. The connect page collects the app's client id and secret and a refresh
 * token; access tokens come from `POST https://identity.xero.com/connect/token` (refresh_token grant, client id and
 * secret as HTTP Basic) and last 30 minutes. Xero rotates the refresh token on every refresh: the old one stops
 * working (Xero allows retrying it for 30 minutes when the answer was lost; the emulator is stricter and refuses it at
 * once). So the newest pair is kept in the connection's sealed state, and two requests that find the access token
 * expired together must refresh once:
 *
 * - within a process, refreshes of one connection's grant are single-flight (a module-level map, since the platform
 *   builds an adapter per request), and a refresh first re-reads the state in case another request already did it;
 * - across processes, the loser of a race gets `invalid_grant` for the refresh token the winner spent; it then reads
 *   the state again for a while, and adopts the winner's pair once it appears there.
 *
 * The state remembers which connect-page refresh token (its hash) it grew from: after a reconnect with a new one,
 * the stale pair is ignored.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from '../errors.js';
import type { ProviderHttp } from '../http.js';
import type { ConnectionState } from '../types.js';
import type { XeroTokenResponse } from './raw.js';

export const XERO_TOKEN_URL = 'https://identity.xero.com/connect/token';
/** The adapter state key holding the current token pair (sealed by the platform). */
export const XERO_TOKEN_STATE_KEY = 'xero-uk.tokens';
/** An access token this close to expiry is refreshed before use rather than risk a 401 mid-walk. */
const EXPIRY_MARGIN_MS = 60_000;
/** Xero's documented access-token lifetime, used when a token response leaves `expires_in` out. */
const DEFAULT_EXPIRES_IN_S = 1_800;
/** After losing a cross-process race: how often, and how long apart, to look for the winner's tokens. */
const ADOPT_ATTEMPTS = 4;
const ADOPT_BASE_DELAY_MS = 50;

export interface TokenRecord {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  /** sha256 of the connect-page refresh token this pair descends from. */
  grant: string;
}

export interface XeroCredentials {
  client_id: string;
  client_secret: string;
  refresh_token: string;
}

const inFlight = new Map<string, Promise<TokenRecord>>();

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export class XeroTokens {
  private record: TokenRecord | null = null;
  private readonly grant: string;

  constructor(
    private readonly opts: {
      /** ProviderHttp for the identity service, and the token endpoint's path under its base URL. */
      http: ProviderHttp;
      tokenPath: string;
      credentials: XeroCredentials;
      state: ConnectionState;
      /** Scopes the single-flight map: one grant of one connection. */
      connectionId: string;
      now?: () => number;
      signal?: AbortSignal;
    },
  ) {
    this.grant = hash(opts.credentials.refresh_token);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The record, when its access token is not about to expire. */
  private fresh(record: TokenRecord | null): TokenRecord | null {
    return record !== null && record.expiresAt - EXPIRY_MARGIN_MS > this.now() ? record : null;
  }

  /** The saved pair, if it descends from the current connect-page refresh token. */
  private async saved(): Promise<TokenRecord | null> {
    const record = await this.opts.state.get<TokenRecord>(XERO_TOKEN_STATE_KEY);
    if (!record || record.grant !== this.grant || typeof record.accessToken !== 'string') return null;
    return record;
  }

  /** An access token that is not about to expire, refreshing first if need be. */
  async accessToken(): Promise<string> {
    const current = this.fresh(this.record);
    if (current) return current.accessToken;
    const saved = this.fresh(await this.saved());
    if (saved) {
      this.record = saved;
      return saved.accessToken;
    }
    return (await this.refresh(this.record?.accessToken ?? null)).accessToken;
  }

  /** After Xero refused `rejected` with a 401: a newer access token, refreshed once however many callers ask. */
  async refreshAfter(rejected: string): Promise<string> {
    const current = this.fresh(this.record);
    if (current && current.accessToken !== rejected) return current.accessToken;
    return (await this.refresh(rejected)).accessToken;
  }

  private refresh(stale: string | null): Promise<TokenRecord> {
    const key = `${this.opts.connectionId}\n${this.grant}`;
    let flight = inFlight.get(key);
    if (!flight) {
      flight = this.doRefresh(stale).finally(() => inFlight.delete(key));
      inFlight.set(key, flight);
    }
    return flight.then((record) => {
      this.record = record;
      return record;
    });
  }

  private async doRefresh(stale: string | null): Promise<TokenRecord> {
    // Another request (or process) may have refreshed since this one read its token.
    const saved = await this.saved();
    const usable = this.fresh(saved);
    if (usable && usable.accessToken !== stale) return usable;
    const spent = saved?.refreshToken ?? this.opts.credentials.refresh_token;
    const outcome = await this.exchange(spent);
    if (outcome !== 'invalid_grant') {
      await this.opts.state.set(XERO_TOKEN_STATE_KEY, outcome);
      return outcome;
    }
    // Another process may have spent `spent` a moment ago; its pair reaches the state right after its answer.
    for (let attempt = 0; attempt < ADOPT_ATTEMPTS; attempt++) {
      const now = await this.saved();
      if (now && now.refreshToken !== spent) return now;
      await sleep(ADOPT_BASE_DELAY_MS * 2 ** attempt, undefined, { signal: this.opts.signal }).catch(
        () => {},
      );
    }
    throw ProviderError.authentication(
      'reauthentication_required',
      'Xero refused the refresh token (expired, revoked or already used): connect again',
    );
  }

  /** One refresh_token grant; `invalid_grant` when Xero refuses the refresh token itself. */
  private async exchange(refreshToken: string): Promise<TokenRecord | 'invalid_grant'> {
    const { client_id, client_secret } = this.opts.credentials;
    if (!client_id || !client_secret || !refreshToken) {
      throw ProviderError.authentication('incorrect_username_or_password', 'Xero credentials are incomplete');
    }
    const basic = Buffer.from(`${client_id}:${client_secret}`).toString('base64');
    const res = await this.opts.http.json<XeroTokenResponse & { error?: unknown }>(
      {
        method: 'POST',
        path: this.opts.tokenPath,
        form: { grant_type: 'refresh_token', refresh_token: refreshToken },
        headers: { authorization: `Basic ${basic}` },
      },
      [400, 401],
    );
    const body = res.body ?? {};
    if (res.status === 400 && body.error === 'invalid_grant') return 'invalid_grant';
    if (res.status === 400 || res.status === 401) {
      // invalid_client (a wrong id or secret) and anything else Xero refuses: the stored credentials do not work.
      throw ProviderError.authentication(
        'reauthentication_required',
        `Xero refused the client credentials (${typeof body.error === 'string' ? body.error : res.status})`,
      );
    }
    const { access_token, refresh_token, expires_in } = body;
    if (typeof access_token !== 'string' || access_token === '' || typeof refresh_token !== 'string') {
      throw new ProviderError(
        'bad_response',
        'Xero token endpoint answered without an access and refresh token',
      );
    }
    const seconds = typeof expires_in === 'number' && expires_in > 0 ? expires_in : DEFAULT_EXPIRES_IN_S;
    return {
      accessToken: access_token,
      refreshToken: refresh_token,
      expiresAt: this.now() + seconds * 1000,
      grant: this.grant,
    };
  }
}
