/**
 * A loopback emulator of Deel's REST API v2, answering as the published spec does: same paths under `/rest/v2`,
 * Bearer token auth, offset pagination (`offset`/`limit` with `page.total_rows`) on people and timesheets, cursor
 * pagination on time offs (`next`/`has_next_page`) and groups (`cursor`/`page.cursor`), `ApiErrorContainer` error
 * bodies, and Deel's documented rate limit (5 requests per second per organization, rolling 1 s window, 429
 * without rate-limit headers). Fault knobs can be changed at runtime.
 *
 * Standalone: `node --import tsx src/providers/deel/emulator/server.ts --port 4010 --employees 1000`
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DEEL_OFFSET_PAGE_SIZE } from '../client.js';
import { type DeelEmulatorData, generateDeelData } from './data.js';
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

export const BASE_PATH = '/rest/v2';
/** Deel's documented limit: 5 requests per second per organization. */
export const DEEL_DOCUMENTED_RPS = 5;

/**
 * Deel's malformed-JSON knob cuts 200 bodies only (error bodies stay whole); `shortPage` and `expireToken` mean what
 * they mean for every emulator (emulator-faults.ts).
 */
export interface Knobs extends Pick<PagedListKnobs, keyof FaultKnobs | 'shortPage' | 'expireToken'> {
  /** Added to every offset list's announced `page.total_rows` (totals are hints). */
  totalSkew: number;
  /** Enforced requests per rolling second (Deel's documented 5); 0 = not enforced. */
  rateLimitPerSecond: number;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_FAULT_KNOBS,
  shortPage: false,
  totalSkew: 0,
  expireToken: false,
  rateLimitPerSecond: DEEL_DOCUMENTED_RPS,
};

export interface EmulatorOptions extends EmulatorStartOptions<Knobs> {
  /** Fixed token (default derived from the seed). */
  apiToken?: string;
}

export interface DeelEmulator {
  /** Server root, e.g. http://127.0.0.1:4010 */
  url: string;
  /** What the adapter uses as its base URL: root + `/rest/v2`, as the real `https://api.letsdeel.com/rest/v2`. */
  baseUrl: string;
  credentials: { api_token: string };
  records: DeelEmulatorData;
  knobs: Knobs;
  /** Requests seen (all paths), for assertions about call counts. */
  stats: { requests: number; rateLimited: number };
  close(): Promise<void>;
}

/**
 * The least time a cold `employees()` can take within Deel's documented limit: `requests` calls at 5 per rolling
 * second start at ⌊(requests−1)/5⌋ s for the last one, which then takes `latencyMs`.
 */
export function floorMs(requests: number, latencyMs: number, rps = DEEL_DOCUMENTED_RPS): number {
  return Math.floor(Math.max(0, requests - 1) / rps) * 1000 + latencyMs;
}

/** Requests a cold unified `employees()` needs: every people page plus `/departments` and `/working-locations`. */
export function employeesRequests(employees: number, pageSize = DEEL_OFFSET_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(employees / pageSize)) + 2;
}

type Query = URLSearchParams;

/**
 * The error body the spec documents for this path and status. Most endpoints use `ApiErrorContainer`; a few
 * document their own shapes (`/organizations` and `/departments` 401/404/500 → `{error}`, `/groups` 400 →
 * `{message}`).
 */
function errorBody(req: IncomingMessage, status: number, message: string, field?: string): unknown {
  const path = new URL(req.url ?? '/', 'http://emulator').pathname.slice(BASE_PATH.length);
  if ((path === '/organizations' || path === '/departments') && [401, 404, 500].includes(status)) {
    return { error: message };
  }
  if (path === '/groups' && status === 400) return { message };
  return {
    request: {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      status,
      api_req_id: randomUUID(),
      docs: 'https://developer.deel.com/docs',
      source: 'emulator',
      code: status,
    },
    errors: [{ message, ...(field ? { path: field } : {}) }],
  };
}

function intParam(q: Query, name: string, def: number, min: number, max: number): number | string {
  const raw = q.get(name);
  if (raw === null || raw === '') return def;
  if (!/^\d+$/.test(raw)) return `${name} must be a non-negative integer`;
  const n = Number(raw);
  if (n < min || n > max) return `${name} must be between ${min} and ${max}`;
  return n;
}

const encodeCursor = (index: number) => Buffer.from(`idx:${index}`).toString('base64url');
function decodeCursor(cursor: string | null): number | undefined {
  if (!cursor) return 0;
  const m = /^idx:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? Number(m[1]) : undefined;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<DeelEmulator> {
  const seed = options.seed ?? 42;
  const records = generateDeelData({ employees: options.employees ?? 100, seed });
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const token = options.apiToken ?? `deel_emu_${seed.toString(16)}_5f3a9c1d7e2b`;
  const stats = { requests: 0, rateLimited: 0 };
  const window: number[] = [];
  const peopleById = new Map(records.people.map((p) => [p.id ?? '', p]));
  const reportsById = new Map(
    [...records.payrollReports.values()].flat().map((r) => [r.id ?? '', r] as const),
  );

  /** Slices a list for offset pagination, applying the short-page knob to the second page. */
  function offsetPage<T>(req: IncomingMessage, q: Query, items: T[], maxLimit: number): Reply {
    const offset = intParam(q, 'offset', 0, 0, 999_999_999);
    const limit = intParam(q, 'limit', DEEL_OFFSET_PAGE_SIZE, 1, maxLimit);
    if (typeof offset === 'string') return { status: 400, body: errorBody(req, 400, offset, 'offset') };
    if (typeof limit === 'string') return { status: 400, body: errorBody(req, 400, limit, 'limit') };
    let data = items.slice(offset, offset + limit);
    if (knobs.shortPage && offset === limit && data.length > 1)
      data = data.slice(0, Math.ceil(data.length / 2));
    return {
      status: 200,
      // items_per_page is capped by the response schema's maximum of 99.
      body: {
        data,
        page: { offset, total_rows: items.length + knobs.totalSkew, items_per_page: Math.min(limit, 99) },
      },
    };
  }

  function route(req: IncomingMessage, path: string, q: Query): Reply {
    const param = (pattern: RegExp): string | undefined => {
      const m = pattern.exec(path);
      return m ? decodeURIComponent(m[1] ?? '') : undefined;
    };
    if (path === '/people') return offsetPage(req, q, records.people, 200);
    if (path === '/people/me') return { status: 200, body: records.me };
    if (path === '/organizations') return { status: 200, body: { data: [records.organization] } };
    if (path === '/legal-entities') {
      const country = q.get('country');
      return {
        status: 200,
        body: { data: records.legalEntities.filter((e) => !country || e.country === country) },
      };
    }
    if (path === '/departments') return { status: 200, body: { data: records.departments } };
    if (path === '/working-locations') return { status: 200, body: { data: records.workingLocations } };
    if (path === '/groups') {
      const limit = intParam(q, 'limit', 100, 1, 100);
      if (typeof limit === 'string') return { status: 400, body: errorBody(req, 400, limit, 'limit') };
      const start = decodeCursor(q.get('cursor'));
      if (start === undefined) return { status: 400, body: errorBody(req, 400, 'invalid cursor', 'cursor') };
      let data = records.groups.slice(start, start + limit);
      if (knobs.shortPage && start > 0 && data.length > 1) data = data.slice(0, Math.ceil(data.length / 2));
      const end = start + data.length;
      const page: { total_rows: number; cursor?: string } = { total_rows: records.groups.length };
      if (end < records.groups.length) page.cursor = encodeCursor(end);
      return { status: 200, body: { data, page } };
    }
    if (path === '/time_offs') {
      const size = intParam(q, 'page_size', 10, 5, 200);
      if (typeof size === 'string') return { status: 400, body: errorBody(req, 400, size, 'page_size') };
      const start = decodeCursor(q.get('next'));
      if (start === undefined) return { status: 400, body: errorBody(req, 400, 'invalid cursor', 'next') };
      const from = q.get('start_date');
      const to = q.get('end_date');
      // Entries overlapping [start_date, end_date].
      const all = records.timeOffs.filter(
        (t) => (!to || (t.start_date ?? '') <= to) && (!from || (t.end_date ?? '') >= from),
      );
      let data = all.slice(start, start + size);
      if (knobs.shortPage && start > 0 && data.length > 1) data = data.slice(0, Math.ceil(data.length / 2));
      const end = start + data.length;
      const hasNext = end < all.length;
      return {
        status: 200,
        body: {
          data,
          ...(hasNext ? { next: encodeCursor(end) } : {}),
          page: Math.floor(start / size) + 1,
          page_size: size,
          has_next_page: hasNext,
        },
      };
    }
    const entitlementsOf = param(/^\/time_offs\/profile\/([^/]+)\/entitlements$/);
    if (entitlementsOf !== undefined) {
      const ents = records.entitlements(entitlementsOf);
      if (!ents) return { status: 404, body: errorBody(req, 404, 'HRIS profile not found') };
      return { status: 200, body: { entitlements: ents, hris_profile_id: entitlementsOf } };
    }
    const policiesOf = param(/^\/time_offs\/profile\/([^/]+)\/policies$/);
    if (policiesOf !== undefined) {
      if (!peopleById.has(policiesOf)) {
        return { status: 404, body: errorBody(req, 404, 'HRIS profile not found') };
      }
      return { status: 200, body: { policies: records.policies } };
    }
    if (path === '/timesheets') {
      const from = q.get('date_from');
      const to = q.get('date_to');
      const contract = q.get('contract_id');
      const list = records.timesheets.filter((t) => {
        const d = (t.date_submitted ?? '').slice(0, 10);
        return (!from || d >= from) && (!to || d <= to) && (!contract || t.contract?.id === contract);
      });
      return offsetPage(req, q, list, 99);
    }
    const entityId = param(/^\/gp\/legal-entities\/([^/]+)\/reports$/);
    if (entityId !== undefined) {
      const reports = records.payrollReports.get(entityId);
      if (!reports) return { status: 404, body: errorBody(req, 404, 'Legal entity not found') };
      const from = q.get('start_date');
      return { status: 200, body: { data: reports.filter((r) => !from || (r.start_date ?? '') >= from) } };
    }
    const id = param(/^\/gp\/reports\/([^/]+)\/gross_to_net$/);
    if (id !== undefined) {
      if (!reportsById.has(id)) return { status: 404, body: errorBody(req, 404, 'Report not found') };
      return { status: 200, body: { data: records.grossToNet.get(id) ?? [] } };
    }
    return { status: 404, body: errorBody(req, 404, `Cannot ${req.method} ${path}`) };
  }

  function handle(req: IncomingMessage): Reply | 'hang' {
    stats.requests++;
    const n = stats.requests;
    if (knobs.hang) return 'hang';
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (!url.pathname.startsWith(`${BASE_PATH}/`)) {
      return { status: 404, body: errorBody(req, 404, `Cannot ${req.method} ${url.pathname}`) };
    }
    if (req.headers.authorization !== `Bearer ${token}` || knobs.expireToken) {
      return { status: 401, body: errorBody(req, 401, 'Unauthorized: invalid or expired token') };
    }
    const fault = injectedFault(knobs, n);
    if (fault?.status === 429) {
      stats.rateLimited++;
      return {
        status: 429,
        body: errorBody(req, 429, 'Too many requests. Please wait before retrying.'),
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
      };
    }
    if (knobs.rateLimitPerSecond > 0) {
      const now = Date.now();
      while (window.length > 0 && (window[0] ?? 0) <= now - 1000) window.shift();
      if (window.length >= knobs.rateLimitPerSecond) {
        stats.rateLimited++;
        // Deel documents no rate-limit headers on its 429.
        return { status: 429, body: errorBody(req, 429, 'Too many requests. Please wait before retrying.') };
      }
      window.push(now);
    }
    if (fault) {
      return {
        status: fault.status,
        body: errorBody(req, fault.status, 'Service temporarily unavailable'),
        headers: { 'retry-after': String(knobs.retryAfterSeconds) },
      };
    }
    if (req.method !== 'GET') {
      return { status: 405, body: errorBody(req, 405, `Method ${req.method} not allowed on this emulator`) };
    }
    return route(req, url.pathname.slice(BASE_PATH.length), url.searchParams);
  }

  const server = await serveEmulator((req) => handle(req), knobs, options);
  return {
    url: server.url,
    baseUrl: `${server.url}${BASE_PATH}`,
    credentials: { api_token: token },
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
      knobs: { ...s.knobs, rateLimitPerSecond: numberArg(s.args, '--rps', DEEL_DOCUMENTED_RPS) },
    }),
  (e) => ({
    name: 'Deel',
    url: e.url,
    baseUrl: e.baseUrl,
    baseUrlVar: 'PROVIDER_DEEL_BASE_URL',
    lines: { api_token: e.credentials.api_token, employees: e.records.people.length },
  }),
);
