/**
 * Xero Payroll UK HTTP client over ProviderHttp: OAuth 2 bearer tokens (refreshed and rotated by `XeroTokens`), the
 * `Xero-Tenant-Id` header on every call, Xero's page-number pagination, and its documented rate limits.
 *
 * Rate limits (developer.xero.com/faq/limits, "What are the Xero API rate limits?"), per tenant: 5 calls in progress
 * at once, 60 calls a minute, 5000 a day (plus 10,000 a minute per app across tenants). Every response carries
 * `X-DayLimit-Remaining`, `X-MinLimit-Remaining` and `X-AppMinLimit-Remaining`; going over answers 429 with
 * `Retry-After` (and `X-Rate-Limit-Problem` naming the limit). The client paces itself to 5 in flight and 60 a
 * minute; the daily limit is left to Xero's 429, whose hours-long Retry-After ProviderHttp turns into `rate_limited`
 * at once instead of waiting.
 *
 * Pagination: list endpoints take `page` (1-based) and answer `pagination: {page, pageSize, pageCount, itemCount}`,
 * 100 records a page ("By default the number of the records per set is 100", on every paged endpoint of the spec).
 */
import { providerWarn, servedDespiteTotal } from '../totals.js';
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  type HttpResponse,
  ProviderHttp,
  connectionHttpOptions,
  type ProviderClientOptions,
} from '../http.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';
import type { XeroEnvelope } from './raw.js';
import { XERO_TOKEN_URL, XeroTokens } from './tokens.js';

/** The production API root, the spec's `servers` entry. */
export const XERO_DEFAULT_BASE_URL = 'https://api.xero.com/payroll.xro/2.0';
/** Xero's documented per-tenant limits. */
export const XERO_LIMITS = { concurrent: 5, perMinute: 60, perDay: 5_000 } as const;
/**
 * What the client paces to: 60 a minute with half a second of slack, so that requests taking slightly different
 * times to arrive never put 61 into one of Xero's minutes.
 */
export const XERO_PACE = { requests: XERO_LIMITS.perMinute, perMs: 60_500 } as const;
export const XERO_PAGE_SIZE = 100;
/** A walk longer than this many pages is a provider that never says it is done. */
const MAX_PAGES = 10_000;

export interface XeroClientOptions extends ProviderClientOptions {
  /** The token endpoint; by default Xero's identity service, or `/connect/token` on a non-Xero base URL's origin. */
  tokenUrl?: string;
  /** Where a walk that disagrees with its announced total is reported; default the connection's logger. */
  warn?: (message: string) => void;
  now?: () => number;
}

/**
 * Xero's identity service lives on its own host; an emulator (or a proxy) given as the base URL serves both, with
 * the token endpoint at `/connect/token` on the same origin, as identity.xero.com has it.
 */
export function tokenUrlFor(baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  return origin === new URL(XERO_DEFAULT_BASE_URL).origin ? XERO_TOKEN_URL : `${origin}/connect/token`;
}

type Query = HttpRequest['query'];

interface Page<T> {
  items: T[];
  pageSize: number | null;
  pageCount: number | null;
  itemCount: number | null;
}

const count = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;

function listIn<T>(body: unknown, key: string, path: string): T[] {
  const list = (body as Record<string, unknown> | null | undefined)?.[key];
  if (!Array.isArray(list))
    throw new ProviderError('bad_response', `Xero ${path}: response has no ${key} list`);
  return list as T[];
}

export class XeroClient {
  readonly http: ProviderHttp;
  readonly tokens: XeroTokens;
  private readonly tenantId: string;
  private readonly warn: (message: string) => void;

  constructor(ctx: ProviderContext, options: XeroClientOptions = {}) {
    const baseUrl = ctx.baseUrl ?? XERO_DEFAULT_BASE_URL;
    const common = {
      ...connectionHttpOptions(ctx, options),
    };
    // No `authHeaders` hook: a 401 comes back as `reauthentication_required`, and `send` below refreshes once for
    // the token that was refused (the hook cannot tell which one that was).
    this.http = new ProviderHttp({
      ...common,
      baseUrl,
      concurrency: options.concurrency ?? XERO_LIMITS.concurrent,
      rateLimit: options.rateLimit ?? XERO_PACE,
    });
    const tokenUrl = new URL(options.tokenUrl ?? tokenUrlFor(baseUrl));
    const tokenPath = tokenUrl.pathname.split('/').pop() ?? '';
    this.tokens = new XeroTokens({
      // The identity service has its own limits, apart from the tenant's API limits.
      http: new ProviderHttp({ ...common, baseUrl: new URL('.', tokenUrl).href, concurrency: 2 }),
      tokenPath,
      credentials: {
        client_id: ctx.credentials['client_id'] ?? '',
        client_secret: ctx.credentials['client_secret'] ?? '',
        refresh_token: ctx.credentials['refresh_token'] ?? '',
      },
      state: ctx.state,
      connectionId: ctx.connectionId,
      signal: ctx.signal,
      now: options.now,
    });
    // A missing tenant id fails on first use, not here: the registry builds adapters without credentials.
    this.tenantId = ctx.credentials['tenant_id'] ?? '';
    this.warn = options.warn ?? providerWarn(ctx);
  }

  private headers(token: string): Record<string, string> {
    if (!this.tenantId) {
      throw ProviderError.authentication('incorrect_username_or_password', 'Xero tenant id is missing');
    }
    return { authorization: `Bearer ${token}`, 'xero-tenant-id': this.tenantId };
  }

  /** Runs `call` with the access token; after a 401, once more with a refreshed one (a second 401 is final). */
  private async authorized<R>(call: (auth: Record<string, string>) => Promise<R>): Promise<R> {
    const token = await this.tokens.accessToken();
    try {
      return await call(this.headers(token));
    } catch (err) {
      if (!(err instanceof ProviderError) || err.options.code !== 'reauthentication_required') throw err;
      return call(this.headers(await this.tokens.refreshAfter(token)));
    }
  }

  /** One authenticated JSON GET. `accept` lists non-2xx statuses returned instead of thrown (e.g. 404). */
  async get<T>(path: string, query?: Query, accept: number[] = []): Promise<HttpResponse<T>> {
    return this.authorized((auth) => this.http.json<T>({ path, query, headers: auth }, accept));
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    return this.authorized((auth) => this.http.passthrough(req, { auth }));
  }

  /** One un-paged list (`GET /Employees/{id}/Leave`…): the array under `key`. */
  async list<T>(path: string, key: string, query?: Query): Promise<T[]> {
    const { body } = await this.get<XeroEnvelope>(path, query);
    return listIn<T>(body, key, path);
  }

  private async page<T>(path: string, key: string, query: Query, page: number): Promise<Page<T>> {
    const { body } = await this.get<XeroEnvelope>(path, { ...query, page });
    const pagination = body?.pagination;
    return {
      items: listIn<T>(body, key, path),
      pageSize: count(pagination?.pageSize) || null,
      pageCount: count(pagination?.pageCount),
      itemCount: count(pagination?.itemCount),
    };
  }

  /**
   * Every record of a paged list, each page mapped by `mapPage` (one result per record, in order) as it arrives, so
   * raw pages do not pile up; results in list order, a record listed twice (the list moved while it was paged) kept
   * once, where it was first listed.
   *
   * Page 1 tells how many pages there are; the rest are fetched concurrently, paced by the rate limit. A page before
   * the last with fewer records than a page holds is fetched once more, and if still short the whole call fails:
   * records would be missing. `itemCount` is a hint: a walk whose count disagrees with it is walked again once, and
   * if the second walk returns as many records as the first, that is what the provider consistently answers and it is
   * served, with a warning; two walks that disagree fail.
   */
  async walk<T, R>(
    path: string,
    key: string,
    query: Query,
    idOf: (item: T) => string | null | undefined,
    mapPage: (items: T[]) => R[] | Promise<R[]>,
  ): Promise<R[]> {
    const walk = async () => {
      const { rows, announced } = await this.walkOnce(path, key, query, idOf, mapPage);
      return { rows, total: announced, count: rows.length };
    };
    return (await servedDespiteTotal(`Xero ${path}`, walk, this.warn)).rows;
  }

  private async walkOnce<T, R>(
    path: string,
    key: string,
    query: Query,
    idOf: (item: T) => string | null | undefined,
    mapPage: (items: T[]) => R[] | Promise<R[]>,
  ): Promise<{ rows: R[]; announced: number | null }> {
    const keyed = async (items: T[]): Promise<Array<{ id: string | null | undefined; value: R }>> => {
      const ids = items.map(idOf);
      const values = await mapPage(items);
      return values.map((value, i) => ({ id: ids[i], value }));
    };
    const first = await this.page<T>(path, key, query, 1);
    const size = first.pageSize ?? XERO_PAGE_SIZE;
    let pages: Array<Array<{ id: string | null | undefined; value: R }>>;
    if (first.pageCount !== null) {
      const last = Math.max(1, first.pageCount);
      const checked = async (n: number, got?: Page<T>) => {
        let page = got ?? (await this.page<T>(path, key, query, n));
        if (n < last && page.items.length < size) page = await this.page<T>(path, key, query, n);
        if (n < last && page.items.length < size) {
          throw new ProviderError(
            'bad_response',
            `Xero ${path}: page ${n} of ${last} has ${page.items.length} records, a full page is ${size}`,
          );
        }
        return keyed(page.items);
      };
      pages = await Promise.all(
        Array.from({ length: last }, (_, i) => checked(i + 1, i === 0 ? first : undefined)),
      );
    } else {
      // No page count: walk until a page comes back short.
      pages = [];
      let page = first;
      for (let n = 1; ; n++) {
        pages.push(await keyed(page.items));
        if (page.items.length < size) break;
        if (n >= MAX_PAGES)
          throw new ProviderError('bad_response', `Xero ${path}: more than ${MAX_PAGES} pages`);
        page = await this.page<T>(path, key, query, n + 1);
      }
    }
    const seen = new Set<string>();
    const rows: R[] = [];
    for (const page of pages) {
      for (const { id, value } of page) {
        if (id) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        rows.push(value);
      }
    }
    return { rows, announced: first.itemCount };
  }
}
