/**
 * Personio v1 HTTP client: token auth, offset/page pagination fetched concurrently, and the documented rate limits.
 *
 * Auth (personio-auth-api.yaml): `POST /auth {client_id, client_secret}` → `data.token`, then `Authorization: Bearer`.
 * Personio's auth reference says the token is stable for 24 h (`expires_in: 86400`) and that successful responses
 * carry the token in their `Authorization` header; older accounts got a new one-time token there on every response.
 * The published spec does not document that header, so we simply adopt whatever token a response hands back.
 *
 * Rate limits (none are in the published spec except Documents; these come from Personio's developer hub):
 * - `GET /company/employees`: 300 requests per minute with bursts of at most 15 per second (changelog "Rate Limits on
 *   GET Employees endpoint", 2024-05-06);
 * - every v1 endpoint together: 2000 requests per minute per IP ("API Terms & Use Policies", global limit since
 *   2024-07-08);
 * - `POST /auth`: 60 requests per minute (auth reference page).
 */
import type { ConnectionState, PassthroughRequest, PassthroughResponse } from '../types.js';
import { ProviderError } from '../errors.js';
import { type ProviderWarn, providerWarning, servedDespiteTotal, walkHandingOn } from '../totals.js';
import {
  type HttpRequest,
  type HttpResponse,
  type ProviderCallSink,
  ProviderHttp,
  WindowLimiter,
} from '../http.js';
import type { PersonioList } from './raw.js';

export const PERSONIO_DEFAULT_BASE_URL = 'https://api.personio.de/v1';

export const PERSONIO_RATE_LIMITS = {
  employeesBurst: { requests: 15, perMs: 1_000 },
  employeesPerMinute: { requests: 300, perMs: 60_000 },
  global: { requests: 2_000, perMs: 60_000 },
  auth: { requests: 60, perMs: 60_000 },
} as const;

/** Personio asks integrations to name themselves in UPPER_SNAKE_CASE on every request. */
const APP_ID = 'AFFIX';
const TOKEN_STATE_KEY = 'personio.token';
/** Refresh a cached token this long before Personio says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;

export interface PersonioCredentials {
  client_id: string;
  client_secret: string;
}

export interface PersonioClientOptions {
  /** API root including `/v1` (the emulator: `http://127.0.0.1:PORT/v1`; Prism: its root, no `/v1`). */
  baseUrl: string;
  /** Where `POST /auth` lives when not under `baseUrl` (Prism serves the auth spec separately). */
  authBaseUrl?: string;
  credentials: PersonioCredentials;
  /** Per-connection state: the token is kept there so a new adapter does not spend one of the 60 auth calls/min. */
  state?: ConnectionState;
  requireTls?: boolean;
  signal?: AbortSignal;
  metrics?: ProviderCallSink;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retries?: number;
  maxRetryAfterMs?: number;
  /** Requests in flight at once per endpoint family. */
  concurrency?: number;
  /** `limit` for `GET /company/employees` (the benchmark uses 100). */
  employeesPageSize?: number;
  /** `limit` for attendances and time-offs (both default to 200 in the spec). */
  pageSize?: number;
  /** Where a list served despite its announced total is reported (../totals.ts); default a process logger. */
  warn?: ProviderWarn;
}

interface TokenRecord {
  token: string;
  expiresAt: number;
}

/** One page of a list plus the pagination facts we check it against. */
interface Page<T> {
  items: T[];
  total: number | null;
  limit: number | null;
}

export class PersonioClient {
  private readonly http: ProviderHttp;
  private readonly listHttp: ProviderHttp;
  private readonly authHttp: ProviderHttp;
  // Limits ProviderHttp's single limiter cannot express (per minute on top of per second), shared by its instances.
  private readonly globalGate = new WindowLimiter(
    PERSONIO_RATE_LIMITS.global.requests,
    PERSONIO_RATE_LIMITS.global.perMs,
  );
  private readonly employeesMinuteGate = new WindowLimiter(
    PERSONIO_RATE_LIMITS.employeesPerMinute.requests,
    PERSONIO_RATE_LIMITS.employeesPerMinute.perMs,
  );
  private token: TokenRecord | null = null;
  private tokenLoaded = false;
  private authInFlight: Promise<TokenRecord> | null = null;
  /** When a 401 last made us fetch a new token (initial authentication does not count). */
  private lastRefreshAt = 0;
  readonly employeesPageSize: number;
  readonly pageSize: number;
  private readonly warn: ProviderWarn;

  constructor(private readonly opts: PersonioClientOptions) {
    this.employeesPageSize = opts.employeesPageSize ?? 100;
    this.pageSize = opts.pageSize ?? 200;
    this.warn = opts.warn ?? providerWarning;
    const common = {
      baseUrl: opts.baseUrl,
      requireTls: opts.requireTls,
      signal: opts.signal,
      metrics: opts.metrics,
      connectTimeoutMs: opts.connectTimeoutMs,
      readTimeoutMs: opts.readTimeoutMs,
      retries: opts.retries,
      maxRetryAfterMs: opts.maxRetryAfterMs,
      concurrency: opts.concurrency ?? 8,
      authHeaders: (refreshed: boolean) => this.authHeaders(refreshed),
    };
    this.http = new ProviderHttp({ ...common, rateLimit: PERSONIO_RATE_LIMITS.global });
    // The employee list has its own, tighter limit; a separate client lets ProviderHttp pace it (retries included).
    this.listHttp = new ProviderHttp({ ...common, rateLimit: PERSONIO_RATE_LIMITS.employeesBurst });
    this.authHttp = new ProviderHttp({
      ...common,
      baseUrl: opts.authBaseUrl ?? opts.baseUrl,
      authHeaders: undefined,
      concurrency: 1,
      rateLimit: PERSONIO_RATE_LIMITS.auth,
    });
  }

  /** Fresh `POST /auth`; bad credentials → `incorrect_username_or_password`. The connect page calls this. */
  async authenticate(): Promise<void> {
    await this.requestToken('incorrect_username_or_password');
  }

  private async authHeaders(refreshed: boolean): Promise<Record<string, string>> {
    const token = await this.currentToken(refreshed);
    return { authorization: `Bearer ${token}`, 'x-personio-app-id': APP_ID };
  }

  private async currentToken(refreshed: boolean): Promise<string> {
    if (!this.tokenLoaded) {
      this.tokenLoaded = true;
      const saved = await this.opts.state?.get<TokenRecord>(TOKEN_STATE_KEY);
      if (saved && typeof saved.token === 'string' && saved.expiresAt > Date.now() + TOKEN_MARGIN_MS)
        this.token = saved;
    }
    // Concurrent requests that all met the same revoked token refresh once: the ones arriving while the refresh is
    // in flight join it (single-flight), and a token refreshed in the last 2 s is new enough for the stragglers.
    const justRefreshed = Date.now() - this.lastRefreshAt < 2_000;
    if (this.token && this.token.expiresAt > Date.now() + TOKEN_MARGIN_MS && (!refreshed || justRefreshed)) {
      return this.token.token;
    }
    if (refreshed && !this.authInFlight) this.lastRefreshAt = Date.now();
    return (await this.requestToken('reauthentication_required')).token;
  }

  /** Single-flight `POST /auth`. Stored credentials that stop working mean the user must reconnect. */
  private requestToken(
    failure: 'incorrect_username_or_password' | 'reauthentication_required',
  ): Promise<TokenRecord> {
    if (this.authInFlight) return this.authInFlight;
    this.authInFlight = (async () => {
      try {
        await this.globalGate.take(this.opts.signal);
        const res = await this.authHttp.json<{
          success?: boolean;
          data?: { token?: unknown; expires_in?: unknown };
        }>(
          {
            method: 'POST',
            path: 'auth',
            body: {
              client_id: this.opts.credentials.client_id,
              client_secret: this.opts.credentials.client_secret,
            },
            headers: { 'x-personio-app-id': APP_ID },
          },
          [400, 401, 403, 422],
        );
        const token = res.body?.data?.token;
        if (res.status >= 400 || res.body?.success === false || typeof token !== 'string' || token === '') {
          if (res.status >= 400 || res.body?.success === false) {
            throw ProviderError.authentication(failure, 'Personio refused the client id and secret');
          }
          throw new ProviderError('bad_response', 'Personio /auth answered without a token');
        }
        const expiresIn = typeof res.body?.data?.expires_in === 'number' ? res.body.data.expires_in : 86_400;
        const record = { token, expiresAt: Date.now() + expiresIn * 1000 };
        await this.saveToken(record);
        return record;
      } finally {
        this.authInFlight = null;
      }
    })();
    return this.authInFlight;
  }

  private async saveToken(record: TokenRecord): Promise<void> {
    this.token = record;
    this.tokenLoaded = true;
    await this.opts.state?.set(TOKEN_STATE_KEY, record);
  }

  /** Personio hands the (possibly new) token back in the response's Authorization header. */
  private async adoptToken(headers: HttpResponse['headers']): Promise<void> {
    const raw = headers['authorization'];
    const value = Array.isArray(raw) ? raw[0] : raw;
    const m = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
    if (!m?.[1] || m[1] === this.token?.token) return;
    await this.saveToken({ token: m[1], expiresAt: this.token?.expiresAt ?? Date.now() + 86_400_000 });
  }

  /**
   * Authenticated JSON GET/POST with the rate gates. A 403 gets one more try with a fresh token first: the spec's own
   * 403 example says "Provided authorization is not valid", i.e. Personio may answer a stale token with 403.
   */
  async json<T>(
    req: HttpRequest & { employeesList?: boolean },
    accept: number[] = [],
  ): Promise<HttpResponse<T>> {
    const run = async (): Promise<HttpResponse<T>> => {
      const slots = [await this.globalGate.take(this.opts.signal)];
      if (req.employeesList) slots.push(await this.employeesMinuteGate.take(this.opts.signal));
      try {
        const res = await (req.employeesList ? this.listHttp : this.http).json<T>(req, accept);
        await this.adoptToken(res.headers);
        return res;
      } finally {
        for (const slot of slots) slot.settle();
      }
    };
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ProviderError) || err.options.code !== 'insufficient_permission') throw err;
      await this.requestToken('reauthentication_required');
      return run();
    }
  }

  /** Passthrough: an authenticated request confined to the API base; the provider's status, never thrown. */
  async raw(req: PassthroughRequest): Promise<PassthroughResponse> {
    await this.globalGate.take(this.opts.signal);
    return this.http.passthrough(req, {
      // Personio may rotate the token in the Authorization header; it is adopted here and never handed back.
      observe: (res) => (res.status < 400 ? this.adoptToken(res.headers) : undefined),
    });
  }

  private async page<T>(path: string, query: HttpRequest['query'], employeesList: boolean): Promise<Page<T>> {
    const res = await this.json<PersonioList<T>>({ path, query, employeesList });
    const body = res.body;
    if (!body || typeof body !== 'object' || !Array.isArray(body.data)) {
      throw new ProviderError('bad_response', `Personio ${path} answered without a data list`);
    }
    const total = body.metadata?.total_elements;
    const limit = Number(body.limit);
    return {
      items: body.data,
      total: typeof total === 'number' && total >= 0 ? total : null,
      limit: Number.isInteger(limit) && limit > 0 ? limit : null,
    };
  }

  /**
   * Every record of an offset-paginated list (`offset` = index of the first record: employees, attendances).
   * The first page tells the total; the other pages are then fetched concurrently, paced by the rate limits.
   */
  async listByOffset<T>(
    path: string,
    query: HttpRequest['query'] = {},
    opts: { employeesList?: boolean; pageSize?: number } = {},
  ): Promise<T[]> {
    return this.mapByOffset<T, T>(path, query, opts, (items) => items);
  }

  /**
   * `listByOffset`, each page handed to `mapPage` (one result per record, in order) as soon as it arrives, so a raw
   * page is garbage once mapped instead of waiting for the last page. The announced total is a hint (see
   * ../totals.ts): a walk that disagrees with it is walked once more.
   */
  async mapByOffset<T, R>(
    path: string,
    query: HttpRequest['query'],
    opts: { employeesList?: boolean; pageSize?: number },
    mapPage: (items: T[]) => R[],
  ): Promise<R[]> {
    const requested = opts.pageSize ?? this.pageSize;
    const employeesList = opts.employeesList ?? false;
    const fetchAt = (offset: number, size: number) =>
      this.page<T>(path, { ...query, limit: size, offset }, employeesList);
    // A server that caps `limit` below what we asked says so in the echoed `limit`; pages are that long then.
    const walk = () => this.walk(path, requested, true, fetchAt, mapPage);
    return (await servedDespiteTotal(`Personio ${path}`, walk, this.warn)).items;
  }

  /**
   * Every record of `GET /company/time-offs`, whose `offset` is a 1-based page number (the spec: "which page number
   * you are requesting"; Personio treats 0 as 1, so counting up from 0 would fetch the first page twice).
   */
  async listByPage<T>(path: string, query: HttpRequest['query'] = {}): Promise<T[]> {
    const size = this.pageSize;
    const fetchAt = (offset: number) =>
      this.page<T>(path, { ...query, limit: size, offset: offset / size + 1 }, false);
    const walk = () => this.walk(path, size, false, fetchAt, (items: T[]) => items);
    return (await servedDespiteTotal(`Personio ${path}`, walk, this.warn)).items;
  }

  /**
   * `mapByOffset` for a list handed on as it is walked: each page is mapped as it arrives and its rows go to
   * `onRows` in the list's order (a page that arrives early waits for the pages before it), so neither the raw
   * pages nor the mapped list are kept. `onTotal` hears the announced total once. The totals rule holds as in
   * `mapByOffset` (../totals.ts `walkHandingOn`): a second walk, when one is needed, is kept and must list what was
   * handed on first, in the same order; only its rest is handed on. `idOf` names a row for that check.
   */
  async handOnByOffset<T, R>(
    path: string,
    query: HttpRequest['query'],
    opts: { employeesList?: boolean; pageSize?: number },
    mapPage: (items: T[]) => R[],
    idOf: (row: R) => string,
    onRows: (rows: readonly R[]) => void,
    onTotal?: (total: number) => void,
  ): Promise<void> {
    const requested = opts.pageSize ?? this.pageSize;
    const employeesList = opts.employeesList ?? false;
    let announced = false;
    const fetchAt = async (offset: number, size: number) => {
      const page = await this.page<T>(path, { ...query, limit: size, offset }, employeesList);
      if (!announced && page.total !== null) {
        announced = true;
        onTotal?.(page.total);
      }
      return page;
    };
    await walkHandingOn(
      `Personio ${path}`,
      (onPage) => this.walk(path, requested, true, fetchAt, mapPage, onPage),
      idOf,
      onRows,
      this.warn,
    );
  }

  /**
   * One walk of a list. The pages up to the announced total are fetched concurrently; the walk goes on while the
   * last page is full and either no total was announced or the last page already held more than announced. A page
   * shorter than the page size with records after it is fetched once more, and if still short the walk fails:
   * records would be missing. With `deliver`, mapped pages are handed to it in order as soon as every page before
   * them has been (a short page waits for the end of the walk, where it is checked) and the walk returns no items.
   */
  private async walk<T, R>(
    path: string,
    requested: number,
    echoedLimit: boolean,
    fetchAt: (offset: number, size: number) => Promise<Page<T>>,
    mapPage: (items: T[]) => R[],
    deliver?: (rows: R[]) => void,
  ): Promise<{ items: R[]; count: number; total: number | null }> {
    const first = await fetchAt(0, requested);
    const size = echoedLimit && first.limit !== null && first.limit < requested ? first.limit : requested;
    const total = first.total;
    const counts: number[] = [first.items.length];
    // Mapped pages not handed on yet (all of them without `deliver`); `next` is the first page not handed on.
    const mapped: Array<R[] | undefined> = [mapPage(first.items)];
    let next = 0;
    const handOn = (all: boolean) => {
      if (!deliver) return;
      for (let rows = mapped[next]; rows !== undefined; rows = mapped[next]) {
        if (!all && (counts[next] ?? 0) < size) return;
        mapped[next] = undefined;
        next++;
        deliver(rows);
      }
    };
    handOn(false);
    const offsets: number[] = [];
    for (let o = size; total !== null && o < total; o += size) offsets.push(o);
    await Promise.all(
      offsets.map(async (o, i) => {
        const page = await fetchAt(o, size);
        counts[i + 1] = page.items.length;
        mapped[i + 1] = mapPage(page.items);
        handOn(false);
      }),
    );
    // Past the announced pages only while the last is full and the total was missing or already exceeded.
    const beyond = (n: number) => (counts[n - 1] ?? 0) >= size && (total === null || n * size > total);
    for (let n = counts.length; beyond(n); n++) {
      const page = await fetchAt(n * size, size);
      counts[n] = page.items.length;
      mapped[n] = mapPage(page.items);
      handOn(false);
    }
    const lastWithRecords = counts.findLastIndex((c) => c > 0);
    for (let i = 0; i < lastWithRecords; i++) {
      if ((counts[i] ?? 0) >= size) continue;
      const again = await fetchAt(i * size, size);
      if (again.items.length < size) {
        throw new ProviderError(
          'bad_response',
          `Personio ${path}: the page at offset ${i * size} has ${again.items.length} of ${size} records and more follow`,
        );
      }
      counts[i] = again.items.length;
      mapped[i] = mapPage(again.items);
    }
    const count = counts.reduce((a, b) => a + b, 0);
    if (deliver) {
      handOn(true);
      return { items: [], count, total };
    }
    const items = (mapped as R[][]).flat();
    return { items, count, total };
  }
}
