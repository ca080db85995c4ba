/**
 * HiBob public API v1 client over ProviderHttp: Basic auth with a service user, HiBob's per-endpoint rate limits,
 * its rate-limit headers, the POST people search and the cursor walk of the bulk employee tables.
 *
 * Auth: `Authorization: Basic base64(serviceUserId:token)` (the spec's only security scheme, `Basic`). Nothing can
 * be refreshed, so a 401 is final and is never retried: HiBob's WAF blocks an IP for 5 minutes after 50 answers of
 * 401 within 10 s, and an Authorization header after 50 of 401 or 403.
 *
 * Rate limits are per endpoint and per minute (apidocs.hibob.com/docs/rate-limit: `/v1/people/search` 50 a minute;
 * the Time off balance and Time off policies reference pages: 50 a minute for each read endpoint). The reference
 * tables for named lists, who's out, fields metadata and the bulk tables are not in the sources we could read, so
 * those endpoints are paced at the same 50 a minute. Responses carry `X-RateLimit-Limit`, `-Remaining` and `-Reset`
 * (epoch seconds): when Remaining reaches 0 the endpoint waits for Reset, and a 429 waits for Retry-After or Reset
 * (ProviderHttp) before its retry.
 */
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  type HttpResponse,
  ProviderHttp,
  WindowLimiter,
  type WindowSlot,
  parseRateLimitReset,
  connectionHttpOptions,
  type ProviderClientOptions,
  waitUnlessAborted,
} from '../http.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from '../types.js';
import { deniedEmployeeIds, salaryEntries } from './mappers/to-compensation.js';
import type { HibobBulkSalaries, HibobEmployee, HibobSalaryEntry, HibobSearchRequest } from './raw.js';

/** The production API root, the spec's first `servers` entry (the sandbox is `https://api.sandbox.hibob.com/v1`). */
export const HIBOB_DEFAULT_BASE_URL = 'https://api.hibob.com/v1';

/** The endpoint families HiBob limits separately. */
export type HibobEndpoint =
  | 'people-search'
  | 'people-fields'
  | 'named-lists'
  | 'bulk-salaries'
  | 'whos-out'
  | 'policy-types'
  | 'balance';

/** Requests per minute, per endpoint; see the file comment for which are documented. */
export const HIBOB_RATE_LIMITS: Readonly<Record<HibobEndpoint, number>> = {
  'people-search': 50,
  balance: 50,
  'policy-types': 50,
  'people-fields': 50,
  'named-lists': 50,
  'bulk-salaries': 50,
  'whos-out': 50,
};
/** A minute plus slack, so requests that travel at slightly different speeds never land 51 in HiBob's window. */
export const HIBOB_WINDOW_MS = 61_000;

/** `limit` maximum of the cursor-paginated bulk endpoints (apidocs.hibob.com/docs/pagination). */
export const HIBOB_CURSOR_PAGE_SIZE = 200;
/** `employeeIds` maximum per bulk-table request (the spec). */
export const HIBOB_BULK_EMPLOYEE_IDS = 200;

export type HibobClientOptions = ProviderClientOptions;

/**
 * One set of gates per service user and API: HiBob counts per service user, and the platform builds an adapter per
 * fetch, so two fetches of one connection running at once share the minute.
 */
const sharedGates = new Map<string, Gates>();

class Gates {
  private readonly limiters = new Map<HibobEndpoint, WindowLimiter>();
  private readonly resumeAt = new Map<HibobEndpoint, number>();
  constructor(private readonly limit?: { requests: number; perMs: number }) {}

  /** Waits for the endpoint's turn: an announced empty window first, then the client-side limit. */
  async take(endpoint: HibobEndpoint, signal?: AbortSignal): Promise<WindowSlot> {
    const wait = (this.resumeAt.get(endpoint) ?? 0) - Date.now();
    if (wait > 0) await waitUnlessAborted(wait, signal);
    let limiter = this.limiters.get(endpoint);
    if (!limiter) {
      limiter = new WindowLimiter(
        this.limit?.requests ?? HIBOB_RATE_LIMITS[endpoint],
        this.limit?.perMs ?? HIBOB_WINDOW_MS,
      );
      this.limiters.set(endpoint, limiter);
    }
    return limiter.take(signal);
  }

  /** `X-RateLimit-Remaining: 0` holds the endpoint until `X-RateLimit-Reset`. */
  observe(endpoint: HibobEndpoint, headers: HttpResponse['headers']): void {
    const remaining = headers['x-ratelimit-remaining'];
    if ((Array.isArray(remaining) ? remaining[0] : remaining)?.trim() !== '0') return;
    const seconds = parseRateLimitReset(headers['x-ratelimit-reset']);
    if (seconds !== undefined) this.resumeAt.set(endpoint, Date.now() + seconds * 1000);
  }
}

/** Salary entries of the employees asked for; `denied` are those the service user may not read. */
export interface SalaryTable {
  byEmployee: Map<string, HibobSalaryEntry[]>;
  denied: Set<string>;
}

export class HibobClient {
  readonly http: ProviderHttp;
  private readonly authorization: string | null;
  private readonly gates: Gates;
  private readonly signal: AbortSignal | undefined;

  constructor(ctx: ProviderContext, options: HibobClientOptions = {}) {
    const baseUrl = ctx.baseUrl ?? HIBOB_DEFAULT_BASE_URL;
    const user = ctx.credentials['service_user_id'] ?? '';
    const token = ctx.credentials['token'] ?? '';
    // A missing credential fails on first use, not here: the registry builds adapters without credentials.
    this.authorization = user && token ? `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}` : null;
    this.signal = ctx.signal;
    if (options.rateLimit) {
      this.gates = new Gates(options.rateLimit);
    } else {
      const key = `${baseUrl}\u0000${user}`;
      this.gates = sharedGates.get(key) ?? new Gates();
      sharedGates.set(key, this.gates);
    }
    this.http = new ProviderHttp({
      baseUrl,
      // No `authHeaders` hook on purpose: Basic credentials cannot be refreshed, and retrying a 401 only brings the
      // WAF's block closer.
      concurrency: options.concurrency ?? 8,
      ...connectionHttpOptions(ctx, options),
      maxRetryAfterMs: options.maxRetryAfterMs ?? 65_000,
    });
  }

  private auth(): Record<string, string> {
    if (!this.authorization) {
      throw ProviderError.authentication(
        'incorrect_username_or_password',
        'HiBob service user id and token are required',
      );
    }
    return { authorization: this.authorization };
  }

  /** One authenticated JSON request, paced for its endpoint. `accept` lists statuses returned instead of thrown. */
  async request<T>(
    endpoint: HibobEndpoint,
    req: HttpRequest,
    accept: number[] = [],
  ): Promise<HttpResponse<T>> {
    const headers = { ...req.headers, ...this.auth() };
    const slot = await this.gates.take(endpoint, this.signal);
    try {
      const res = await this.http.json<T>({ ...req, headers }, accept);
      this.gates.observe(endpoint, res.headers);
      return res;
    } finally {
      slot.settle();
    }
  }

  async get<T>(
    endpoint: HibobEndpoint,
    path: string,
    query?: HttpRequest['query'],
    accept: number[] = [],
  ): Promise<HttpResponse<T>> {
    return this.request<T>(endpoint, { path, query }, accept);
  }

  /**
   * `POST /people/search`. HiBob answers every match in one response (no pagination; apidocs.hibob.com/docs/
   * people-read-api-contract), so large companies are read in batches of ids by the adapter.
   */
  async search(body: HibobSearchRequest): Promise<HibobEmployee[]> {
    const res = await this.request<{ employees?: unknown }>('people-search', {
      method: 'POST',
      path: 'people/search',
      body,
    });
    const employees = res.body?.employees;
    if (!Array.isArray(employees)) {
      throw new ProviderError('bad_response', 'HiBob /people/search answered without an employees list');
    }
    return employees.filter((e): e is HibobEmployee => typeof e === 'object' && e !== null);
  }

  /**
   * The salaries (payroll) table of `employeeIds` (at most 200), every cursor page of `GET /bulk/people/salaries`.
   * Null when the service user may not read the payroll section at all (403): compensation is then unknown, which
   * should not cost the employee list.
   */
  async salaries(employeeIds: readonly string[]): Promise<SalaryTable | null> {
    if (employeeIds.length > HIBOB_BULK_EMPLOYEE_IDS) {
      throw new Error(`at most ${HIBOB_BULK_EMPLOYEE_IDS} employee ids per bulk request`);
    }
    const table: SalaryTable = { byEmployee: new Map(), denied: new Set() };
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const res = await this.get<HibobBulkSalaries>(
        'bulk-salaries',
        'bulk/people/salaries',
        { limit: HIBOB_CURSOR_PAGE_SIZE, employeeIds: employeeIds.join(','), cursor },
        [403],
      );
      if (res.status === 403) return null;
      const body = res.body;
      if (!body || !Array.isArray(body.results)) {
        throw new ProviderError('bad_response', 'HiBob /bulk/people/salaries answered without results');
      }
      for (const row of body.results) {
        if (typeof row?.employeeId !== 'string') continue;
        const entries = table.byEmployee.get(row.employeeId) ?? [];
        entries.push(...salaryEntries(row.values));
        table.byEmployee.set(row.employeeId, entries);
      }
      for (const error of body.errors ?? []) {
        for (const id of deniedEmployeeIds(error?.employeeId)) table.denied.add(id);
      }
      const next = body.response_metadata?.cursor;
      if (!next) return table;
      if (seen.has(next)) {
        throw new ProviderError('bad_response', 'HiBob /bulk/people/salaries repeated a cursor');
      }
      seen.add(next);
      cursor = next;
    }
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    return this.http.passthrough(req, { auth: this.auth() });
  }
}
