/**
 * Remote API client over ProviderHttp: Bearer API token, Remote's page/page_size pagination and its rate limit.
 *
 * Auth: a company's API token (Remote → Company settings → Integrations & API → API tokens, `ra_live_…`) sent as
 * `Authorization: Bearer`. Tokens do not expire and cannot be refreshed, so a 401 is final.
 *
 * Pagination (spec: `page`, "starts fetching records after the given page", default 1; `page_size`, "defaults to 20,
 * limited to 100"): records under `data.<key>` with `current_page`, `total_count` and `total_pages` (inside `data`
 * for most lists, beside it for company departments). The client asks for 100 a page; after the first page the
 * others are asked for concurrently (pacing holds them to the limit).
 *
 * Rate limit (remote.com/resources/api/rate-limit): 20 authenticated requests per minute per company, a fixed
 * one-minute window that starts with the first request, shared by every token of the company. We pace to it (with
 * a second of slack, REMOTE_PACING); a 429 is waited out by ProviderHttp as its Retry-After says or, as Remote
 * sends none, as its `x-ratelimit-reset` says: MILLISECONDS until the window resets, declared to ProviderHttp
 * (`rateLimitReset`), which would otherwise read a bare number as seconds.
 */
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  ProviderHttp,
  connectionHttpOptions,
  type ProviderClientOptions,
} from '../http.js';
import { type ProviderWarn, providerWarn, servedDespiteTotal } from '../totals.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';
import type { RemotePage } from './raw.js';

/** The spec's first `servers` entry (production); the sandbox is `https://gateway.remote-sandbox.com`. */
export const REMOTE_DEFAULT_BASE_URL = 'https://gateway.remote.com';
/** "Change the amount of records returned per page, defaults to 20, limited to 100." */
export const REMOTE_PAGE_SIZE = 100;
/** "The Remote API limits the number of authenticated requests to 20 requests per minute" (per company). */
export const REMOTE_RATE_LIMIT = { requests: 20, perMs: 60_000 } as const;
/**
 * What the client paces to: Remote's 20, per 61 s. Remote's window is fixed and starts at the request it first
 * receives; ours slides from the moment we send. One second of slack keeps the 21st request from arriving a few
 * milliseconds before Remote's window ends (measured in P2: without it, 429s at window edges cost a whole extra
 * window, 301 s for 100 pages instead of 240 s).
 */
export const REMOTE_PACING = { requests: REMOTE_RATE_LIMIT.requests, perMs: 61_000 } as const;
/** Added to a 429's `x-ratelimit-reset` so the retry lands in the new window, not at its last instant. */
export const REMOTE_RESET_MARGIN_MS = 100;
/** Requests in flight at once: the rate limit is the real bound. */
export const REMOTE_CONCURRENCY = 4;

export interface RemoteClientOptions extends ProviderClientOptions {
  pageSize?: number;
  /** Told when a walk's record count disagrees with `total_count` (the list is served anyway). */
  onWarning?: ProviderWarn;
}

type Query = HttpRequest['query'];

/** Page counters: inside `data` (employments, time off), or beside it (company departments, the spec's examples). */
function countersOf(body: { data?: RemotePage } & RemotePage): RemotePage {
  return {
    current_page: body.data?.current_page ?? body.current_page,
    total_count: body.data?.total_count ?? body.total_count,
    total_pages: body.data?.total_pages ?? body.total_pages,
  };
}

export class RemoteClient {
  readonly http: ProviderHttp;
  readonly pageSize: number;
  private readonly token: string;
  private readonly warn: ProviderWarn;

  constructor(ctx: ProviderContext, options: RemoteClientOptions = {}) {
    // A missing token fails on first use, not here: the registry builds adapters without credentials.
    this.token = ctx.credentials['api_token']?.trim() ?? '';
    this.pageSize = Math.min(options.pageSize ?? REMOTE_PAGE_SIZE, REMOTE_PAGE_SIZE);
    this.warn = options.onWarning ?? providerWarn(ctx);
    this.http = new ProviderHttp({
      baseUrl: ctx.baseUrl ?? REMOTE_DEFAULT_BASE_URL,
      // No `authHeaders` hook: an API token cannot be refreshed, so a 401 is final.
      concurrency: options.concurrency ?? REMOTE_CONCURRENCY,
      rateLimit: options.rateLimit ?? REMOTE_PACING,
      rateLimitReset: { unit: 'milliseconds', marginMs: REMOTE_RESET_MARGIN_MS },
      ...connectionHttpOptions(ctx, options),
      // A 429 is worth waiting out for up to one window (Remote's windows are a minute long).
      maxRetryAfterMs: options.maxRetryAfterMs ?? REMOTE_RATE_LIMIT.perMs,
    });
  }

  get hasToken(): boolean {
    return this.token !== '';
  }

  private auth(): Record<string, string> {
    if (!this.token) {
      throw ProviderError.authentication('incorrect_username_or_password', 'a Remote API token is required');
    }
    return { authorization: `Bearer ${this.token}` };
  }

  /**
   * One authenticated JSON GET; a 401 → reauthentication_required. `accept` lists statuses returned, not thrown.
   * A 429 is waited out by ProviderHttp (Remote's reset in ms, at most `maxRetryAfterMs`, default one window), and
   * fails with `rate_limited` and the true wait once it has tried enough or the wait is longer.
   */
  async get<T>(path: string, query?: Query, accept: number[] = []): Promise<{ status: number; body: T }> {
    const res = await this.http.json<T>({ path, query, headers: this.auth() }, [...accept, 401]);
    if (res.status === 401 && !accept.includes(401)) {
      throw ProviderError.authentication('reauthentication_required', 'Remote refused the API token');
    }
    return { status: res.status, body: res.body };
  }

  private async page<T>(
    path: string,
    key: string,
    query: Query,
    page: number,
  ): Promise<{ items: T[]; counters: RemotePage }> {
    const { body } = await this.get<{ data?: Record<string, unknown> & RemotePage } & RemotePage>(path, {
      ...query,
      page,
      page_size: this.pageSize,
    });
    // The schemas put records under `data.<key>`; the spec's own examples for employments and time off put them
    // at the top level beside the counters. Both are read (records are never taken from anywhere else).
    const items = body?.data?.[key] ?? (body as Record<string, unknown> | undefined)?.[key];
    if (!Array.isArray(items)) {
      throw new ProviderError('bad_response', `Remote ${path}: response has no data.${key} list`);
    }
    return { items: items as T[], counters: countersOf(body ?? {}) };
  }

  /**
   * Every record of a paged list. The first page tells `total_pages`; the rest are asked for concurrently. A page
   * other than the last with fewer than `page_size` records is fetched once more and otherwise fails the call
   * (records would be missing; nothing is served). A walk whose count disagrees with `total_count` follows the
   * shared rule of ../totals.ts: walked again once, served as Remote consistently answers with a warning, two
   * disagreeing walks fail. Records repeated across pages (a record added while we read) are kept once.
   */
  async list<T extends { id?: string }>(path: string, key: string, query: Query = {}): Promise<T[]> {
    const walk = async () => {
      const { items, total } = await this.walk<T>(path, key, query);
      return { items, total, count: items.length };
    };
    return (await servedDespiteTotal(`Remote ${path}`, walk, this.warn)).items;
  }

  private async walk<T extends { id?: string }>(
    path: string,
    key: string,
    query: Query,
  ): Promise<{ items: T[]; total: number | null }> {
    const first = await this.page<T>(path, key, query, 1);
    const pages = first.counters.total_pages;
    const totalPages = typeof pages === 'number' && Number.isInteger(pages) && pages > 0 ? pages : 1;
    const checked = async (n: number): Promise<T[]> => {
      const fetchPage = () => this.page<T>(path, key, query, n);
      let got = n === 1 ? first : await fetchPage();
      if (n < totalPages && got.items.length < this.pageSize) got = await fetchPage();
      if (n < totalPages && got.items.length < this.pageSize) {
        throw new ProviderError(
          'bad_response',
          `Remote ${path}: page ${n} of ${totalPages} has ${got.items.length} of ${this.pageSize} records`,
        );
      }
      return got.items;
    };
    const pagesOfItems = await Promise.all(Array.from({ length: totalPages }, (_, i) => checked(i + 1)));
    const ids = new Set<string>();
    const items: T[] = [];
    for (const item of pagesOfItems.flat()) {
      if (typeof item.id === 'string') {
        if (ids.has(item.id)) continue;
        ids.add(item.id);
      }
      items.push(item);
    }
    const total = first.counters.total_count;
    return { items, total: typeof total === 'number' && total >= 0 ? total : null };
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    return this.http.passthrough(req, { auth: this.auth() });
  }
}
