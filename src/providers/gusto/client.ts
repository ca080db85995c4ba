/**
 * Gusto API client over ProviderHttp: OAuth bearer tokens refreshed through `POST /oauth/token` (see auth.ts), the
 * `X-Gusto-API-Version` header on every request, `page`/`per` pagination, and Gusto's documented rate limit.
 *
 * - Version: the spec is API version 2025-06-15; every operation documents `X-Gusto-API-Version` and without it
 *   Gusto answers in the application's minimum version, whose shapes may differ. So it is always sent.
 * - Rate limit (docs.gusto.com/embedded-payroll/docs/rate-limits, not in the spec): 200 requests per minute per
 *   application-user pair, a 60-second rolling window, 429 with `Retry-After` beyond it. Paced by ProviderHttp.
 * - Pagination (docs.gusto.com/embedded-payroll/docs/api-fundamentals, not in the spec): `page` (1-based) and `per`;
 *   the totals come in `X-Total-Count`, `X-Total-Pages`, `X-Per-Page` and `X-Page` headers. Payroll endpoints cap
 *   `per` at 100 (changelog v2024-04-01); 100 is asked everywhere and a smaller `X-Per-Page` is honoured.
 */
import { type ProviderWarn, providerWarn, servedDespiteTotalStreaming } from '../totals.js';
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  type HttpResponse,
  ProviderHttp,
  requestWritten,
  connectionHttpOptions,
  type ProviderClientOptions,
} from '../http.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';
import { GustoTokens, type TokenPair } from './auth.js';
import type { GustoTokenResponse } from './raw.js';

/** Production API root (the spec's `servers` also list the demo environment, https://api.gusto-demo.com). */
export const GUSTO_DEFAULT_BASE_URL = 'https://api.gusto.com';
export const GUSTO_API_VERSION = '2025-06-15';
/** 200 per rolling minute; the half second of slack keeps requests that travel at different speeds inside it. */
export const GUSTO_RATE_LIMIT = { requests: 200, perMs: 60_500 } as const;
export const GUSTO_PAGE_SIZE = 100;
/** Requests in flight at once (Gusto documents no concurrency limit; the rate limit is what binds). */
export const GUSTO_CONCURRENCY = 8;

export interface GustoClientOptions extends ProviderClientOptions {
  pageSize?: number;
}

type Query = HttpRequest['query'];

/** What a page/per walk found: the first page's body (for endpoints that wrap the list) and the mapped records. */
export interface Walk<B, R> {
  head: B;
  items: R[];
}

/** Where a walk hands its pages as they arrive (see `GustoClient.walk`). */
export interface WalkStream<R> {
  expect?(total: number): void;
  page(records: R[]): void;
  /** A record's identity, to check a second walk lists what the first streamed. */
  key(record: R): unknown;
}

function header(res: HttpResponse, name: string): number | null {
  const raw = res.headers[name];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isInteger(value) && value >= 0 ? value : null;
}

function isRejectedToken(err: unknown): boolean {
  return (
    err instanceof ProviderError &&
    err.kind === 'authentication' &&
    err.options.code === 'reauthentication_required'
  );
}

export class GustoClient {
  readonly http: ProviderHttp;
  private readonly oauth: ProviderHttp;
  private readonly warn: ProviderWarn;
  readonly tokens: GustoTokens;
  readonly pageSize: number;
  private readonly clientId: string;
  private readonly clientSecret: string;

  constructor(ctx: ProviderContext, options: GustoClientOptions = {}) {
    this.warn = providerWarn(ctx);
    const baseUrl = ctx.baseUrl ?? GUSTO_DEFAULT_BASE_URL;
    const common = {
      baseUrl,
      ...connectionHttpOptions(ctx, options),
    };
    // No `authHeaders` hook: which token a request carried must be known to refresh exactly once (see `send`).
    this.http = new ProviderHttp({
      ...common,
      concurrency: options.concurrency ?? GUSTO_CONCURRENCY,
      rateLimit: options.rateLimit ?? GUSTO_RATE_LIMIT,
    });
    this.oauth = new ProviderHttp({ ...common, concurrency: 1 });
    this.pageSize = options.pageSize ?? GUSTO_PAGE_SIZE;
    this.clientId = ctx.credentials['client_id'] ?? '';
    this.clientSecret = ctx.credentials['client_secret'] ?? '';
    this.tokens = new GustoTokens(
      {
        access_token: ctx.credentials['access_token'] ?? '',
        refresh_token: ctx.credentials['refresh_token'] ?? '',
      },
      ctx.state,
      (refreshToken) => this.refresh(refreshToken),
    );
  }

  private headers(accessToken: string): Record<string, string> {
    if (!accessToken) {
      throw ProviderError.authentication('incorrect_username_or_password', 'Gusto access token is missing');
    }
    return { authorization: `Bearer ${accessToken}`, 'x-gusto-api-version': GUSTO_API_VERSION };
  }

  /**
   * `POST /oauth/token` (grant `refresh_token`, JSON body as the spec has it). Gusto answers a refused refresh
   * token with 401 (`invalid_grant`); the connection then needs new tokens.
   */
  private async refresh(refreshToken: string): Promise<TokenPair> {
    if (!refreshToken || !this.clientId || !this.clientSecret) {
      throw ProviderError.authentication(
        'reauthentication_required',
        'Gusto refresh credentials are missing',
      );
    }
    const res = await this.oauth.json<GustoTokenResponse>(
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'x-gusto-api-version': GUSTO_API_VERSION },
        body: {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
        },
      },
      [400, 401, 403, 422],
    );
    if (res.status >= 400) {
      throw ProviderError.authentication('reauthentication_required', 'Gusto refused the refresh token');
    }
    const { access_token, refresh_token, expires_in } = res.body ?? {};
    if (typeof access_token !== 'string' || !access_token || typeof refresh_token !== 'string') {
      throw new ProviderError('bad_response', 'Gusto /oauth/token answered without a token pair');
    }
    const lifetime = typeof expires_in === 'number' && expires_in > 0 ? expires_in : 7_200;
    return { access_token, refresh_token, expires_at: Date.now() + lifetime * 1000 };
  }

  /**
   * One authenticated request. A 401 refreshes the token (once for all concurrent requests that met the same
   * token) and repeats the request once; a second 401 is final (`reauthentication_required`).
   */
  private async send<T>(req: HttpRequest, accept: number[]): Promise<HttpResponse<T>> {
    const pair = await this.tokens.current();
    try {
      return await this.http.json<T>(
        { ...req, headers: { ...req.headers, ...this.headers(pair.access_token) } },
        accept,
      );
    } catch (err) {
      if (!isRejectedToken(err)) throw err;
      const fresh = await this.tokens.afterRejection(pair.access_token);
      return this.http.json<T>(
        { ...req, headers: { ...req.headers, ...this.headers(fresh.access_token) } },
        accept,
      );
    }
  }

  /** Authenticated JSON GET; statuses in `accept` are returned instead of thrown (e.g. 404). */
  get<T>(path: string, query?: Query, accept: number[] = []): Promise<HttpResponse<T>> {
    return this.send<T>({ path, query }, accept);
  }

  /**
   * Every page of a `page`/`per` list, each handed to `mapPage` as it arrives (the raw page is garbage after).
   * The first page's headers give the total: the other pages are then fetched concurrently, paced by the rate
   * limit. Totals are hints: a page short of its share in the middle of the list is fetched again once and then
   * refused (a list is never served with a hole); a walk whose count disagrees with the total is walked again once
   * and served as Gusto answers it twice in a row. Without the headers, pages are walked until a short one.
   *
   * With `stream`, every page but the last goes to `stream.page` in list order as soon as the pages before it are
   * in, and `items` holds only the rest. A walk walked again must list the streamed records again, in the same
   * order (`stream.key`), or it is refused: what was streamed cannot be taken back.
   */
  async walk<B, T, R>(
    path: string,
    query: Query,
    items: (body: B) => T[] | undefined,
    mapPage: (records: T[]) => R[],
    stream?: WalkStream<R>,
  ): Promise<Walk<B, R>> {
    const streamed: unknown[] = [];
    // Only the first walk streams; a second one (../totals.ts) is checked against what was streamed below.
    const walk = (first: boolean) =>
      first
        ? this.walkOnce(
            path,
            query,
            items,
            mapPage,
            stream && {
              expect: (total) => stream.expect?.(total),
              page: (records) => {
                for (const r of records) streamed.push(stream.key(r));
                stream.page(records);
              },
            },
          )
        : this.walkOnce(path, query, items, mapPage);
    const { served: second, again: walkedAgain } = await servedDespiteTotalStreaming(
      `Gusto ${path}`,
      walk,
      this.warn,
    );
    if (!walkedAgain || !stream) return second;
    const again = second.items.slice(0, streamed.length).map((r) => stream.key(r));
    if (again.length !== streamed.length || again.some((k, i) => k !== streamed[i])) {
      throw new ProviderError('bad_response', `Gusto ${path} changed while it was read; walk it again later`);
    }
    return { head: second.head, items: second.items.slice(streamed.length) };
  }

  private async walkOnce<B, T, R>(
    path: string,
    query: Query,
    items: (body: B) => T[] | undefined,
    mapPage: (records: T[]) => R[],
    stream?: { expect(total: number): void; page(records: R[]): void },
  ): Promise<Walk<B, R> & { consistent: boolean; count: number; total: number | null }> {
    const per = this.pageSize;
    const fetchPage = async (page: number) => {
      const res = await this.get<B>(path, { ...query, page, per });
      const list = items(res.body);
      if (!Array.isArray(list)) {
        throw new ProviderError('bad_response', `Gusto ${path} answered without a list`);
      }
      return { res, list };
    };
    const first = await fetchPage(1);
    const head = first.res.body;
    const size = Math.min(per, header(first.res, 'x-per-page') ?? per) || per;
    const total = header(first.res, 'x-total-count');
    const announcedPages = header(first.res, 'x-total-pages');
    const pages = total !== null ? Math.max(1, Math.ceil(total / size)) : announcedPages;

    if (pages === null) {
      // No totals: walk until a page comes back short (not streamed: no page is known to be the last).
      const out = mapPage(first.list);
      let count = first.list.length;
      for (let page = 2, last = first.list.length; last >= size && page <= 100_000; page++) {
        const next = await fetchPage(page);
        out.push(...mapPage(next.list));
        last = next.list.length;
        count += last;
      }
      return { head, items: out, consistent: true, count, total: null };
    }
    if (total !== null) stream?.expect(total);

    /** A full page everywhere but the last; what is left of the total on the last. */
    const expected = (page: number) =>
      page < pages ? size : total !== null ? Math.max(0, total - (pages - 1) * size) : null;
    const checked = async (page: number, got?: { list: T[] }) => {
      let result = got ?? (await fetchPage(page));
      const want = expected(page);
      if (page < pages && want !== null && result.list.length < want) {
        result = await fetchPage(page);
        if (result.list.length < want) {
          throw new ProviderError(
            'bad_response',
            `Gusto ${path} page ${page} has ${result.list.length} of ${want} records`,
          );
        }
      }
      // The next page's request is written before this one is mapped, not after (see requestWritten).
      await requestWritten();
      return { mapped: mapPage(result.list), count: result.list.length };
    };
    // Pages done but not handed on yet, each waiting for the pages before it.
    const waiting = new Map<number, R[]>();
    let next = 1;
    const settle = (page: number, mapped: R[]): R[] => {
      if (!stream || page === pages) return mapped;
      waiting.set(page, mapped);
      for (let ready = waiting.get(next); ready; ready = waiting.get(next)) {
        waiting.delete(next++);
        stream.page(ready);
      }
      return [];
    };
    const done = await Promise.all(
      Array.from({ length: pages }, (_, i) =>
        checked(i + 1, i === 0 ? first : undefined).then((d) => ({ ...d, mapped: settle(i + 1, d.mapped) })),
      ),
    );
    const count = done.reduce((n, d) => n + d.count, 0);
    return {
      head,
      items: done.flatMap((d) => d.mapped),
      consistent: total === null || count === total,
      count,
      total,
    };
  }

  /** Every record of a list endpoint whose body is the array itself. */
  async list<T, R = T>(path: string, query: Query = {}, mapPage?: (records: T[]) => R[]): Promise<R[]> {
    const walk = await this.walk<T[], T, R>(
      path,
      query,
      (body) => body,
      mapPage ?? ((records) => records as unknown as R[]),
    );
    return walk.items;
  }

  /** Passthrough: an authenticated request confined to the API base; Gusto's status, never thrown (but 401). */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    const pair = await this.tokens.current();
    try {
      return await this.http.passthrough(req, { auth: this.headers(pair.access_token) });
    } catch (err) {
      if (!isRejectedToken(err)) throw err;
      const fresh = await this.tokens.afterRejection(pair.access_token);
      return this.http.passthrough(req, { auth: this.headers(fresh.access_token) });
    }
  }
}
