/**
 * A loopback BambooHR that answers like its published spec (reference/providers/bamboohr/public.yaml): the same
 * `/api/v1/…` paths at the server root, HTTP Basic with the API key as username (any password) or a Bearer token,
 * cursor pages on list-employees, page numbers on locations, ProblemDetails / `{error:{code,message}}` bodies.
 * Fault knobs can be flipped at runtime. Run standalone:
 *   node --import tsx src/providers/bamboohr/emulator/server.ts --port 4010 --employees 1000
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BhEmployee, BhProblem } from '../raw.js';
import {
  type DataOptions,
  EMPLOYMENT_STATUSES,
  type EmulatorRecords,
  generateRecords,
  listFields,
} from './data.js';
import { DEFAULT_FAULT_KNOBS, type FaultKnobs, injectedFault, truncatedJson } from '../../emulator-faults.js';
import { argValue, runStandalone } from '../../emulator-http.js';

export interface Knobs extends FaultKnobs {
  /**
   * The second list-employees page holds half a page while `nextCursor` still points at the rest, as the spec
   * allows (a cursor, not a page count, says whether more exist).
   */
  shortPage: boolean;
  /** With `shortPage`: the short page also says `nextCursor: null` although `meta.total` counts more (a lying page). */
  truncateList: boolean;
  /** The employee list loses its last record each time its first page is served (a list changing while read). */
  shrinkEachWalk: boolean;
  /** Every request answers 401 (a revoked/expired key) until switched off. */
  expireToken: boolean;
}

export interface EmulatorOptions extends DataOptions {
  port?: number;
  host?: string;
  apiKey?: string;
  accessToken?: string;
  knobs?: Partial<Knobs>;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What PROVIDER_BAMBOOHR_BASE_URL / ctx.baseUrl should be: the root, as the spec's paths start with /api/v1. */
  baseUrl: string;
  credentials: { company_domain: string; api_key: string; access_token: string };
  records: EmulatorRecords;
  knobs: Knobs;
  /** Requests received so far (including failed ones). */
  readonly requestCount: number;
  close(): Promise<void>;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_FAULT_KNOBS,
  status5xx: 500,
  shortPage: false,
  truncateList: false,
  shrinkEachWalk: false,
  expireToken: false,
};

/** The spec's `CursorPaginationQueryObject.limit`: default 50, at most 100. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

/**
 * The least time a full list-employees walk can take here: cursor pages are strictly sequential, one `latencyMs`
 * each. BambooHR documents no request-rate limit, so nothing else bounds it.
 */
export function emulatorFloorMs(employees: number, latencyMs: number, pageSize = MAX_LIMIT): number {
  return Math.ceil(employees / pageSize) * latencyMs;
}

const BASE_FIELDS = [
  'employeeId',
  'firstName',
  'lastName',
  'preferredName',
  'photoUrl',
  'jobTitleName',
  'status',
  '_restrictedFields',
];
const OPTIONAL_FIELDS = new Set([
  'workEmail',
  'homeEmail',
  'bestEmail',
  'middleName',
  'workPhone',
  'workPhoneExtension',
  'mobilePhone',
  'homePhone',
  'skypeUsername',
  'linkedinUrl',
  'facebookUrl',
  'instagramUrl',
  'twitterUrl',
  'pinterestUrl',
  'birthDate',
  'hireDate',
  'divisionName',
  'divisionId',
  'departmentName',
  'departmentId',
  'locationName',
  'locationId',
  'jobTitleId',
  'employmentStatusName',
  'employmentStatusId',
  'reportsToName',
  'reportsToId',
]);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function problem(status: number, title: string, detail: string, code?: string): BhProblem {
  return {
    type: `https://www.bamboohr.com/api/problems/${status}`,
    title,
    status,
    detail,
    ...(code ? { code } : {}),
  };
}

const encodeCursor = (dir: 'after' | 'before', id: string) =>
  Buffer.from(JSON.stringify({ cursor: `${dir}-${id}` })).toString('base64');

function decodeCursor(value: string, dir: 'after' | 'before'): string {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { cursor?: unknown };
    const m = typeof parsed.cursor === 'string' ? new RegExp(`^${dir}-(\\d+)$`).exec(parsed.cursor) : null;
    if (m?.[1]) return m[1];
  } catch {
    // fall through to BadPage
  }
  throw new HttpError(400, { error: { code: 'BadPage', message: 'The page cursor is malformed.' } });
}

function isDate(v: string | null): v is string {
  return v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const records = generateRecords(options);
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const apiKey = options.apiKey ?? randomBytes(20).toString('hex');
  const accessToken = options.accessToken ?? `bhoauth_${randomBytes(16).toString('hex')}`;
  const byId = new Map(records.employees.map((e) => [e.employeeId, e]));
  let requestCount = 0;
  let origin = '';

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon > 0 && decoded.slice(0, colon) === apiKey;
    }
    if (scheme?.toLowerCase() === 'bearer') return value === accessToken;
    return false;
  }

  function listEmployees(url: URL): Reply {
    const q = url.searchParams;
    const limitRaw = q.get('page[limit]');
    const limit = limitRaw === null ? DEFAULT_LIMIT : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new HttpError(400, {
        error: { code: 'BadRequest', message: 'page[limit] must be between 1 and 100.' },
      });
    }
    // `fields` arrives comma-separated (the spec's description and example) or as repeated keys (its schema).
    const fields = q
      .getAll('fields')
      .flatMap((f) => f.split(','))
      .map((f) => f.trim())
      .filter((f) => OPTIONAL_FIELDS.has(f));
    let rows: BhEmployee[] = records.employees;
    const status = q.get('filter[status]');
    if (status !== null) {
      if (status !== 'active' && status !== 'inactive') {
        throw new HttpError(400, {
          error: { code: 'BadRequest', message: 'filter[status] must be active or inactive.' },
        });
      }
      rows = rows.filter((e) => e.status?.toLowerCase() === status);
    }
    const ids = [...q.getAll('filter[ids]'), ...q.getAll('filter[ids][]')]
      .flatMap((v) => v.split(','))
      .filter((v) => v !== '');
    if (ids.length > 0) {
      const wanted = new Set(ids);
      rows = rows.filter((e) => wanted.has(e.employeeId));
    }
    let start = 0;
    const after = q.get('page[after]');
    if (after) {
      // Rows are in ascending id order: binary search keeps a 10,000-employee walk linear overall.
      const id = Number(decodeCursor(after, 'after'));
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (Number(rows[mid]?.employeeId) > id) hi = mid;
        else lo = mid + 1;
      }
      start = lo;
    }
    const isShort = knobs.shortPage && start === limit && rows.length > 2 * limit;
    const size = isShort ? Math.max(1, Math.floor(limit / 2)) : limit;
    const page = rows.slice(start, start + size);
    const last = page.at(-1);
    const more = start + page.length < rows.length;
    const nextCursor =
      more && last && !(isShort && knobs.truncateList) ? encodeCursor('after', last.employeeId) : null;
    if (knobs.shrinkEachWalk && start === 0) records.employees = records.employees.slice(0, -1);
    const first = page[0];
    const prevCursor = start > 0 && first ? encodeCursor('before', first.employeeId) : null;
    const data = page.map((e) => {
      const out: Record<string, unknown> = {};
      for (const f of BASE_FIELDS) out[f] = e[f] ?? null;
      out._restrictedFields = e._restrictedFields ?? [];
      for (const f of fields) out[f] = e[f] ?? null;
      return out;
    });
    const self = `${origin}${url.pathname}${url.search}`;
    const links: Record<string, { href: string }> = { self: { href: self } };
    if (nextCursor) {
      const next = new URL(self);
      next.searchParams.set('page[after]', nextCursor);
      links.next = { href: next.toString() };
    }
    return {
      status: 200,
      body: { data, meta: { total: rows.length, page: { limit, nextCursor, prevCursor } }, _links: links },
    };
  }

  function createEmployee(raw: string): Reply {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { status: 400 };
    }
    if (
      typeof body !== 'object' ||
      body === null ||
      typeof body.firstName !== 'string' ||
      typeof body.lastName !== 'string'
    ) {
      return { status: 400 };
    }
    const s = (k: string) => (typeof body[k] === 'string' && body[k] !== '' ? (body[k] as string) : null);
    const dept = s('department') ? records.departments.find((d) => d.name === s('department')) : undefined;
    const div = s('division') ? records.divisions.find((d) => d.name === s('division')) : undefined;
    const loc = s('location') ? records.locations.find((l) => l.label === s('location')) : undefined;
    const supervisor = s('supervisorEId') ? byId.get(String(s('supervisorEId'))) : undefined;
    const employment = s('employmentHistoryStatus')
      ? EMPLOYMENT_STATUSES.find((e) => e.name === s('employmentHistoryStatus'))
      : undefined;
    // 409: "an employee field was given an invalid value" (list values must be existing options).
    if (
      (s('department') && !dept) ||
      (s('division') && !div) ||
      (s('location') && !loc) ||
      (s('supervisorEId') && !supervisor) ||
      (s('employmentHistoryStatus') && !employment)
    ) {
      return { status: 409 };
    }
    if (s('hireDate') && !isDate(s('hireDate'))) return { status: 409 };
    const id = String(Number(records.employees.at(-1)?.employeeId ?? '99') + 1);
    const employee: BhEmployee = {
      employeeId: id,
      firstName: body.firstName,
      lastName: body.lastName,
      preferredName: s('preferredName'),
      photoUrl: null,
      jobTitleName: s('jobTitle'),
      status: s('status') === 'Inactive' ? 'Inactive' : 'Active',
      _restrictedFields: [],
      workEmail: s('workEmail'),
      homeEmail: s('homeEmail'),
      bestEmail: null,
      middleName: s('middleName'),
      workPhone: null,
      workPhoneExtension: null,
      mobilePhone: s('mobilePhone'),
      homePhone: null,
      birthDate: s('dateOfBirth'),
      hireDate: s('hireDate'),
      divisionName: div?.name ?? null,
      divisionId: div ? String(div.id) : null,
      departmentName: dept?.name ?? null,
      departmentId: dept ? String(dept.id) : null,
      locationName: loc?.label ?? null,
      locationId: loc?.id ?? null,
      jobTitleId: null,
      employmentStatusName: employment?.name ?? null,
      employmentStatusId: employment?.id ?? null,
      reportsToName: supervisor ? `${supervisor.firstName} ${supervisor.lastName}` : null,
      reportsToId: supervisor?.employeeId ?? null,
    };
    records.employees.push(employee);
    byId.set(id, employee);
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) if (!(k in employee)) extra[k] = v;
    records.extraFields.set(id, extra);
    return {
      status: 201,
      headers: { location: `https://${records.companyDomain}.bamboohr.com/employees/employee.php?id=${id}` },
    };
  }

  function listLocations(url: URL): Reply {
    const q = url.searchParams;
    const pageSize = Number(q.get('pageSize') ?? 500);
    const pageParam = Number(q.get('page') ?? 0);
    if (!Number.isInteger(pageSize) || pageSize < 1 || !Number.isInteger(pageParam) || pageParam < 0) {
      throw new HttpError(422, problem(422, 'Invalid input.', 'page and pageSize must be positive integers'));
    }
    // Pages are 1-based here; the spec's default `page=0` means the first page.
    const page = Math.max(1, pageParam);
    const expand = new Set((q.get('expand') ?? '').split(',').map((s) => s.trim()));
    const active = records.locations.filter((l) => !l.archived);
    const totalPages = Math.max(1, Math.ceil(active.length / pageSize));
    const data = active.slice((page - 1) * pageSize, page * pageSize).map((l) => {
      const address = l.address ? { ...l.address } : undefined;
      if (address && !expand.has('state')) delete address.state;
      if (address && !expand.has('country')) delete address.country;
      return { ...l, address };
    });
    const links: Record<string, { href: string }> = {};
    if (page < totalPages)
      links.next = { href: `/api/v1/hris/org/locations?page=${page + 1}&pageSize=${pageSize}` };
    if (page > 1) links.prev = { href: `/api/v1/hris/org/locations?page=${page - 1}&pageSize=${pageSize}` };
    return {
      status: 200,
      body: { data, meta: { page, pageSize, totalPages, totalItems: active.length }, _links: links },
    };
  }

  function timeOffRequests(url: URL): Reply {
    const start = url.searchParams.get('start');
    const end = url.searchParams.get('end');
    if (!isDate(start) || !isDate(end)) {
      throw new HttpError(400, problem(400, 'Bad Request', 'start and end are required, as YYYY-MM-DD'));
    }
    const employeeId = url.searchParams.get('employeeId');
    const statuses = url.searchParams.get('status')?.split(',');
    const types = url.searchParams.get('type')?.split(',');
    const rows = records.timeOffRequests.filter(
      (r) =>
        (r.end ?? '') >= start &&
        (r.start ?? '') <= end &&
        (employeeId === null || String(r.employeeId) === employeeId) &&
        (!statuses || statuses.includes(r.status?.status ?? '')) &&
        (!types || types.includes(String(r.type?.id))),
    );
    return { status: 200, body: rows };
  }

  function balance(employeeId: string, url: URL): Reply {
    const rows = records.balances.get(employeeId);
    if (!byId.has(employeeId))
      throw new HttpError(404, problem(404, 'Not Found', `Employee ${employeeId} not found`));
    const end = url.searchParams.get('end') ?? records.today;
    return { status: 200, body: (rows ?? []).map((r) => ({ ...r, end })) };
  }

  function timesheets(url: URL): Reply {
    const start = url.searchParams.get('start');
    const end = url.searchParams.get('end');
    const todayMs = Date.parse(records.today);
    const bad = (detail: string) => new HttpError(400, problem(400, 'Bad Request', detail));
    if (!isDate(start) || !isDate(end)) throw bad('start and end are required, as YYYY-MM-DD');
    if (start > end) throw bad('start must be on or before end');
    if (Date.parse(start) < todayMs - 365 * 86_400_000 || Date.parse(end) > todayMs + 86_400_000) {
      throw bad('dates must fall within the last 365 days');
    }
    const idsParam = url.searchParams.get('employeeIds');
    if (idsParam !== null && !/^\d+(,\d+)*$/.test(idsParam))
      throw bad('employeeIds must be a comma separated list');
    const ids = idsParam ? new Set(idsParam.split(',')) : null;
    const rows = records.timesheetEntries.filter(
      (t) => (t.date ?? '') >= start && (t.date ?? '') <= end && (!ids || ids.has(String(t.employeeId))),
    );
    return { status: 200, body: rows };
  }

  async function route(req: IncomingMessage, url: URL): Promise<Reply> {
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (path === '/api/v1/employees' && method === 'GET') return listEmployees(url);
    if (path === '/api/v1/employees' && method === 'POST') return createEmployee(await readBody(req));
    if (path === '/api/v1/company_information' && method === 'GET')
      return { status: 200, body: records.company };
    if (path === '/api/v1/meta/lists' && method === 'GET') return { status: 200, body: listFields(records) };
    if (path === '/api/v1/hris/org/locations' && method === 'GET') return listLocations(url);
    if (path === '/api/v1/time_off/requests' && method === 'GET') return timeOffRequests(url);
    if (path === '/api/v1/time_tracking/timesheet_entries' && method === 'GET') return timesheets(url);
    const calc = /^\/api\/v1\/employees\/(\d+)\/time_off\/calculator$/.exec(path);
    if (calc?.[1] && method === 'GET') return balance(calc[1], url);
    return { status: 404, body: problem(404, 'Not Found', `No route for ${method} ${path}`) };
  }

  const hanging = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    requestCount++;
    const n = requestCount;
    if (knobs.hang) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    // Latency is time from request to response: the reply is computed while the clock runs.
    const latency =
      knobs.latencyMs > 0 ? new Promise((r) => setTimeout(r, knobs.latencyMs)) : Promise.resolve(undefined);
    let reply: Reply;
    const fault = injectedFault(knobs, n);
    if (fault?.status === 429) {
      reply = {
        status: 429,
        headers: { 'retry-after': String(fault.retryAfterSeconds) },
        body: problem(429, 'Too Many Requests', 'Over rate limit, please try again later'),
      };
    } else if (fault) {
      reply = {
        status: fault.status,
        body: problem(fault.status, 'Internal Server Error', 'Something went wrong'),
      };
      if (fault.status === 503) reply.headers = { 'retry-after': '1' };
    } else if (knobs.expireToken || !authorized(req)) {
      reply = {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="api"' },
        body: problem(401, 'Unauthorized', 'Invalid API credentials'),
      };
    } else {
      try {
        reply = await route(req, new URL(req.url ?? '/', origin));
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        reply = { status: err.status, body: err.body };
      }
    }
    const headers: Record<string, string> = { ...reply.headers };
    let text = '';
    if (reply.body !== undefined) {
      text = JSON.stringify(reply.body);
      if (knobs.malformedJson) text = truncatedJson(text);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    await latency;
    res.writeHead(reply.status, headers);
    res.end(text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(problem(500, 'Internal Server Error', String(err))));
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: origin,
    baseUrl: origin,
    credentials: { company_domain: records.companyDomain, api_key: apiKey, access_token: accessToken },
    records,
    knobs,
    get requestCount() {
      return requestCount;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

await runStandalone(
  import.meta.url,
  (s) =>
    startEmulator({
      ...s,
      companyDomain: argValue(s.args, '--company-domain'),
      apiKey: argValue(s.args, '--api-key') ?? 'emulator-api-key',
    }),
  (e) => ({
    name: 'BambooHR',
    url: e.url,
    baseUrl: e.baseUrl,
    baseUrlVar: 'PROVIDER_BAMBOOHR_BASE_URL',
    lines: { ...e.credentials, employees: e.records.employees.length },
  }),
  { employees: 50 },
);
