/**
 * A loopback emulator of Remote's API (gateway.remote.com), answering as the published spec does: the same paths,
 * `{data: {<records>, current_page, total_count, total_pages}}` lists paged by `page` (from 1) and `page_size`
 * (default 20, at most 100), Bearer API tokens, `{message}` error bodies, and Remote's rate limit as a knob: a fixed
 * window of `rateLimit.requests` per `rateLimit.perMs` per company, with the documented `x-ratelimit-count`,
 * `x-ratelimit-remaining` and `x-ratelimit-reset` (milliseconds) headers on every authenticated answer and a 429
 * beyond it (Remote documents no Retry-After). The shared fault knobs' 429 sends Retry-After.
 *
 * Standalone: `node --import tsx src/providers/remote/emulator/server.ts --port 4030 --employees 1000`
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
import { REMOTE_PAGE_SIZE, REMOTE_RATE_LIMIT } from '../client.js';
import { COUNTRIES, generateRemoteData, type RemoteEmulatorData } from './data.js';

/** `totalMismatch` skews `total_count`; `expireToken` refuses the token. */
export interface Knobs extends PagedListKnobs {
  /** Remote's fixed window per company; null = off. */
  rateLimit: { requests: number; perMs: number } | null;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_PAGED_LIST_KNOBS,
  rateLimit: null,
};

export type EmulatorOptions = EmulatorStartOptions<Knobs>;

export interface RemoteEmulator {
  /** Server root, e.g. http://127.0.0.1:4030: the adapter's base URL, as the real `https://gateway.remote.com`. */
  baseUrl: string;
  credentials: { api_token: string };
  records: RemoteEmulatorData;
  knobs: Knobs;
  stats: { requests: number; rateLimited: number; byPath: Map<string, number> };
  close(): Promise<void>;
}

/**
 * The least time a cold unified `employees()` can take against the emulator at `latencyMs` a request, unpaced:
 * the first employments page, then the other pages together, then (at most `detailsMax` employments) the details
 * together. Remote's 20 a minute adds (requests − 20) × 3 s when paced; the bench runs unpaced, as the floor says.
 */
export function employeesFloorMs(employees: number, latencyMs: number, detailsMax: number): number {
  const pages = Math.max(1, Math.ceil(employees / REMOTE_PAGE_SIZE));
  return (1 + (pages > 1 ? 1 : 0) + (employees <= detailsMax && employees > 0 ? 1 : 0)) * latencyMs;
}

const notFound: Reply = { status: 404, body: { message: 'Not Found' } };

export async function startEmulator(options: EmulatorOptions = {}): Promise<RemoteEmulator> {
  const seed = options.seed ?? 42;
  const records = generateRemoteData({ employees: options.employees ?? 100, seed });
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const credentials = { api_token: `ra_test_${randomBytes(24).toString('hex')}` };
  const stats = { requests: 0, rateLimited: 0, byPath: new Map<string, number>() };
  const byId = new Map(records.employments.map((e) => [e.id ?? '', e]));
  let window = { started: 0, count: 0 };

  /** One page of `items` under `data.<key>`; `outer` puts the counters beside `data` (company departments). */
  function page(q: URLSearchParams, key: string, items: readonly unknown[], outer = false): Reply {
    const pageNo = q.get('page') === null ? 1 : Number(q.get('page'));
    const rawSize = q.get('page_size') === null ? 20 : Number(q.get('page_size'));
    if (!Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(rawSize) || rawSize < 1) {
      return { status: 422, body: { message: 'Unprocessable Entity', errors: { page: ['is invalid'] } } };
    }
    const size = Math.min(rawSize, REMOTE_PAGE_SIZE);
    const totalPages = Math.max(1, Math.ceil(items.length / size));
    let data = items.slice((pageNo - 1) * size, pageNo * size);
    if (knobs.shortPage && pageNo === 2 && pageNo < totalPages)
      data = data.slice(0, Math.ceil(data.length / 2));
    const counters = {
      current_page: pageNo,
      total_count: items.length + (knobs.totalMismatch ? 1 : 0),
      total_pages: totalPages,
    };
    return {
      status: 200,
      body: outer ? { ...counters, data: { [key]: data } } : { data: { ...counters, [key]: data } },
    };
  }

  function minimal(e: RemoteEmulatorData['employments'][number]) {
    return {
      id: e.id,
      full_name: e.full_name,
      job_title: e.job_title,
      personal_email: e.personal_email,
      status: e.status,
      type: e.type,
      country: e.country,
      department: e.department,
      department_id: e.department_id,
    };
  }

  function route(path: string, q: URLSearchParams): Reply {
    if (path === '/v1/companies') return { status: 200, body: { companies: [records.company] } };
    if (path === '/v1/countries') {
      return { status: 200, body: { data: COUNTRIES.map(({ currency: _c, ...c }) => c) } };
    }
    if (path === '/v1/employments') {
      let list = records.employments;
      const status = q.get('status');
      if (status) list = list.filter((e) => e.status === status);
      return page(q, 'employments', list.map(minimal));
    }
    if (path === '/v1/company-departments') {
      const company = q.get('company_id');
      if (!company)
        return {
          status: 422,
          body: { message: 'Unprocessable Entity', errors: { company_id: ['is required'] } },
        };
      if (company !== records.company.id) return notFound;
      return page(q, 'company_departments', records.departments, true);
    }
    if (path === '/v1/timeoff') {
      const who = q.get('employment_id');
      const list = who ? records.timeoffs.filter((t) => t.employment_id === who) : records.timeoffs;
      return page(q, 'timeoffs', list);
    }
    let m = /^\/v1\/employments\/([^/]+)$/.exec(path);
    if (m) {
      const e = byId.get(decodeURIComponent(m[1] ?? ''));
      return e ? { status: 200, body: { data: { employment: e } } } : notFound;
    }
    m = /^\/v1\/timeoff-balances\/([^/]+)$/.exec(path);
    if (m) {
      const balance = records.balances.get(decodeURIComponent(m[1] ?? ''));
      return balance ? { status: 200, body: { data: { timeoff_balance: balance } } } : notFound;
    }
    return notFound;
  }

  /** Remote's fixed window: it starts with the first request and resets `perMs` later. */
  function windowHeaders(): { headers: Record<string, string>; exceeded: boolean } | null {
    const limit = knobs.rateLimit;
    if (!limit) return null;
    const now = Date.now();
    if (now - window.started >= limit.perMs) window = { started: now, count: 0 };
    window.count++;
    const reset = Math.max(0, window.started + limit.perMs - now);
    return {
      exceeded: window.count > limit.requests,
      headers: {
        'x-ratelimit-count': String(Math.min(window.count, limit.requests)),
        'x-ratelimit-remaining': String(Math.max(0, limit.requests - window.count)),
        'x-ratelimit-reset': String(reset),
      },
    };
  }

  function handle(req: IncomingMessage): Reply | 'hang' {
    stats.requests++;
    const n = stats.requests;
    if (knobs.hang) return 'hang';
    const url = new URL(req.url ?? '/', 'http://emulator');
    stats.byPath.set(url.pathname, (stats.byPath.get(url.pathname) ?? 0) + 1);
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (knobs.expireToken || m?.[1] !== credentials.api_token) {
      return { status: 401, body: { message: 'Unauthorized' } };
    }
    const limited = windowHeaders();
    if (limited?.exceeded) {
      stats.rateLimited++;
      return { status: 429, body: { message: 'Too many requests' }, headers: limited.headers };
    }
    const fault = injectedFault(knobs, n);
    if (fault) {
      if (fault.status === 429) stats.rateLimited++;
      return faultReply(fault, knobs, (status) => ({
        message: status === 429 ? 'Too many requests' : 'Service Unavailable',
      }));
    }
    if (req.method !== 'GET') return { status: 405, body: { message: `${req.method} is not served here` } };
    const reply = route(url.pathname, url.searchParams);
    return limited ? { ...reply, headers: { ...reply.headers, ...limited.headers } } : reply;
  }

  const server = await serveEmulator(handle, knobs, options);
  return { baseUrl: server.url, credentials, records, knobs, stats, close: () => server.close() };
}

await runStandalone(
  import.meta.url,
  (s) => startEmulator({ ...s, knobs: { ...s.knobs, rateLimit: REMOTE_RATE_LIMIT } }),
  (e) => ({
    name: 'Remote',
    url: e.baseUrl,
    baseUrl: e.baseUrl,
    baseUrlVar: 'PROVIDER_REMOTE_COM_BASE_URL',
    lines: { api_token: e.credentials.api_token, employees: e.records.employments.length },
  }),
  { port: 4030 },
);
