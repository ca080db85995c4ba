/**
 * A loopback emulator of HiBob's public API v1, answering as the published spec does: the same paths under `/v1`,
 * Basic auth with a service user, `POST /people/search` with its fields, filters, `showInactive` and
 * `humanReadable` semantics (all matches in one response; at most one `root.id`/`root.email` `equals` filter and
 * 400 field ids, else 400), cursor pagination on the bulk salaries table, the `Error` body (`{key, error}`), and
 * HiBob's per-endpoint rate limits (50 a minute, a sliding window) with `X-RateLimit-Limit/-Remaining/-Reset`
 * (epoch seconds) on every answer. Fault knobs can be changed at runtime.
 *
 * Standalone: `node --import tsx src/providers/hibob/emulator/server.ts --port 4010 --employees 1000`
 */
import type { IncomingMessage } from 'node:http';
import {
  DEFAULT_FAULT_KNOBS,
  type FaultKnobs,
  injectedFault,
  type PagedListKnobs,
} from '../../emulator-faults.js';
import {
  type EmulatorReply as Reply,
  serveEmulator,
  runStandalone,
  type EmulatorStartOptions,
  numberArg,
} from '../../emulator-http.js';
import type { HibobEndpoint } from '../client.js';
import { fieldPath } from '../mappers/to-employee.js';
import type { HibobListItem, HibobSearchRequest } from '../raw.js';
import { type EmulatorEmployee, generateHibobData, type HibobEmulatorData } from './data.js';

export const BASE_PATH = '/v1';
/** HiBob's documented limit per endpoint (people search, balances, policies): 50 requests a minute. */
export const HIBOB_DOCUMENTED_PER_MINUTE = 50;

/** `expireToken`: the service user's token is revoked (every request answers 401), as for every emulator. */
export interface Knobs extends Pick<PagedListKnobs, keyof FaultKnobs | 'expireToken'> {
  /** The service user lost its permissions: every request answers 403 while set. */
  forbidden: boolean;
  /** Bulk salaries pages carry half the asked `limit` while the cursor goes on. */
  shortPage: boolean;
  /**
   * Filtered searches leave out the last id asked for: `flaky` the first time a filter is asked (a transient short
   * answer), `always` every time (an employee the service user consistently cannot see).
   */
  shortSearch: 'off' | 'flaky' | 'always';
  /** Who's out with `includePending=true` answers 403 (a service user without the pending-requests permission). */
  pendingForbidden: boolean;
  /** The bulk salaries table answers 403 (a service user without payroll permission). */
  payrollForbidden: boolean;
  /** Requests allowed per endpoint per rolling window; 0 = not enforced. */
  ratePerMinute: number;
  /** The window, HiBob's minute unless a test shortens it. */
  rateWindowMs: number;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_FAULT_KNOBS,
  expireToken: false,
  forbidden: false,
  shortPage: false,
  shortSearch: 'off',
  pendingForbidden: false,
  payrollForbidden: false,
  ratePerMinute: HIBOB_DOCUMENTED_PER_MINUTE,
  rateWindowMs: 60_000,
};

export interface EmulatorOptions extends EmulatorStartOptions<Knobs> {
  today?: string;
}

export interface HibobEmulator {
  url: string;
  /** What the adapter uses as its base URL: root + `/v1`, as the real `https://api.hibob.com/v1`. */
  baseUrl: string;
  credentials: { service_user_id: string; token: string };
  records: HibobEmulatorData;
  knobs: Knobs;
  stats: { requests: number; rateLimited: number; byEndpoint: Map<string, number> };
  close(): Promise<void>;
}

/**
 * Requests a cold `employees()` makes for `n` employees: the fields metadata, the company lists, the id search,
 * one search per batch of 400 and one salaries request per 200 ids.
 */
export function employeesRequests(n: number): {
  search: number;
  salaries: number;
  fields: number;
  lists: number;
} {
  return { search: 1 + Math.ceil(n / 400), salaries: Math.ceil(n / 200), fields: 1, lists: 1 };
}

/**
 * The least time a cold `employees()` can take within HiBob's documented limits: each endpoint's requests beyond
 * its first 50 wait a minute per 50, and the requests themselves take at least `bareMs` (a bare walk of the same
 * requests, measured: the emulator's own work and loopback transfer, which the limits do not cover).
 */
export function employeesFloorMs(n: number, bareMs: number): number {
  const { search, salaries } = employeesRequests(n);
  const waits = Math.max(
    Math.floor((search - 1) / HIBOB_DOCUMENTED_PER_MINUTE),
    Math.floor((salaries - 1) / HIBOB_DOCUMENTED_PER_MINUTE),
  );
  return waits * 60_000 + bareMs;
}

const error = (status: number, key: string, message: string): Reply => ({
  status,
  body: { key, error: message },
});

/** The rate-limited family of a path, as the client names them. */
function endpointOf(method: string, path: string): HibobEndpoint | null {
  if (method === 'POST' && path === '/people/search') return 'people-search';
  if (path === '/company/people/fields') return 'people-fields';
  if (path.startsWith('/company/named-lists')) return 'named-lists';
  if (path === '/bulk/people/salaries') return 'bulk-salaries';
  if (path === '/timeoff/whosout') return 'whos-out';
  if (path.startsWith('/timeoff/policy-types')) return 'policy-types';
  if (/^\/timeoff\/employees\/[^/]+\/balance$/.test(path)) return 'balance';
  return null;
}

/** Sets `value` at a dotted path inside `target`, creating the objects on the way. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/** The fields a search without `fields` returns: the basic root fields and the work category. */
const DEFAULT_FIELDS = [
  'root.id',
  'root.firstName',
  'root.surname',
  'root.email',
  'root.displayName',
  'root.fullName',
  'root.creationDateTime',
  'root.avatarUrl',
  'root.companyId',
  'work.title',
  'work.department',
  'work.site',
  'work.siteId',
  'work.startDate',
  'work.reportsTo',
  'work.employeeIdInCompany',
];

/** One employee in HiBob's machine format: nested and flat forms, plus `humanReadable` when appended. */
function renderEmployee(
  e: EmulatorEmployee,
  fields: readonly string[],
  append: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const human: Record<string, unknown> = {};
  for (const id of fields) {
    const value = e.machine[id];
    if (value === undefined) continue;
    const { nested, flat } = fieldPath(id);
    setPath(out, nested, value);
    out[flat] = { value };
    if (append) setPath(human, nested, e.human[id] ?? value);
  }
  if (append) out['humanReadable'] = human;
  return out;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<HibobEmulator> {
  const seed = options.seed ?? 42;
  const records = generateHibobData({ employees: options.employees ?? 50, seed, today: options.today });
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const credentials = {
    service_user_id: `SERVICE-${seed}${records.companyId}`,
    token: `hbt_${seed}_9c1d7e2b5f3a4d6e`,
  };
  const expected = `Basic ${Buffer.from(`${credentials.service_user_id}:${credentials.token}`).toString('base64')}`;
  const stats = { requests: 0, rateLimited: 0, byEndpoint: new Map<string, number>() };
  const windows = new Map<HibobEndpoint, number[]>();
  const byId = new Map(records.employees.map((e) => [e.id, e]));
  const knownFields = new Set(records.fields.map((f) => f.id ?? ''));
  // Filters seen before: the `flaky` short answer comes the first time only.
  const seenFilters = new Set<string>();

  /** Sliding-window accounting for one endpoint; the headers HiBob sends, and whether the request may go. */
  function limit(endpoint: HibobEndpoint): { ok: boolean; headers: Record<string, string> } {
    const max = knobs.ratePerMinute;
    const now = Date.now();
    const stamps = windows.get(endpoint) ?? [];
    while (stamps.length > 0 && (stamps[0] ?? 0) <= now - knobs.rateWindowMs) stamps.shift();
    const ok = max <= 0 || stamps.length < max;
    if (ok) stamps.push(now);
    windows.set(endpoint, stamps);
    const reset = Math.ceil(((stamps[0] ?? now) + knobs.rateWindowMs) / 1000);
    return {
      ok,
      headers: {
        'x-ratelimit-limit': String(max > 0 ? max : HIBOB_DOCUMENTED_PER_MINUTE),
        'x-ratelimit-remaining': String(
          max > 0 ? Math.max(0, max - stamps.length) : HIBOB_DOCUMENTED_PER_MINUTE,
        ),
        'x-ratelimit-reset': String(reset),
      },
    };
  }

  function search(body: unknown): Reply {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return error(400, 'bad_request', 'The request body must be a JSON object');
    }
    const req = body as HibobSearchRequest;
    if (
      req.fields !== undefined &&
      (!Array.isArray(req.fields) || req.fields.some((f) => typeof f !== 'string'))
    ) {
      return error(400, 'bad_request', 'fields must be a list of field ids');
    }
    if ((req.fields?.length ?? 0) > 400)
      return error(400, 'bad_request', 'At most 400 fields can be requested');
    const fields =
      req.fields && req.fields.length > 0 ? req.fields.filter((f) => knownFields.has(f)) : DEFAULT_FIELDS;
    let people = records.employees.filter((e) => req.showInactive === true || e.active);
    if (req.filters !== undefined) {
      if (!Array.isArray(req.filters) || req.filters.length > 1) {
        return error(400, 'bad_request', 'Only a single filter is supported');
      }
      const filter = req.filters[0];
      if (filter) {
        if (filter.fieldPath !== 'root.id' && filter.fieldPath !== 'root.email') {
          return error(400, 'bad_request', `Unsupported filter field ${String(filter.fieldPath)}`);
        }
        if (filter.operator !== 'equals')
          return error(400, 'bad_request', 'Only the equals operator is supported');
        if (!Array.isArray(filter.values) || filter.values.length === 0) {
          return error(400, 'bad_request', 'Filter values must not be empty');
        }
        const wanted = new Set(filter.values);
        const field = filter.fieldPath === 'root.id' ? 'root.id' : 'root.email';
        people = people.filter((e) => wanted.has(String(e.machine[field])));
        const asked = filter.values.join(',');
        const drop =
          knobs.shortSearch === 'always' || (knobs.shortSearch === 'flaky' && !seenFilters.has(asked));
        seenFilters.add(asked);
        const last = filter.values[filter.values.length - 1];
        if (drop) people = people.filter((e) => e.id !== last);
      }
    }
    const append = req.humanReadable === 'APPEND';
    return { status: 200, body: { employees: people.map((e) => renderEmployee(e, fields, append)) } };
  }

  function salaries(q: URLSearchParams): Reply {
    if (knobs.payrollForbidden)
      return error(403, 'forbidden', 'The service user may not read payroll histories');
    const limitParam = q.get('limit') ?? '50';
    if (!/^\d+$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > 200) {
      return error(400, 'bad_request', 'limit must be between 1 and 200');
    }
    const pageSize = Number(limitParam);
    const idsParam = q.get('employeeIds');
    const ids = idsParam
      ? idsParam.split(',').filter((s) => s.length > 0)
      : records.employees.map((e) => e.id);
    if (ids.length > 200) return error(400, 'bad_request', 'At most 200 employee ids per request');
    const cursor = q.get('cursor');
    let start = 0;
    if (cursor) {
      const m = /^c(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
      if (!m) return error(400, 'bad_request', 'Invalid cursor');
      start = Number(m[1]);
    }
    const known = ids.filter((id) => byId.has(id));
    const unknown = ids.filter((id) => !byId.has(id));
    const take = knobs.shortPage ? Math.max(1, Math.floor(pageSize / 2)) : pageSize;
    const page = known.slice(start, start + take);
    const end = start + page.length;
    return {
      status: 200,
      body: {
        // The spec's `BulkSalariesTableResponse` nests an employee's entries in one `SalaryEntries` object.
        results: page.map((id) => ({ employeeId: id, values: [{ values: records.salaries.get(id) ?? [] }] })),
        response_metadata: {
          cursor: end < known.length ? Buffer.from(`c${end}`).toString('base64url') : null,
        },
        ...(start === 0 && unknown.length > 0
          ? {
              errors: [
                {
                  employeeId: {
                    error: 'MISSING_PERMISSION',
                    message: `You don't have permission to access data for employees with ids: ${unknown.join(', ')}`,
                  },
                },
              ],
            }
          : {}),
      },
    };
  }

  function whosOut(q: URLSearchParams): Reply {
    const from = q.get('from');
    const to = q.get('to');
    const isDate = (v: string | null) => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);
    if (!isDate(from) || !isDate(to)) return error(400, 'bad_request', 'from and to are required dates');
    const hourly = q.get('includeHourly') === 'true';
    const pending = q.get('includePending') === 'true';
    if (pending && knobs.pendingForbidden) {
      return error(403, 'forbidden', 'The service user may not see pending requests');
    }
    const outs = records.requests.filter((r) => {
      if (!hourly && (r.type === 'hours' || r.type === 'hoursOnRange')) return false;
      if (!pending && r.status === 'Pending') return false;
      const start = r.startDate ?? r.date ?? '';
      const end = r.endDate ?? r.date ?? '';
      return start <= (to ?? '') && end >= (from ?? '');
    });
    return { status: 200, body: { outs } };
  }

  function namedList(name: string, q: URLSearchParams): Reply {
    const list = records.lists.find((l) => l.name === name);
    if (!list) return error(404, 'not_found', `List ${name} was not found`);
    const archived = q.get('includeArchived') === 'true';
    const keep = (items: HibobListItem[] = []): HibobListItem[] =>
      items.filter((i) => archived || !i.archived).map((i) => ({ ...i, children: keep(i.children) }));
    return { status: 200, body: { name: list.name, items: keep(list.items) } };
  }

  function route(method: string, path: string, q: URLSearchParams, body: unknown): Reply {
    if (method === 'POST' && path === '/people/search') return search(body);
    if (method !== 'GET')
      return error(405, 'method_not_allowed', `${method} ${path} is not served by the emulator`);
    if (path === '/company/people/fields') return { status: 200, body: records.fields };
    if (path === '/company/named-lists') {
      return { status: 200, body: records.lists.map((l) => namedList(l.name ?? '', q).body) };
    }
    const list = /^\/company\/named-lists\/([^/]+)$/.exec(path);
    if (list) return namedList(decodeURIComponent(list[1] ?? ''), q);
    if (path === '/bulk/people/salaries') return salaries(q);
    if (path === '/timeoff/whosout') return whosOut(q);
    if (path === '/timeoff/policy-types') {
      return { status: 200, body: { policyTypes: records.policyTypes.map((p) => p.name) } };
    }
    const type = /^\/timeoff\/policy-types\/([^/]+)$/.exec(path);
    if (type) {
      const found = records.policyTypes.find((p) => p.name === decodeURIComponent(type[1] ?? ''));
      if (!found) return error(404, 'not_found', 'Policy type not found');
      return { status: 200, body: { name: found.name, activity: found.activity, unit: found.unit } };
    }
    const balance = /^\/timeoff\/employees\/([^/]+)\/balance$/.exec(path);
    if (balance) {
      const policyType = q.get('policyType');
      const date = q.get('date');
      if (!policyType || !date) return error(400, 'bad_request', 'policyType and date are required');
      const found = records.balance(decodeURIComponent(balance[1] ?? ''), policyType);
      if (!found) return error(404, 'not_found', `No ${policyType} policy for this employee`);
      return { status: 200, body: found };
    }
    return error(404, 'not_found', `${method} ${path} not found`);
  }

  function handle(req: IncomingMessage, raw: string): Reply | 'hang' {
    stats.requests++;
    const n = stats.requests;
    if (knobs.hang) return 'hang';
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (!url.pathname.startsWith(`${BASE_PATH}/`))
      return error(404, 'not_found', `${url.pathname} not found`);
    const path = url.pathname.slice(BASE_PATH.length);
    const method = req.method ?? 'GET';
    if (req.headers.authorization !== expected || knobs.expireToken) {
      return error(401, 'unauthorized', 'Invalid service user credentials');
    }
    if (knobs.forbidden) return error(403, 'forbidden', 'The service user has no permission for this data');
    const endpoint = endpointOf(method, path);
    if (endpoint) stats.byEndpoint.set(endpoint, (stats.byEndpoint.get(endpoint) ?? 0) + 1);
    const window = endpoint ? limit(endpoint) : { ok: true, headers: {} };
    const fault = injectedFault(knobs, n);
    if (fault?.status === 429) {
      stats.rateLimited++;
      return {
        ...error(429, 'too_many_requests', 'Too many requests'),
        headers: { ...window.headers, 'retry-after': String(fault.retryAfterSeconds) },
      };
    }
    if (!window.ok) {
      stats.rateLimited++;
      // HiBob announces the window in its rate-limit headers; no Retry-After.
      return { ...error(429, 'too_many_requests', 'Too many requests'), headers: window.headers };
    }
    if (fault) {
      return {
        ...error(fault.status, 'server_error', 'Service temporarily unavailable'),
        headers: { 'retry-after': String(knobs.retryAfterSeconds) },
      };
    }
    let body: unknown;
    if (method === 'POST') {
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        return error(400, 'bad_request', 'The request body is not JSON');
      }
    }
    const reply = route(method, path, url.searchParams, body);
    return { ...reply, headers: { ...window.headers, ...reply.headers } };
  }

  const server = await serveEmulator(handle, knobs, options);
  return {
    url: server.url,
    baseUrl: `${server.url}${BASE_PATH}`,
    credentials,
    records,
    knobs,
    stats,
    close: () => server.close(),
  };
}

await runStandalone(
  import.meta.url,
  (s) =>
    startEmulator({
      ...s,
      knobs: { ...s.knobs, ratePerMinute: numberArg(s.args, '--per-minute', HIBOB_DOCUMENTED_PER_MINUTE) },
    }),
  (e) => ({
    name: 'HiBob',
    url: e.url,
    baseUrl: e.baseUrl,
    baseUrlVar: 'PROVIDER_HIBOB_BASE_URL',
    lines: {
      service_user_id: e.credentials.service_user_id,
      token: e.credentials.token,
      employees: e.records.employees.length,
    },
  }),
  { employees: 50 },
);
