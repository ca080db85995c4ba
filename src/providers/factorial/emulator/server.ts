/**
 * A loopback emulator of Factorial's API (version 2026-07-01), answering as the published spec does: the same paths
 * under `/api/2026-07-01/resources`, `{data, meta}` lists with cursor pagination (`limit` ≤ 100, `after_id` = the
 * previous `meta.end_cursor`, base64 of the last id as in Factorial's pagination guide), API-key (`x-api-key`) and
 * OAuth bearer auth, and `POST /oauth/token` refreshing user tokens (rotating refresh tokens). Fault knobs change at
 * runtime. Factorial documents no rate-limit headers; the 429 knob sends only Retry-After.
 *
 * Standalone: `node --import tsx src/providers/factorial/emulator/server.ts --port 4020 --employees 1000`
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  DEFAULT_PAGED_LIST_KNOBS,
  faultReply,
  injectedFault,
  type PagedListKnobs,
} from '../../emulator-faults.js';
import {
  type EmulatorReply as Reply,
  runStandalone,
  serveEmulator,
  type EmulatorStartOptions,
} from '../../emulator-http.js';
import { FACTORIAL_PAGE_LIMIT, FACTORIAL_RESOURCES } from '../client.js';
import { type FactorialEmulatorData, generateFactorialData } from './data.js';

/** `totalMismatch` skews `meta.total`; `expireToken` refuses the key (deleted) or the OAuth grant (revoked). */
export interface Knobs extends PagedListKnobs {
  /** Every request with valid credentials is refused with 403 (a user token lacking a permission). */
  forbidden: boolean;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_PAGED_LIST_KNOBS,
  forbidden: false,
};

export interface EmulatorOptions extends EmulatorStartOptions<Knobs> {
  /** Lifetime of access tokens issued by `/oauth/token` (Factorial's user tokens: one hour). */
  tokenLifetimeSeconds?: number;
}

export interface FactorialEmulator {
  /** Server root, e.g. http://127.0.0.1:4020: the adapter's base URL, as the real `https://api.factorialhr.com`. */
  baseUrl: string;
  credentials: {
    api_key: string;
    access_token: string;
    refresh_token: string;
    client_id: string;
    client_secret: string;
  };
  records: FactorialEmulatorData;
  knobs: Knobs;
  stats: { requests: number; rateLimited: number; tokenRefreshes: number; byPath: Map<string, number> };
  /** Every access token issued so far stops working (as when one expires): OAuth clients must refresh. */
  expireAccessTokens(): void;
  close(): Promise<void>;
}

/**
 * The least time a cold unified `employees()` can take against the emulator. Employee pages form a cursor chain:
 * each needs the previous one's `end_cursor`. The contract versions of each page's employees are asked for as that
 * page arrives, alongside the next employee page, and teams, locations and legal entities are one page each beside
 * them; so the floor is the employee chain plus the last page's contract request, each one `latencyMs`. No GET rate
 * limit is published to add to it.
 */
export function employeesFloorMs(employees: number, latencyMs: number): number {
  return (Math.max(1, Math.ceil(employees / FACTORIAL_PAGE_LIMIT)) + 1) * latencyMs;
}

const cursorOf = (key: number) => Buffer.from(String(key)).toString('base64');
function keyOfCursor(cursor: string): number | undefined {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** All values of `name` and `name[]` (repeated or comma separated). */
function many(q: URLSearchParams, name: string): string[] {
  return [...q.getAll(name), ...q.getAll(`${name}[]`)].flatMap((v) => v.split(',')).filter((v) => v !== '');
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<FactorialEmulator> {
  const seed = options.seed ?? 42;
  const records = generateFactorialData({ employees: options.employees ?? 100, seed });
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const secret = (n: number) => randomBytes(n).toString('base64url');
  const credentials = {
    api_key: `fk_${seed.toString(16)}_${secret(24)}`,
    access_token: `fat_${secret(24)}`,
    refresh_token: `frt_${secret(24)}`,
    client_id: `client_${seed.toString(16)}`,
    client_secret: `fcs_${secret(24)}`,
  };
  const accessTokens = new Map<string, number>([[credentials.access_token, Date.now() + lifetime * 1000]]);
  const refreshTokens = new Set([credentials.refresh_token]);
  const stats = { requests: 0, rateLimited: 0, tokenRefreshes: 0, byPath: new Map<string, number>() };
  const versionsByEmployee = new Map<string, FactorialEmulatorData['contractVersions']>();
  for (const v of records.contractVersions) {
    const list = versionsByEmployee.get(v.employee_id ?? '');
    if (list) list.push(v);
    else versionsByEmployee.set(v.employee_id ?? '', [v]);
  }

  /**
   * One cursor page of `items`, in ascending order of `key` (the numeric id; allowance stats, whose ids are virtual
   * `employee/allowance/date` strings, page by position). The cursor is base64 of the last key, as Factorial's are.
   */
  function page<T extends { id?: string }>(
    q: URLSearchParams,
    items: readonly T[],
    key: (item: T, index: number) => number = (item) => Number(item.id),
  ): Reply {
    const rawLimit = q.get('limit');
    const limit = rawLimit === null ? FACTORIAL_PAGE_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1) {
      return { status: 400, body: { error: 'limit must be a positive integer' } };
    }
    const size = Math.min(limit, FACTORIAL_PAGE_LIMIT);
    const after = q.get('after_id');
    let start = 0;
    if (after) {
      const afterKey = keyOfCursor(after);
      if (afterKey === undefined) return { status: 400, body: { error: 'invalid after_id cursor' } };
      start = items.findIndex((item, i) => key(item, i) > afterKey);
      if (start < 0) start = items.length;
    }
    let data = items.slice(start, start + size);
    const hasNext = start + size < items.length;
    if (knobs.shortPage && start > 0 && hasNext && data.length > 1)
      data = data.slice(0, Math.ceil(data.length / 2));
    const last = data.length > 0 ? key(data[data.length - 1] as T, start + data.length - 1) : undefined;
    const first = data.length > 0 ? key(data[0] as T, start) : undefined;
    return {
      status: 200,
      body: {
        data,
        meta: {
          ...(first !== undefined ? { start_cursor: cursorOf(first) } : {}),
          ...(last !== undefined ? { end_cursor: cursorOf(last) } : {}),
          has_previous_page: start > 0,
          has_next_page: hasNext,
          limit: size,
          total: items.length + (knobs.totalMismatch ? 1 : 0),
        },
      },
    };
  }

  /** A spec-required boolean filter that the client must send. */
  function requireBooleans(q: URLSearchParams, names: string[]): Reply | null {
    for (const name of names) {
      const v = q.get(name);
      if (v !== 'true' && v !== 'false') return { status: 400, body: { error: `${name} is required` } };
    }
    return null;
  }

  function route(path: string, q: URLSearchParams): Reply {
    switch (path) {
      case 'employees/employees': {
        const missing = requireBooleans(q, ['only_active', 'only_managers']);
        if (missing) return missing;
        const ids = many(q, 'ids');
        let list = records.employees;
        if (q.get('only_active') === 'true') list = list.filter((e) => e.active);
        if (ids.length > 0) list = list.filter((e) => ids.includes(e.id ?? ''));
        return page(q, list);
      }
      case 'contracts/contract_versions': {
        const who = many(q, 'employee_ids');
        if (who.length > 0) {
          // Indexed: the adapter asks for the versions of each page of employees as it reads them.
          return page(
            q,
            who.flatMap((id) => versionsByEmployee.get(id) ?? []).sort((a, b) => Number(a.id) - Number(b.id)),
          );
        }
        return page(q, records.contractVersions);
      }
      case 'teams/teams':
        return page(q, records.teams);
      case 'locations/locations':
        return page(q, records.locations);
      case 'companies/legal_entities':
        return page(q, records.legalEntities);
      case 'timeoff/leave_types':
        return page(q, records.leaveTypes);
      case 'timeoff/allowances':
        return page(q, records.allowances);
      case 'timeoff/allowance_stats': {
        const who = many(q, 'employee_ids');
        const all = records.allowanceStats;
        return page(
          q,
          who.length ? all.filter((s) => who.includes(s.employee_id ?? '')) : all,
          (_s, i) => i + 1,
        );
      }
      case 'timeoff/leaves': {
        const missing = requireBooleans(q, ['include_deleted_leaves']);
        if (missing) return missing;
        const from = q.get('from');
        const to = q.get('to');
        const pending = q.get('include_pending') === 'true';
        const list = records.leaves.filter(
          (l) =>
            (pending || l.approved === true) &&
            (!to || (l.start_on ?? '') <= to) &&
            (!from || (l.finish_on ?? l.start_on ?? '') >= from),
        );
        return page(q, list);
      }
      case 'attendance/shifts': {
        const missing = requireBooleans(q, ['half_day', 'sort_created_at_asc']);
        if (missing) return missing;
        const from = q.get('start_on');
        const to = q.get('end_on');
        const list = records.shifts.filter(
          (s) =>
            (!from || (s.date ?? '') >= from) &&
            (!to || (s.date ?? '') <= to) &&
            (q.get('half_day') !== 'true' || s.half_day !== undefined),
        );
        return page(q, list);
      }
      default:
        return { status: 404, body: { error: 'Not found' } };
    }
  }

  function authorized(req: IncomingMessage): boolean {
    if (knobs.expireToken) return false;
    const key = req.headers['x-api-key'];
    if (typeof key === 'string') return key === credentials.api_key;
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const expires = m?.[1] ? accessTokens.get(m[1]) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  function token(form: URLSearchParams): Reply {
    const refresh = form.get('refresh_token') ?? '';
    if (
      form.get('grant_type') !== 'refresh_token' ||
      form.get('client_id') !== credentials.client_id ||
      form.get('client_secret') !== credentials.client_secret
    ) {
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client authentication failed' },
      };
    }
    if (knobs.expireToken || !refreshTokens.has(refresh)) {
      return {
        status: 400,
        body: { error: 'invalid_grant', error_description: 'The refresh token is invalid' },
      };
    }
    stats.tokenRefreshes++;
    refreshTokens.delete(refresh);
    const access = `fat_${secret(24)}`;
    const next = `frt_${secret(24)}`;
    accessTokens.set(access, Date.now() + lifetime * 1000);
    refreshTokens.add(next);
    return {
      status: 200,
      body: {
        access_token: access,
        token_type: 'Bearer',
        expires_in: lifetime,
        refresh_token: next,
        scope: 'read write',
        created_at: Math.floor(Date.now() / 1000),
      },
    };
  }

  function handle(req: IncomingMessage, body: string): Reply | 'hang' {
    stats.requests++;
    const n = stats.requests;
    if (knobs.hang) return 'hang';
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname === '/oauth/token' && req.method === 'POST') return token(new URLSearchParams(body));
    const prefix = `${FACTORIAL_RESOURCES}/`;
    if (!url.pathname.startsWith(prefix)) return { status: 404, body: { error: 'Not found' } };
    const path = url.pathname.slice(prefix.length);
    stats.byPath.set(path, (stats.byPath.get(path) ?? 0) + 1);
    if (!authorized(req)) return { status: 401, body: { error: 'Unauthorized' } };
    if (knobs.forbidden) return { status: 403, body: { error: 'Forbidden' } };
    const fault = injectedFault(knobs, n);
    if (fault) {
      if (fault.status === 429) stats.rateLimited++;
      return faultReply(fault, knobs, (status) => ({
        error: status === 429 ? 'Too many requests' : 'Service unavailable',
      }));
    }
    if (req.method !== 'GET') return { status: 405, body: { error: `${req.method} is not served here` } };
    return route(path, url.searchParams);
  }

  const server = await serveEmulator(handle, knobs, options);

  return {
    baseUrl: server.url,
    credentials,
    records,
    knobs,
    stats,
    expireAccessTokens: () => {
      for (const t of accessTokens.keys()) accessTokens.set(t, 0);
    },
    close: () => server.close(),
  };
}

await runStandalone(
  import.meta.url,
  startEmulator,
  (e) => ({
    name: 'Factorial',
    url: e.baseUrl,
    baseUrl: e.baseUrl,
    baseUrlVar: 'PROVIDER_FACTORIALHR_BASE_URL',
    lines: { api_key: e.credentials.api_key, employees: e.records.employees.length },
  }),
  { port: 4020 },
);
