/**
 * Deel REST API v2 client: Bearer API token, Deel's three pagination styles, and its documented rate limit.
 * Built on ProviderHttp (timeouts, retries honouring Retry-After, error mapping).
 */
import { type ProviderWarn, providerWarn, servedDespiteTotalStreaming } from '../totals.js';
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  ProviderHttp,
  connectionHttpOptions,
  type ProviderClientOptions,
} from '../http.js';
import type { ListSink, PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';

/** The production API root, as the spec's first `servers` entry. */
export const DEEL_DEFAULT_BASE_URL = 'https://api.letsdeel.com/rest/v2';

/**
 * Deel allows 5 requests per second per organization in a rolling 1 s window and sends no rate-limit headers
 * (developer.deel.com/api/rate-limits). The 50 ms of slack keeps requests that travel at slightly different
 * speeds from landing six in one of Deel's windows.
 */
export const DEEL_RATE_LIMIT = { requests: 5, perMs: 1_050 } as const;

/**
 * `GET /people` and `GET /timesheets` accept `limit` up to 200, but their response schema caps
 * `page.items_per_page` at 99; 99 is the largest page both halves of the spec agree on.
 */
export const DEEL_OFFSET_PAGE_SIZE = 99;
/** `GET /time_offs` `page_size` maximum. */
export const DEEL_TIME_OFF_PAGE_SIZE = 200;
/** `GET /groups` `limit` maximum. */
export const DEEL_GROUPS_PAGE_SIZE = 100;

export interface DeelClientOptions extends ProviderClientOptions {
  pageSize?: number;
}

type Query = HttpRequest['query'];

interface OffsetPage<T> {
  data?: T[];
  page?: { offset?: number; total_rows?: number; items_per_page?: number };
}

interface TimeOffPage<T> {
  data?: T[];
  next?: string;
  has_next_page?: boolean;
}

interface GroupsPage<T> {
  data?: T[];
  page?: { cursor?: string; total_rows?: number };
}

function listOf<T>(body: unknown, what: string): T[] {
  const data = (body as { data?: unknown } | null | undefined)?.data;
  if (!Array.isArray(data))
    throw new ProviderError('bad_response', `Deel ${what}: response has no data array`);
  return data as T[];
}

export class DeelClient {
  readonly http: ProviderHttp;
  private readonly warn: ProviderWarn;
  readonly pageSize: number;
  private readonly token: string;

  constructor(ctx: ProviderContext, options: DeelClientOptions = {}) {
    // A missing token fails on first use, not here: the registry builds adapters without credentials.
    this.warn = providerWarn(ctx);
    this.token = ctx.credentials['api_token'] ?? '';
    this.pageSize = options.pageSize ?? DEEL_OFFSET_PAGE_SIZE;
    this.http = new ProviderHttp({
      baseUrl: ctx.baseUrl ?? DEEL_DEFAULT_BASE_URL,
      // No `authHeaders` hook on purpose: a Deel API token cannot be refreshed, so a 401 is final
      // (→ reauthentication_required) instead of being retried with the same token.
      concurrency: options.concurrency ?? DEEL_RATE_LIMIT.requests,
      rateLimit: options.rateLimit ?? DEEL_RATE_LIMIT,
      ...connectionHttpOptions(ctx, options),
      readTimeoutMs: options.readTimeoutMs ?? ctx.readTimeoutMs ?? 30_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
      retries: options.retries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
    });
  }

  private auth(): Record<string, string> {
    if (!this.token)
      throw ProviderError.authentication('incorrect_username_or_password', 'Deel API token is missing');
    return { authorization: `Bearer ${this.token}` };
  }

  /** One authenticated JSON GET. `accept` lists non-2xx statuses returned instead of thrown (e.g. 404). */
  async get<T>(path: string, query?: Query, accept: number[] = []): Promise<{ status: number; body: T }> {
    const res = await this.http.json<T>({ path, query, headers: this.auth() }, accept);
    return { status: res.status, body: res.body };
  }

  /**
   * Offset pagination (`offset`/`limit`, `page.total_rows`): the first page gives the total, the rest are fetched
   * concurrently (the rate limiter paces them). A page shorter than the limit before the end means the list is
   * inconsistent; it is fetched once more and otherwise the whole call fails, so a partial list is never returned.
   */
  async listOffset<T extends { id?: unknown }>(path: string, query: Query = {}): Promise<T[]> {
    return this.mapOffset<T, T>(path, query, (items) => items);
  }

  /**
   * `listOffset`, each checked page handed to `mapPage` (one result per record, in order) as soon as it arrives, so
   * a raw page is garbage once mapped instead of waiting for the last page. Duplicates are dropped by record id
   * (the first one listed stays). With a `sink`, results go to it in list order as soon as every page before theirs
   * is in (pages arrive out of order), and the call returns what was not pushed.
   *
   * `page.total_rows` is a hint (../totals.ts): a walk whose count disagrees with it is walked again once, without
   * pushing; that walk must list what was pushed already, in the same order, and the rest is returned.
   */
  async mapOffset<T extends { id?: unknown }, R>(
    path: string,
    query: Query,
    mapPage: (items: T[]) => R[] | Promise<R[]>,
    sink?: ListSink<R>,
  ): Promise<R[]> {
    const pushed: unknown[] = [];
    const walk = (first: boolean) =>
      first
        ? this.walkOffset(
            path,
            query,
            mapPage,
            sink && {
              expect: (total) => sink.expect?.(total),
              push: (rows) => {
                for (const r of rows) pushed.push(r.id);
                sink.push(rows.map((r) => r.value));
              },
            },
          )
        : this.walkOffset(path, query, mapPage);
    const { served, again: walkedAgain } = await servedDespiteTotalStreaming(`Deel ${path}`, walk, this.warn);
    if (!walkedAgain || !sink) return served.rows.map((r) => r.value);
    const again = served.rows.slice(0, pushed.length);
    if (again.length !== pushed.length || again.some((r, i) => r.id !== pushed[i])) {
      throw new ProviderError('bad_response', `Deel ${path} changed while it was read; walk it again later`);
    }
    return served.rows.slice(pushed.length).map((r) => r.value);
  }

  /**
   * One walk: the first page gives the total, the rest are fetched concurrently. A page before the last with fewer
   * records than the limit is fetched once more and otherwise fails the walk (records would be missing).
   */
  private async walkOffset<T extends { id?: unknown }, R>(
    path: string,
    query: Query,
    mapPage: (items: T[]) => R[] | Promise<R[]>,
    sink?: { expect(total: number): void; push(rows: Array<Keyed<R>>): void },
  ): Promise<{ rows: Array<Keyed<R>>; count: number; total: number }> {
    const limit = this.pageSize;
    const fetchPage = async (offset: number) => {
      const { body } = await this.get<OffsetPage<T>>(path, { ...query, offset, limit });
      return { items: listOf<T>(body, path), total: body?.page?.total_rows };
    };
    const first = await fetchPage(0);
    const total = first.total;
    if (typeof total !== 'number' || !Number.isFinite(total) || total < 0) {
      throw new ProviderError('bad_response', `Deel ${path}: page.total_rows is missing`);
    }
    const pages = Math.max(1, Math.ceil(total / limit));
    let count = 0;
    const checked = async (index: number, page?: { items: T[] }): Promise<Array<Keyed<R>>> => {
      let got = page ?? (await fetchPage(index * limit));
      const short = () => index < pages - 1 && got.items.length < limit;
      if (short()) got = await fetchPage(index * limit);
      if (short()) {
        throw new ProviderError(
          'bad_response',
          `Deel ${path}: page at offset ${index * limit} has ${got.items.length} of ${limit} records`,
        );
      }
      count += got.items.length;
      const ids = got.items.map((item) => item.id);
      const mapped = await mapPage(got.items);
      return mapped.map((value, i) => ({ id: ids[i], value }));
    };
    sink?.expect(total);
    const isNew = firstSeen();
    const out: Array<Keyed<R>> = [];
    // Pages done but waiting for an earlier one; each leaves as soon as the pages before it have.
    const waiting = new Map<number, Array<Keyed<R>>>();
    let nextIndex = 0;
    const settle = (index: number, rows: Array<Keyed<R>>) => {
      waiting.set(index, rows);
      for (let ready = waiting.get(nextIndex); ready; ready = waiting.get(nextIndex)) {
        waiting.delete(nextIndex++);
        const fresh = ready.filter((row) => isNew(row.id));
        if (sink) sink.push(fresh);
        else for (const row of fresh) out.push(row);
      }
    };
    await Promise.all(
      Array.from({ length: pages }, (_, index) =>
        checked(index, index === 0 ? first : undefined).then((rows) => settle(index, rows)),
      ),
    );
    return { rows: out, count, total: Math.ceil(total) };
  }

  /** `GET /time_offs` cursor pagination: `next` token while `has_next_page`. */
  async listTimeOffs<T extends { id?: unknown }>(query: Query = {}): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let next: string | undefined;
    for (;;) {
      const { body } = await this.get<TimeOffPage<T>>('/time_offs', {
        ...query,
        page_size: DEEL_TIME_OFF_PAGE_SIZE,
        next,
      });
      out.push(...listOf<T>(body, '/time_offs'));
      if (!body.has_next_page) break;
      if (!body.next || seen.has(body.next)) {
        throw new ProviderError('bad_response', 'Deel /time_offs: has_next_page without a new cursor');
      }
      seen.add(body.next);
      next = body.next;
    }
    return dedupe(out);
  }

  /** `GET /groups` cursor pagination: `cursor` in, `page.cursor` out until none is returned. */
  async listGroups<T extends { id?: unknown }>(): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const { body } = await this.get<GroupsPage<T>>('/groups', { limit: DEEL_GROUPS_PAGE_SIZE, cursor });
      const data = listOf<T>(body, '/groups');
      out.push(...data);
      const nextCursor = body.page?.cursor;
      if (!nextCursor || data.length === 0) break;
      if (seen.has(nextCursor)) throw new ProviderError('bad_response', 'Deel /groups: cursor repeated');
      seen.add(nextCursor);
      cursor = nextCursor;
    }
    return dedupe(out);
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    return this.http.passthrough(req, { auth: this.auth() });
  }
}

/** A mapped record with the id of the raw record it came from. */
interface Keyed<R> {
  id: unknown;
  value: R;
}

/** Keeps the first record of each id: offset pages can overlap when the list changes while it is read. */
/** A test that passes each id the first time only (records without an id always pass). */
function firstSeen(): (id: unknown) => boolean {
  const seen = new Set<unknown>();
  return (id) => {
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  };
}

function dedupe<T extends { id?: unknown }>(items: T[]): T[] {
  const isNew = firstSeen();
  return items.filter((item) => isNew(item.id));
}
