/**
 * Factorial API client (version 2026-07-01) over ProviderHttp: API-key or OAuth bearer auth with refresh, Factorial's
 * cursor pagination, and pacing.
 *
 * Auth (spec `components.securitySchemes`): an API key in the `x-api-key` header, or an OAuth 2 access token as
 * `Authorization: Bearer`. API keys never expire, so a 401 with one is final. OAuth user tokens last an hour and come
 * with a refresh token (valid a week, rotated on use) that `POST /oauth/token` (grant `refresh_token`, with the OAuth
 * application's client id and secret) exchanges for a new pair; company tokens do not expire. Refreshed tokens are
 * kept in the connection's sealed state, never in the credentials.
 *
 * Pagination (Factorial's "Pagination" guide): cursor based, `limit` at most 100 (also the default), `after_id` =
 * the previous page's `meta.end_cursor`, records in ascending id order, `meta.has_next_page` and `meta.total`.
 *
 * Rate limits: Factorial publishes one, 200 requests per minute for POST requests (API FAQ, "Rate limit"); the only
 * POST we send is the token refresh, paced to it. No limit is published for GET: reads are bounded by concurrency
 * and a 429 is waited out as its Retry-After says (ProviderHttp).
 */
import { providerWarn, servedDespiteTotal, walkHandingOn } from '../totals.js';
import { createHash } from 'node:crypto';
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  type HttpResponse,
  ProviderHttp,
  connectionHttpOptions,
  type ProviderClientOptions,
} from '../http.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';
import type { FactorialMeta, FactorialPage, FactorialTokenResponse } from './raw.js';

export const FACTORIAL_DEFAULT_BASE_URL = 'https://api.factorialhr.com';
export const FACTORIAL_API_VERSION = '2026-07-01';
/** Every resource lives under this path (the spec's path keys). */
export const FACTORIAL_RESOURCES = `/api/${FACTORIAL_API_VERSION}/resources`;
/** The documented maximum (and default) page size. */
export const FACTORIAL_PAGE_LIMIT = 100;
/** "There is a limit of 200 requests per minute for POST requests." */
export const FACTORIAL_POST_RATE_LIMIT = { requests: 200, perMs: 60_000 } as const;
/** Reads in flight at once per connection: no GET limit is published, so we stay modest. */
export const FACTORIAL_CONCURRENCY = 4;

const TOKEN_STATE_KEY = 'factorial.oauth';
/** Refresh this long before an access token's announced expiry. */
const TOKEN_MARGIN_MS = 60_000;

export interface FactorialCredentials {
  api_key?: string;
  access_token?: string;
  refresh_token?: string;
  client_id?: string;
  client_secret?: string;
}

/** What is kept in the sealed state after a refresh; `origin` ties it to the credentials it came from. */
interface TokenRecord {
  access_token: string;
  refresh_token: string | null;
  /** Epoch ms; null when Factorial gave no expiry (company tokens). */
  expires_at: number | null;
  origin: string;
}

export interface FactorialClientOptions extends Omit<ProviderClientOptions, 'rateLimit'> {
  pageLimit?: number;
  /** Told when a walk's record count disagrees with the total Factorial announced (the list is served anyway). */
  onWarning?: (message: string) => void;
}

type Query = HttpRequest['query'];

/** sha256 of the token the connection was made with: a reconnect with new tokens makes saved state stale. */
function fingerprint(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class FactorialClient {
  readonly http: ProviderHttp;
  private readonly tokenHttp: ProviderHttp;
  private readonly creds: FactorialCredentials;
  readonly pageLimit: number;
  private readonly warn: (message: string) => void;
  private token: TokenRecord | null = null;
  private loaded = false;
  private refreshing: Promise<TokenRecord> | null = null;
  /** How many times this client exchanged a refresh token (tests count them). */
  refreshes = 0;

  constructor(
    private readonly ctx: ProviderContext,
    options: FactorialClientOptions = {},
  ) {
    // Missing credentials fail on first use, not here: the registry builds adapters without any.
    this.creds = {
      api_key: ctx.credentials['api_key']?.trim() || undefined,
      access_token: ctx.credentials['access_token']?.trim() || undefined,
      refresh_token: ctx.credentials['refresh_token']?.trim() || undefined,
      client_id: ctx.credentials['client_id']?.trim() || undefined,
      client_secret: ctx.credentials['client_secret']?.trim() || undefined,
    };
    this.pageLimit = Math.min(options.pageLimit ?? FACTORIAL_PAGE_LIMIT, FACTORIAL_PAGE_LIMIT);
    this.warn = options.onWarning ?? providerWarn(ctx);
    const common = {
      baseUrl: ctx.baseUrl ?? FACTORIAL_DEFAULT_BASE_URL,
      ...connectionHttpOptions(ctx, options),
    };
    this.http = new ProviderHttp({ ...common, concurrency: options.concurrency ?? FACTORIAL_CONCURRENCY });
    this.tokenHttp = new ProviderHttp({ ...common, concurrency: 1, rateLimit: FACTORIAL_POST_RATE_LIMIT });
  }

  /** `api_key` wins when both are given, as Factorial itself does ("the api key will overrule the oauth"). */
  get authMode(): 'api_key' | 'oauth' | 'none' {
    if (this.creds.api_key) return 'api_key';
    if (this.creds.access_token) return 'oauth';
    return 'none';
  }

  private get canRefresh(): boolean {
    return Boolean(this.creds.refresh_token && this.creds.client_id && this.creds.client_secret);
  }

  /** The current OAuth record: the saved one when it descends from these credentials, else the credentials'. */
  private async oauthToken(): Promise<TokenRecord> {
    const given = this.creds.access_token ?? '';
    if (!this.loaded) {
      this.loaded = true;
      const saved = await this.ctx.state.get<TokenRecord>(TOKEN_STATE_KEY);
      if (saved && saved.origin === fingerprint(given) && typeof saved.access_token === 'string') {
        this.token = saved;
      }
    }
    if (!this.token) {
      this.token = {
        access_token: given,
        refresh_token: this.creds.refresh_token ?? null,
        expires_at: null,
        origin: fingerprint(given),
      };
    }
    if (
      this.token.expires_at !== null &&
      this.token.expires_at < Date.now() + TOKEN_MARGIN_MS &&
      this.canRefresh
    ) {
      return this.refreshAfter(this.token.access_token);
    }
    return this.token;
  }

  /**
   * A new token after `failed` stopped working, refreshing at most once however many requests saw it fail: a
   * request that arrives after someone else replaced `failed` (this client, or another adapter of the same
   * connection, seen through the shared state) just takes the replacement.
   */
  private async refreshAfter(failed: string): Promise<TokenRecord> {
    if (this.token && this.token.access_token !== failed) return this.token;
    if (this.refreshing) return this.refreshing;
    this.refreshing = (async () => {
      try {
        const saved = await this.ctx.state.get<TokenRecord>(TOKEN_STATE_KEY);
        if (saved && saved.origin === this.token?.origin && saved.access_token !== failed) {
          this.token = saved;
          return saved;
        }
        return await this.exchange();
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** `POST /oauth/token` with the refresh token; a refused refresh means the user must connect again. */
  private async exchange(): Promise<TokenRecord> {
    const current = this.token;
    const refreshToken = current?.refresh_token;
    if (!current || !refreshToken || !this.creds.client_id || !this.creds.client_secret) {
      throw ProviderError.authentication('reauthentication_required', 'Factorial access token expired');
    }
    const res = await this.tokenHttp.json<FactorialTokenResponse>(
      {
        method: 'POST',
        path: '/oauth/token',
        form: {
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: this.creds.client_id,
          client_secret: this.creds.client_secret,
        },
      },
      [400, 401, 403],
    );
    const body = res.body;
    if (res.status >= 400 || typeof body?.access_token !== 'string' || body.access_token === '') {
      if (res.status >= 400) {
        throw ProviderError.authentication(
          'reauthentication_required',
          'Factorial refused the refresh token',
        );
      }
      throw new ProviderError('bad_response', 'Factorial /oauth/token answered without an access token');
    }
    this.refreshes++;
    const record: TokenRecord = {
      access_token: body.access_token,
      // Factorial rotates refresh tokens; keep the old one only if it did not send a new one.
      refresh_token: typeof body.refresh_token === 'string' ? body.refresh_token : refreshToken,
      expires_at: typeof body.expires_in === 'number' ? Date.now() + body.expires_in * 1000 : null,
      origin: current.origin,
    };
    this.token = record;
    await this.ctx.state.set(TOKEN_STATE_KEY, record);
    return record;
  }

  private async authHeaders(): Promise<{ headers: Record<string, string>; token: string | null }> {
    switch (this.authMode) {
      case 'api_key':
        return { headers: { 'x-api-key': this.creds.api_key ?? '' }, token: null };
      case 'oauth': {
        const token = (await this.oauthToken()).access_token;
        return { headers: { authorization: `Bearer ${token}` }, token };
      }
      case 'none':
        throw ProviderError.authentication(
          'incorrect_username_or_password',
          'a Factorial API key or OAuth access token is required',
        );
    }
  }

  /**
   * One authenticated JSON request. An OAuth 401 is answered by one refresh and one retry; a 401 after that (or
   * with an API key, which cannot be refreshed) → reauthentication_required. `accept` lists other non-2xx statuses
   * returned instead of thrown.
   */
  async json<T>(req: HttpRequest, accept: number[] = []): Promise<HttpResponse<T>> {
    const first = await this.authHeaders();
    let res = await this.http.json<T>({ ...req, headers: { ...req.headers, ...first.headers } }, [
      ...accept,
      401,
    ]);
    if (res.status === 401 && first.token !== null && this.canRefresh) {
      const fresh = await this.refreshAfter(first.token);
      res = await this.http.json<T>(
        { ...req, headers: { ...req.headers, authorization: `Bearer ${fresh.access_token}` } },
        [...accept, 401],
      );
    }
    if (res.status === 401 && !accept.includes(401)) {
      throw ProviderError.authentication(
        'reauthentication_required',
        'Factorial refused the stored credentials',
      );
    }
    return res;
  }

  /** One page of a list resource (`path` under FACTORIAL_RESOURCES). */
  private async page<T>(
    path: string,
    query: Query,
    urgent: boolean,
  ): Promise<{ items: T[]; meta: FactorialMeta }> {
    const res = await this.json<FactorialPage<T>>({ path: `${FACTORIAL_RESOURCES}/${path}`, query, urgent });
    const body = res.body;
    if (!body || typeof body !== 'object' || !Array.isArray(body.data)) {
      throw new ProviderError('bad_response', `Factorial ${path} answered without a data list`);
    }
    return { items: body.data, meta: body.meta ?? {} };
  }

  /**
   * Every record of a list, walking the cursor. A page shorter than the page size while Factorial says more follow
   * is fetched once more and otherwise fails the call (records would be missing). A walk whose count disagrees with
   * `meta.total` follows the shared rule of ../totals.ts: walked again once, served as Factorial consistently
   * answers with a warning, two disagreeing walks fail (Factorial's own examples announce `total: 0` beside a record).
   */
  async list<T extends { id?: string }>(path: string, query: Query = {}): Promise<T[]> {
    const walk = async () => {
      const items: T[] = [];
      const { count, total } = await this.walk<T>(path, query, false, (page) => {
        for (const item of page) items.push(item);
      });
      return { items, total, count };
    };
    return (await servedDespiteTotal(`Factorial ${path}`, walk, this.warn)).items;
  }

  /**
   * `list` handed on page by page instead of kept: each page goes to `onPage` as it arrives (the next one is already
   * asked for, ahead of other requests waiting for a slot), with the total Factorial announced. Under the totals rule a second walk hands on only what the first
   * did not (`walkHandingOn`). Returns the count.
   */
  async walkList<T extends { id?: string }>(
    path: string,
    query: Query,
    onPage: (items: readonly T[], total: number | null) => void,
  ): Promise<number> {
    let total: number | null = null;
    const served = await walkHandingOn<T, { count: number; total: number | null }>(
      `Factorial ${path}`,
      (hand) =>
        this.walk<T>(path, query, true, (page, announced) => {
          total = announced;
          hand(page);
        }),
      (item) => item.id ?? '',
      (items) => onPage(items, total),
      this.warn,
    );
    return served.count;
  }

  /**
   * One walk; `onPage` sees each checked page (and the announced total) as it arrives. The next page is asked for
   * before `onPage` runs, so the cursor chain does not wait for what `onPage` sets off (contract versions, mapping,
   * encoding: CPU work runs when their answers come in, after the request has been written); `urgent` pages go
   * ahead of other requests waiting for a slot.
   */
  private async walk<T extends { id?: string }>(
    path: string,
    query: Query,
    urgent: boolean,
    onPage: (items: T[], total: number | null) => void,
  ): Promise<{ count: number; total: number | null }> {
    const ids = new Set<string>();
    const cursors = new Set<string>();
    let count = 0;
    let total: number | null = null;
    const fetchPage = (after: string | undefined) =>
      this.page<T>(path, { ...query, limit: this.pageLimit, after_id: after }, urgent);
    let after: string | undefined;
    let pending = fetchPage(undefined);
    for (let n = 0; ; n++) {
      let page = await pending;
      const size =
        typeof page.meta.limit === 'number' && page.meta.limit > 0 ? page.meta.limit : this.pageLimit;
      const short = () =>
        page.meta.has_next_page === true && page.items.length < Math.min(size, this.pageLimit);
      if (short()) page = await fetchPage(after);
      if (short()) {
        throw new ProviderError(
          'bad_response',
          `Factorial ${path}: page ${n + 1} has ${page.items.length} of ${Math.min(size, this.pageLimit)} records and more follow`,
        );
      }
      if (n === 0 && typeof page.meta.total === 'number' && page.meta.total >= 0) total = page.meta.total;
      const more = page.meta.has_next_page === true;
      if (more) {
        const next = page.meta.end_cursor;
        if (typeof next !== 'string' || next === '' || cursors.has(next)) {
          throw new ProviderError(
            'bad_response',
            `Factorial ${path}: has_next_page without a new end_cursor`,
          );
        }
        cursors.add(next);
        after = next;
        pending = fetchPage(next);
        // Abandoned if this page fails below: its failure must not surface as unhandled.
        pending.catch(() => undefined);
      }
      // Pages may overlap when records are added while we read; the first copy of a record stays.
      const fresh: T[] = [];
      for (const item of page.items) {
        const id = item.id;
        if (typeof id === 'string') {
          if (ids.has(id)) continue;
          ids.add(id);
        }
        fresh.push(item);
      }
      count += fresh.length;
      onPage(fresh, total);
      if (!more) break;
    }
    return { count, total };
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    const { headers } = await this.authHeaders();
    return this.http.passthrough(req, { auth: headers });
  }
}
