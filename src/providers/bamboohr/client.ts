/**
 * BambooHR HTTP client: auth, base URL per company, cursor and page pagination, all on top of ProviderHttp.
 *
 * Auth (spec `components.securitySchemes`): `basic` (HTTP Basic; BambooHR's docs: the API key is the username and
 * the password can be any string, we send "x") or `oauth` (Bearer). The spec lists only `oauth` on two operations we
 * use (GET /api/v1/employees and GET /api/v1/hris/org/locations); when the connection holds an OAuth access token we
 * send it as Bearer everywhere (every operation we use accepts `oauth`), otherwise we send the API key with Basic.
 *
 * Base URL (spec `servers`): `https://{companyDomain}.bamboohr.com`, with every path key starting `/api/v1/…`.
 */
import { type ProviderWarn, providerWarn, servedDespiteTotalStreaming } from '../totals.js';
import type { Dispatcher } from 'undici';
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  ProviderHttp,
  requestWritten,
  connectionHttpOptions,
  type ProviderClientOptions,
} from '../http.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';
import type { BhEmployee, BhEmployeePage, BhLocation, BhLocationPage } from './raw.js';

export const BAMBOOHR_DEFAULT_BASE_URL = 'https://{companyDomain}.bamboohr.com';

/** A BambooHR company subdomain: `acme` in `acme.bamboohr.com`. */
export const COMPANY_DOMAIN_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$';

/**
 * BambooHR publishes no numeric rate limit: its docs say throttled calls get `503` + `Retry-After`, and the spec
 * documents `429 Too many requests` on list-employees and list-locations. Without a documented number we cap
 * ourselves at 200 requests per second per connection, which never slows a cursor walk (one page in flight) and
 * keeps per-employee fan-outs (balances) polite; ProviderHttp honours any Retry-After the server sends on top.
 */
export const BAMBOOHR_RATE_LIMIT = { requests: 200, perMs: 1_000 } as const;

/** The spec's page size cap for GET /api/v1/employees (`CursorPaginationQueryObject.limit.maximum`). */
export const EMPLOYEE_PAGE_LIMIT = 100;

export interface BambooHrClientOptions extends Omit<ProviderClientOptions, 'rateLimit'> {
  /**
   * How array query parameters (`fields`) go on the wire. The spec's description and example say comma-separated
   * (`fields=workEmail,mobilePhone`), which is what we send; its schema (an array with OpenAPI's default
   * `style: form, explode: true`) means repeated keys, which is what Prism checks. `repeat` exists for Prism.
   */
  arrayStyle?: 'comma' | 'repeat';
  /** Extra headers per request path (e.g. Prism's `Prefer: example=…` in the smoke test). */
  headersFor?: (path: string) => Record<string, string>;
  dispatcher?: Dispatcher;
}

/** The connection's API base: `ctx.baseUrl ?? default`, with `{companyDomain}` filled in when the URL has it. */
export function resolveBaseUrl(ctx: Pick<ProviderContext, 'baseUrl' | 'credentials'>): string {
  const domain = (ctx.credentials.company_domain ?? '').trim();
  const template = ctx.baseUrl ?? BAMBOOHR_DEFAULT_BASE_URL;
  if (!template.includes('{companyDomain}')) return template;
  if (!new RegExp(COMPANY_DOMAIN_PATTERN).test(domain)) {
    throw ProviderError.authentication(
      'incorrect_username_or_password',
      'company domain must be the BambooHR subdomain, e.g. "acme" for acme.bamboohr.com',
    );
  }
  return template.replace('{companyDomain}', domain.toLowerCase());
}

function authorization(credentials: Record<string, string>): string {
  const token = credentials.access_token?.trim();
  if (token) return `Bearer ${token}`;
  const key = credentials.api_key ?? '';
  // BambooHR ignores the password for API keys; "x" is what its docs use.
  return `Basic ${Buffer.from(`${key}:x`).toString('base64')}`;
}

export class BambooHrClient {
  readonly http: ProviderHttp;
  private readonly warn: ProviderWarn;
  private readonly authHeader: string;
  private readonly arrayStyle: 'comma' | 'repeat';
  private readonly headersFor: (path: string) => Record<string, string>;
  readonly concurrency: number;

  constructor(ctx: ProviderContext, options: BambooHrClientOptions = {}) {
    this.warn = providerWarn(ctx);
    this.authHeader = authorization(ctx.credentials);
    this.arrayStyle = options.arrayStyle ?? 'comma';
    this.headersFor = options.headersFor ?? (() => ({}));
    this.concurrency = options.concurrency ?? 8;
    this.http = new ProviderHttp({
      baseUrl: resolveBaseUrl(ctx),
      // No `authHeaders` hook on purpose: an API key cannot be refreshed, so ProviderHttp's retry-after-401 would
      // only add a failed login, and BambooHR counts failed logins against the rate limit.
      concurrency: this.concurrency,
      rateLimit: BAMBOOHR_RATE_LIMIT,
      ...connectionHttpOptions(ctx, options),
      dispatcher: options.dispatcher,
    });
  }

  private headers(path: string): Record<string, string> {
    return { ...this.headersFor(path), authorization: this.authHeader };
  }

  /** GET returning parsed JSON; ProviderError on any non-2xx or malformed body. */
  async get<T>(path: string, query?: HttpRequest['query']): Promise<T> {
    const res = await this.http.json<T>({ path, query, headers: this.headers(path) });
    if (res.body === undefined)
      throw new ProviderError('bad_response', `BambooHR sent an empty body for ${path}`);
    return res.body;
  }

  /** POST JSON; returns status, headers and parsed body (if any). `accept` lists non-2xx statuses to hand back. */
  async post<T>(path: string, body: unknown, accept: number[] = []) {
    return this.http.json<T>({ method: 'POST', path, body, headers: this.headers(path) }, accept);
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    return this.http.passthrough(req, { auth: this.headers(req.path) });
  }

  private arrayParam(q: URLSearchParams, name: string, values: readonly string[]): void {
    if (values.length === 0) return;
    if (this.arrayStyle === 'repeat') for (const v of values) q.append(name, v);
    else q.set(name, values.join(','));
  }

  /**
   * Every employee from the cursor-paginated GET /api/v1/employees, `fields` added to the default set.
   * Cursor pages cannot be fetched in parallel: each page's `nextCursor` is only known from the page before.
   * A short page is fine while `nextCursor` is set (the spec: "null if no more pages"); a repeated cursor or a
   * duplicate employee throws; a count that differs from `meta.total` follows ../totals.ts (see `walkEmployees`).
   */
  async listEmployees(
    fields: readonly string[],
    filter: Record<string, string> = {},
    onPage?: (rows: readonly BhEmployee[]) => void,
  ): Promise<BhEmployee[]> {
    const out: BhEmployee[] = [];
    await this.walkEmployees(fields, filter, (rows) => {
      for (const e of rows) out.push(e);
      onPage?.(rows);
    });
    return out;
  }

  /**
   * `listEmployees` without keeping the pages: each is handed to `onPage` (with `meta.total` when the page says it)
   * and then dropped. Returns the count. `meta.total` is a hint (../totals.ts): a walk that disagrees with it is
   * walked again once, without handing pages on; that walk must list what was handed on already, in the same order,
   * and its rest is handed on then. Two walks that disagree fail.
   */
  async walkEmployees(
    fields: readonly string[],
    filter: Record<string, string>,
    onPage: (rows: readonly BhEmployee[], total: number | undefined) => void,
  ): Promise<number> {
    const handed: string[] = [];
    let kept: BhEmployee[] = [];
    const walk = (first: boolean) => {
      if (first) {
        return this.walkEmployeesOnce(fields, filter, (rows, total) => {
          for (const e of rows) handed.push(String(e.employeeId));
          onPage(rows, total);
        });
      }
      return this.walkEmployeesOnce(fields, filter, (rows) => {
        for (const e of rows) kept.push(e);
      });
    };
    const { served, again: walkedAgain } = await servedDespiteTotalStreaming(
      'BambooHR employees',
      walk,
      this.warn,
    );
    if (!walkedAgain) return served.count;
    const again = kept.slice(0, handed.length);
    if (again.length !== handed.length || again.some((e, i) => String(e.employeeId) !== handed[i])) {
      throw new ProviderError(
        'bad_response',
        'BambooHR employees changed while they were read; walk again later',
      );
    }
    const rest = kept.slice(handed.length);
    kept = [];
    if (rest.length > 0) onPage(rest, served.total ?? undefined);
    return served.count;
  }

  /** One cursor walk of the employee list; a repeated cursor or a duplicate employee fails it. */
  private async walkEmployeesOnce(
    fields: readonly string[],
    filter: Record<string, string>,
    onPage: (rows: readonly BhEmployee[], total: number | undefined) => void,
  ): Promise<{ count: number; total: number | null }> {
    const fetchPage = (after: string | null) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) q.set(`filter[${k}]`, v);
      this.arrayParam(q, 'fields', fields);
      q.set('page[limit]', String(EMPLOYEE_PAGE_LIMIT));
      if (after !== null) q.set('page[after]', after);
      return this.get<BhEmployeePage>(`api/v1/employees?${q.toString()}`);
    };
    const ids = new Set<string>();
    const cursors = new Set<string>();
    let total: number | undefined;
    let pending = fetchPage(null);
    for (;;) {
      const page = await pending;
      if (
        !page ||
        !Array.isArray(page.data) ||
        typeof page.meta?.page !== 'object' ||
        page.meta.page === null
      ) {
        throw new ProviderError('bad_response', 'BambooHR list-employees page has no data/meta');
      }
      total ??= typeof page.meta.total === 'number' ? page.meta.total : undefined;
      const next = page.meta.page.nextCursor;
      if (next) {
        if (cursors.has(next) || (page.data.length === 0 && total !== undefined && ids.size >= total)) {
          throw new ProviderError('bad_response', 'BambooHR pagination repeated a cursor');
        }
        cursors.add(next);
        // Ask for the next page before handling this one, so handling overlaps the network wait.
        pending = fetchPage(next);
        await requestWritten();
      }
      try {
        for (const e of page.data) {
          const id = String(e.employeeId);
          if (ids.has(id)) throw new ProviderError('bad_response', `BambooHR listed employee ${id} twice`);
          ids.add(id);
        }
        onPage(page.data, total);
      } catch (err) {
        // The request already in flight is abandoned; keep its failure from surfacing as unhandled.
        if (next) pending.catch(() => undefined);
        throw err;
      }
      if (!next) break;
    }
    return { count: ids.size, total: total ?? null };
  }

  /**
   * Every active job location from GET /api/v1/hris/org/locations. That endpoint is page-numbered with
   * `meta.totalPages`, so after the first page the rest are fetched concurrently. The spec gives `page` a default
   * of 0 and its example shows `meta.page: 0`, so we continue from whatever number the first page reports.
   */
  async listLocations(): Promise<BhLocation[]> {
    const pageSize = 500;
    const query = { pageSize, expand: 'state,country' };
    const first = await this.get<BhLocationPage>('api/v1/hris/org/locations', query);
    if (!Array.isArray(first.data))
      throw new ProviderError('bad_response', 'BambooHR locations page has no data');
    const startPage = first.meta?.page ?? 0;
    const totalPages = first.meta?.totalPages ?? 1;
    const rest = Array.from({ length: Math.max(0, totalPages - 1) }, (_, i) => startPage + 1 + i);
    const pages = await mapPool(rest, this.concurrency, (page) =>
      this.get<BhLocationPage>('api/v1/hris/org/locations', { ...query, page }),
    );
    const out = [...first.data];
    for (const p of pages) {
      if (!Array.isArray(p.data))
        throw new ProviderError('bad_response', 'BambooHR locations page has no data');
      out.push(...p.data);
    }
    // No `totalItems` cross-check here: the spec's own example pairs `totalItems: 10` with one item, so the field is
    // not dependable; every page up to `totalPages` was fetched, which is what completeness needs.
    return out;
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight; rejects on the first failure (no partial results),
 * keeping input order.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
