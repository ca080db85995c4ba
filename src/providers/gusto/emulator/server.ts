/**
 * A loopback emulator of Gusto's API (version 2025-06-15), answering as the published spec does: the same paths,
 * OAuth bearer tokens that expire (`expires_in: 7200`) and a refresh grant at `POST /oauth/token` that ROTATES the
 * refresh token (the one spent stops working), the `X-Gusto-API-Version` header (recorded; an unknown version is
 * refused), `page`/`per` pagination with Gusto's `X-Total-Count`/`X-Total-Pages`/`X-Per-Page`/`X-Page` headers,
 * `{errors: [...]}` error bodies, and Gusto's documented rate limit (200 requests per rolling minute, 429 with
 * `Retry-After` and the `X-RateLimit-*` headers). Fault knobs (emulator-faults.ts and a few of Gusto's own) can be
 * changed at runtime.
 *
 * Standalone: `node --import tsx src/providers/gusto/emulator/server.ts --port 4010 --employees 1000`
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type EmulatorReply as Reply,
  runStandalone,
  serveEmulator,
  type EmulatorStartOptions,
  numberArg,
} from '../../emulator-http.js';
import { DEFAULT_FAULT_KNOBS, type FaultKnobs, injectedFault } from '../../emulator-faults.js';
import { GUSTO_API_VERSION } from '../client.js';
import type { GustoEmployee } from '../raw.js';
import { type GustoEmulatorData, type StoredEmployee, generateGustoData } from './data.js';

/** Gusto's documented limit: 200 requests per minute per application-user pair, rolling 60-second window. */
export const GUSTO_DOCUMENTED_PER_MINUTE = 200;
const WINDOW_MS = 60_000;
/** Default `per` when a request gives none; payroll endpoints paginate even then, and cap `per` at 100. */
const DEFAULT_PER = 25;
const MAX_PER = 100;

export interface Knobs extends FaultKnobs {
  /** Page 2 of every paginated list is cut in half although more records follow; 'once' heals after one such page. */
  shortPage: boolean | 'once';
  /** The grant is revoked: every API call answers 401 and the token endpoint refuses the refresh token. */
  expireToken: boolean;
  /** The token lacks a scope: every API call answers 403. */
  forbidden: boolean;
  /** Enforced requests per rolling window (Gusto's 200 a minute); 0 = not enforced. */
  rateLimitPerMinute: number;
  /** The rolling window's length: Gusto's minute, shorter in tests of the pacing. */
  rateWindowMs: number;
  /** Lifetime of the access tokens the token endpoint issues (Gusto: two hours). */
  accessTokenTtlMs: number;
  /** Delay of the token endpoint, to widen a refresh race in tests. */
  tokenLatencyMs: number;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_FAULT_KNOBS,
  shortPage: false,
  expireToken: false,
  forbidden: false,
  rateLimitPerMinute: GUSTO_DOCUMENTED_PER_MINUTE,
  rateWindowMs: WINDOW_MS,
  accessTokenTtlMs: 7_200_000,
  tokenLatencyMs: 0,
};

export type EmulatorOptions = EmulatorStartOptions<Knobs>;

export interface GustoCredentials {
  access_token: string;
  refresh_token: string;
  client_id: string;
  client_secret: string;
}

export interface GustoEmulator {
  /** Server root; also the adapter's base URL (Gusto's paths start with `/v1`, as `https://api.gusto.com/v1/…`). */
  url: string;
  baseUrl: string;
  /** The pair (and app credentials) issued at start: what an operator types on the connect page. */
  credentials: GustoCredentials;
  records: GustoEmulatorData;
  knobs: Knobs;
  stats: {
    /** Every request, token endpoint included. */
    requests: number;
    /** `/v1` requests only. */
    apiRequests: number;
    /** Refresh grants asked for, and those that rotated the pair. */
    tokenCalls: number;
    refreshes: number;
    rateLimited: number;
    /** `/v1` requests answered 401 (expired, unknown or revoked token). */
    unauthorized: number;
    /** `/v1` requests that came without `X-Gusto-API-Version`. */
    missingVersion: number;
    /** Paths with query, in arrival order (bounded to the last 5,000). */
    log: string[];
  };
  /** The pair a client should hold now (after rotations). */
  currentPair(): { access_token: string; refresh_token: string };
  /** Every access token issued so far expires now (the next request answers 401 until a refresh). */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

/** The least time a cold `employees()` can take within the documented limit (requests at 200 per rolling minute). */
export function floorMs(
  requests: number,
  latencyMs: number,
  perMinute = GUSTO_DOCUMENTED_PER_MINUTE,
): number {
  return Math.floor(Math.max(0, requests - 1) / perMinute) * WINDOW_MS + latencyMs;
}

/** Requests a cold unified `employees()` needs: the employee pages (`per` 100), nothing else. */
export function employeesRequests(employees: number, per = MAX_PER): number {
  return Math.max(1, Math.ceil(employees / per));
}

const errors = (category: string, message: string, key = 'base') => ({
  errors: [{ error_key: key, category, message }],
});
const notFound = (what: string): Reply => ({
  status: 404,
  body: errors('not_found', `${what} not found`, 'request'),
});
const unprocessable = (key: string, message: string): Reply => ({
  status: 422,
  body: errors('invalid_attribute_value', message, key),
});

const DAY_MS = 86_400_000;
const token = () => randomBytes(32).toString('base64url').slice(0, 43);

export async function startEmulator(options: EmulatorOptions = {}): Promise<GustoEmulator> {
  const seed = options.seed ?? 42;
  const records = generateGustoData({ employees: options.employees ?? 100, seed });
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const stats: GustoEmulator['stats'] = {
    requests: 0,
    apiRequests: 0,
    tokenCalls: 0,
    refreshes: 0,
    rateLimited: 0,
    unauthorized: 0,
    missingVersion: 0,
    log: [],
  };
  const app = { client_id: `emu_${seed.toString(16)}_${token().slice(0, 24)}`, client_secret: token() };
  /** access token → expiry (epoch ms). */
  const accessTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  let pair = { access_token: token(), refresh_token: token() };
  accessTokens.set(pair.access_token, Date.now() + knobs.accessTokenTtlMs);
  refreshTokens.add(pair.refresh_token);
  const initial = { ...pair };
  const window: number[] = [];
  const companyUuid = records.company.uuid ?? '';
  const payrollByUuid = new Map(records.payrolls.map((p) => [p.payroll_uuid ?? '', p]));

  function intParam(q: URLSearchParams, name: string): number | string | undefined {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) return `${name} must be a positive integer`;
    return Number(raw);
  }

  /**
   * Gusto's pagination: `page` (1-based) and `per`; the totals as headers. Endpoints that force pagination page even
   * without the parameters (payrolls: 25 by default); the others answer the whole list then.
   */
  function paginate<T>(
    q: URLSearchParams,
    all: T[],
    forced: boolean,
  ): { items: T[]; headers: Record<string, string> } | Reply {
    const page = intParam(q, 'page');
    const per = intParam(q, 'per');
    if (typeof page === 'string') return unprocessable('page', page);
    if (typeof per === 'string') return unprocessable('per', per);
    if (page === undefined && per === undefined && !forced) return { items: all, headers: {} };
    const size = Math.min(per ?? DEFAULT_PER, MAX_PER);
    const n = page ?? 1;
    let items = all.slice((n - 1) * size, n * size);
    if (knobs.shortPage && n === 2 && items.length > 1) {
      items = items.slice(0, Math.ceil(items.length / 2));
      if (knobs.shortPage === 'once') knobs.shortPage = false;
    }
    return {
      items,
      headers: {
        'x-page': String(n),
        'x-per-page': String(size),
        'x-total-count': String(all.length),
        'x-total-pages': String(Math.max(1, Math.ceil(all.length / size))),
      },
    };
  }

  /** A page of `all`, each record on it rendered by `view` (only the page's records are rendered). */
  function list<T>(q: URLSearchParams, all: T[], forced = false, view?: (item: T) => unknown): Reply {
    const paged = paginate(q, all, forced);
    if ('status' in paged) return paged;
    return { status: 200, body: view ? paged.items.map(view) : paged.items, headers: paged.headers };
  }

  function employeeView(e: StoredEmployee, include: Set<string>): GustoEmployee {
    const { current_home_address, custom_fields, ...rest } = e;
    const out: GustoEmployee & Record<string, unknown> = { ...rest };
    if (include.has('current_home_address')) out['current_home_address'] = current_home_address;
    if (include.has('custom_fields')) out['custom_fields'] = custom_fields;
    if (!include.has('all_compensations')) {
      // Without the include, a job lists only its current compensation.
      out.jobs = (e.jobs ?? []).map((j) => ({
        ...j,
        compensations: (j.compensations ?? []).filter((c) => c.uuid === j.current_compensation_uuid),
      }));
    }
    return out;
  }

  function payrolls(q: URLSearchParams): Reply {
    const start = q.get('start_date');
    const end = q.get('end_date');
    const today = new Date().toISOString().slice(0, 10);
    if (end && Date.parse(end) > Date.parse(today) + 92 * DAY_MS) {
      return unprocessable('end_date', 'end_date can be at most 3 months in the future');
    }
    if (start && end && Date.parse(end) - Date.parse(start) > 365 * DAY_MS) {
      return unprocessable('start_date', "start_date and end_date can't be more than 1 year apart");
    }
    const statuses = (q.get('processing_statuses') ?? 'processed').split(',');
    const types = (q.get('payroll_types') ?? 'regular').split(',');
    const matching = records.payrolls.filter((p) => {
      const processed = p.processed ? 'processed' : 'unprocessed';
      const type = p.external ? 'external' : p.off_cycle ? 'off_cycle' : 'regular';
      if (!statuses.includes(processed) || !types.includes(type)) return false;
      // Gusto's filter: the pay period lies after start_date and before end_date.
      return (
        (!start || (p.pay_period?.start_date ?? '') >= start) &&
        (!end || (p.pay_period?.end_date ?? '') <= end)
      );
    });
    const sorted = q.get('sort_order') === 'desc' ? [...matching].reverse() : matching;
    return list(q, sorted, true);
  }

  function payroll(q: URLSearchParams, uuid: string): Reply {
    const p = payrollByUuid.get(uuid);
    const all = p ? records.compensations(uuid) : undefined;
    if (!p || !all) return notFound('Payroll');
    const include = new Set((q.get('include') ?? '').split(','));
    const views = all.map(({ taxes, benefits, deductions, ...rest }) => ({
      ...rest,
      ...(include.has('taxes') ? { taxes } : {}),
      ...(include.has('benefits') ? { benefits } : {}),
      ...(include.has('deductions') ? { deductions } : {}),
    }));
    const paged = paginate(q, views, true);
    if ('status' in paged) return paged;
    return {
      status: 200,
      body: { ...p, submission_blockers: [], credit_blockers: [], employee_compensations: paged.items },
      headers: paged.headers,
    };
  }

  function route(path: string, q: URLSearchParams): Reply {
    if (path === '/v1/token_info') return { status: 200, body: records.tokenInfo };
    const m = /^\/v1\/companies\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return notFound('Resource');
    if (decodeURIComponent(m[1] ?? '') !== companyUuid) return notFound('Company');
    const rest = m[2] ?? '';
    switch (rest) {
      case '':
        return { status: 200, body: records.company };
      case '/locations':
        return list(q, records.locations);
      case '/admins':
        return list(q, records.admins);
      case '/departments':
        return { status: 200, body: records.departments };
      case '/employees': {
        const include = new Set((q.get('include') ?? '').split(','));
        return list(q, records.employees, false, (e) => employeeView(e, include));
      }
      case '/time_off_policies':
        return { status: 200, body: records.policies };
      case '/time_off/requests': {
        const from = q.get('start_date');
        const to = q.get('end_date');
        const status = q.get('status')?.split(',');
        const matching = records.timeOffRequests.filter((r) => {
          const dates = Object.keys(r.days ?? {}).sort();
          // Requests that overlap [start_date, end_date].
          const overlaps = (!to || (dates[0] ?? '') <= to) && (!from || (dates.at(-1) ?? '') >= from);
          return overlaps && (!status || status.includes(r.status ?? ''));
        });
        return list(q, matching);
      }
      case '/time_off/balances':
        return list(q, records.balances);
      case '/payrolls':
        return payrolls(q);
      default: {
        const pm = /^\/payrolls\/([^/]+)$/.exec(rest);
        if (pm) return payroll(q, decodeURIComponent(pm[1] ?? ''));
        return notFound('Resource');
      }
    }
  }

  /** `POST /oauth/token`, grant `refresh_token` (JSON or form body), as Doorkeeper answers it. */
  async function tokenEndpoint(body: string, contentType: string): Promise<Reply> {
    stats.tokenCalls++;
    if (knobs.tokenLatencyMs > 0) await sleep(knobs.tokenLatencyMs);
    let params: Record<string, unknown>;
    try {
      params = /json/.test(contentType)
        ? (JSON.parse(body) as Record<string, unknown>)
        : Object.fromEntries(new URLSearchParams(body));
    } catch {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'The request body is malformed.' },
      };
    }
    if (params['client_id'] !== app.client_id || params['client_secret'] !== app.client_secret) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed.' },
      };
    }
    if (params['grant_type'] !== 'refresh_token') {
      return {
        status: 400,
        body: {
          error: 'unsupported_grant_type',
          error_description: 'The authorization grant type is not supported.',
        },
      };
    }
    const spent = String(params['refresh_token'] ?? '');
    if (knobs.expireToken || !refreshTokens.has(spent)) {
      return {
        status: 401,
        body: {
          error: 'invalid_grant',
          error_description:
            'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        },
      };
    }
    // Rotation: the refresh token just spent is dead from now on.
    refreshTokens.delete(spent);
    pair = { access_token: token(), refresh_token: token() };
    accessTokens.set(pair.access_token, Date.now() + knobs.accessTokenTtlMs);
    refreshTokens.add(pair.refresh_token);
    stats.refreshes++;
    return {
      status: 200,
      body: {
        access_token: pair.access_token,
        token_type: 'Bearer',
        expires_in: Math.round(knobs.accessTokenTtlMs / 1000),
        created_at: Math.floor(Date.now() / 1000),
        refresh_token: pair.refresh_token,
        scope: records.tokenInfo.scope,
      },
    };
  }

  function rateHeaders(now: number): Record<string, string> {
    if (knobs.rateLimitPerMinute <= 0) return {};
    const reset = (window[0] ?? now) + knobs.rateWindowMs;
    return {
      'x-ratelimit-limit': String(knobs.rateLimitPerMinute),
      'x-ratelimit-remaining': String(Math.max(0, knobs.rateLimitPerMinute - window.length)),
      'x-ratelimit-reset': new Date(reset).toISOString(),
    };
  }

  async function handle(req: IncomingMessage, body: string): Promise<Reply | 'hang'> {
    stats.requests++;
    if (knobs.hang) return 'hang';
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (stats.log.length >= 5_000) stats.log.shift();
    stats.log.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/oauth/token') {
      if (req.method !== 'POST') return { status: 405, body: errors('invalid_request', 'Use POST') };
      return tokenEndpoint(body, String(req.headers['content-type'] ?? ''));
    }
    if (!url.pathname.startsWith('/v1/')) return notFound('Resource');
    stats.apiRequests++;
    const n = stats.apiRequests;
    const versionHeader = req.headers['x-gusto-api-version'];
    if (versionHeader === undefined) stats.missingVersion++;
    else if (versionHeader !== GUSTO_API_VERSION) {
      return {
        status: 406,
        body: errors('invalid_request', `Unsupported API version ${String(versionHeader)}`),
      };
    }
    const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const expiry = bearer ? accessTokens.get(bearer) : undefined;
    if (knobs.expireToken || expiry === undefined || expiry <= Date.now()) {
      stats.unauthorized++;
      return {
        status: 401,
        body: errors('invalid_authentication', 'The access token is invalid or expired.'),
      };
    }
    if (knobs.forbidden) {
      return {
        status: 403,
        body: errors('forbidden', 'The access token lacks the scope this request needs.'),
      };
    }
    const now = Date.now();
    const fault = injectedFault(knobs, n);
    if (fault?.status === 429) {
      stats.rateLimited++;
      return {
        status: 429,
        body: errors('rate_limit_exceeded', 'Too many requests'),
        headers: { 'retry-after': String(fault.retryAfterSeconds), ...rateHeaders(now) },
      };
    }
    if (knobs.rateLimitPerMinute > 0) {
      while (window.length > 0 && (window[0] ?? 0) <= now - knobs.rateWindowMs) window.shift();
      if (window.length >= knobs.rateLimitPerMinute) {
        stats.rateLimited++;
        const wait = Math.max(1, Math.ceil(((window[0] ?? now) + knobs.rateWindowMs - now) / 1000));
        return {
          status: 429,
          body: errors('rate_limit_exceeded', 'Too many requests'),
          headers: { 'retry-after': String(wait), ...rateHeaders(now) },
        };
      }
      window.push(now);
    }
    if (fault) {
      return {
        status: fault.status,
        body: errors('server_error', 'Something went wrong on our end.'),
        headers: { 'retry-after': String(knobs.retryAfterSeconds) },
      };
    }
    if (req.method !== 'GET') return { status: 405, body: errors('invalid_request', 'Read-only emulator') };
    const reply = route(url.pathname, url.searchParams);
    return { ...reply, headers: { ...rateHeaders(now), ...reply.headers } };
  }

  const server = await serveEmulator(handle, knobs, {
    ...options,
    // The token endpoint's answers stay whole: the knob is about the API's bodies.
    malformable: (req) => (req.url ?? '').startsWith('/v1/'),
  });
  const { url } = server;

  return {
    url,
    baseUrl: url,
    credentials: { ...initial, ...app },
    records,
    knobs,
    stats,
    currentPair: () => ({ ...pair }),
    expireAccessTokens: () => {
      for (const t of accessTokens.keys()) accessTokens.set(t, 0);
    },
    close: () => server.close(),
  };
}

await runStandalone(
  import.meta.url,
  (s) =>
    startEmulator({
      ...s,
      knobs: {
        ...s.knobs,
        rateLimitPerMinute: numberArg(s.args, '--per-minute', GUSTO_DOCUMENTED_PER_MINUTE),
      },
    }),
  (e) => ({
    name: 'Gusto',
    url: e.url,
    baseUrl: e.baseUrl,
    baseUrlVar: 'PROVIDER_GUSTO_BASE_URL',
    lines: {
      access_token: e.credentials.access_token,
      refresh_token: e.credentials.refresh_token,
      client_id: e.credentials.client_id,
      client_secret: e.credentials.client_secret,
      company_uuid: e.records.company.uuid,
      employees: e.records.employees.length,
    },
  }),
);
