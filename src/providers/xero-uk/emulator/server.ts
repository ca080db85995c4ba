/**
 * A loopback emulator of Xero Payroll UK, answering as the published spec (xero-payroll-uk.yaml) says: the payroll
 * paths under `/payroll.xro/2.0`, Xero's identity token endpoint at `/connect/token` (refresh_token grant, client
 * id and secret as HTTP Basic, refresh tokens rotated and the spent one refused at once), bearer access tokens that
 * expire, the `Xero-Tenant-Id` header required on every payroll call (403 without the right one), page-number
 * pagination (`page`, 100 a page, `pagination: {page, pageSize, pageCount, itemCount}`), `Problem` error bodies, and
 * Xero's documented per-tenant limits: 5 calls in progress, 60 a minute, 5000 a day, every response carrying
 * `X-DayLimit-Remaining`, `X-MinLimit-Remaining` and `X-AppMinLimit-Remaining`, a 429 carrying `Retry-After` and
 * `X-Rate-Limit-Problem`. Fault knobs can be changed at runtime.
 *
 * Standalone: `node --import tsx src/providers/xero-uk/emulator/server.ts --port 4010 --employees 1000`
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type EmulatorReply as Reply,
  runStandalone,
  serveEmulator,
  type EmulatorStartOptions,
} from '../../emulator-http.js';
import { DEFAULT_FAULT_KNOBS, type FaultKnobs, injectedFault } from '../../emulator-faults.js';
import { XERO_LIMITS, XERO_PAGE_SIZE } from '../client.js';
import { generateXeroData, type XeroEmulatorData } from './data.js';

export const BASE_PATH = '/payroll.xro/2.0';
export const TOKEN_PATH = '/connect/token';
/** Xero's app-wide limit across tenants, reported in `X-AppMinLimit-Remaining`. */
const APP_MINUTE_LIMIT = 10_000;

export interface Knobs extends FaultKnobs {
  /** Page 2 of every paged list that has a page 3 carries half its records. */
  shortPage: boolean;
  /** `pagination.itemCount` announces one record more than the list has. */
  overstateTotal: boolean;
  /** Every access token is refused (401), as if revoked; refreshing still works unless `revokeGrant`. */
  expireToken: boolean;
  /** The token endpoint refuses every refresh token (`invalid_grant`), as after the user disconnected the app. */
  revokeGrant: boolean;
  /** Lifetime of new access tokens (Xero's is 30 minutes). */
  accessTokenTtlSeconds: number;
  /** Enforced per-tenant limits; 0 = not enforced. */
  perMinute: number;
  concurrent: number;
  perDay: number;
  /** Length of the "minute" of `perMinute`, so a test can scale Xero's minute down. */
  minuteMs: number;
}

export const DEFAULT_KNOBS: Knobs = {
  ...DEFAULT_FAULT_KNOBS,
  shortPage: false,
  overstateTotal: false,
  expireToken: false,
  revokeGrant: false,
  accessTokenTtlSeconds: 1_800,
  perMinute: XERO_LIMITS.perMinute,
  concurrent: XERO_LIMITS.concurrent,
  perDay: XERO_LIMITS.perDay,
  minuteMs: 60_000,
};

export type EmulatorOptions = EmulatorStartOptions<Knobs>;

export interface XeroEmulator {
  /** Server root, e.g. http://127.0.0.1:4010: the token endpoint is `${url}/connect/token`. */
  url: string;
  /** The adapter's base URL: root + `/payroll.xro/2.0`, as the real `https://api.xero.com/payroll.xro/2.0`. */
  baseUrl: string;
  /** Connect-form values for one grant (a fresh refresh token). */
  credentials: { client_id: string; client_secret: string; refresh_token: string; tenant_id: string };
  /** A refresh token of a new, independent grant (as another authorization of the same app would give). */
  issueRefreshToken(): string;
  /** Ends every access token issued so far, as 30 minutes passing would. */
  expireAccessTokens(): void;
  records: XeroEmulatorData;
  knobs: Knobs;
  stats: {
    /** Payroll API requests (token endpoint excluded). */
    requests: number;
    rateLimited: number;
    /** Successful refreshes, and every call of the token endpoint. */
    refreshes: number;
    tokenCalls: number;
    /** Payroll API requests by path template (`/Employees/{id}/Leave`…). */
    byPath: Map<string, number>;
  };
  close(): Promise<void>;
}

/**
 * The least time a cold `employees()` can take within Xero's documented 60 calls a minute: `requests` calls start at
 * ⌊(requests − 1) / 60⌋ minutes for the last one, which then takes `latencyMs`.
 */
export function floorMs(
  requests: number,
  latencyMs: number,
  perMinute: number = XERO_LIMITS.perMinute,
): number {
  return Math.floor(Math.max(0, requests - 1) / perMinute) * 60_000 + latencyMs;
}

/**
 * Requests a cold unified `employees()` makes: every employee page and the payroll calendars, plus one salary and
 * wages call per employee when there are at most `compensationMax` of them.
 */
export function employeesRequests(employees: number, compensationMax: number): number {
  const pages = Math.max(1, Math.ceil(employees / XERO_PAGE_SIZE));
  return pages + 1 + (employees <= compensationMax ? employees : 0);
}

/** Xero's `Problem` body (RFC 7807 shaped; `status` a string, as the schema types it). */
function problem(status: number, title: string, detail: string, instance?: string): Reply {
  return {
    status,
    body: {
      type: 'application/problem+json',
      title,
      status: String(status),
      detail,
      ...(instance ? { instance } : {}),
    },
  };
}

function envelope(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id: randomUUID(),
    providerName: 'Affix Xero emulator',
    dateTimeUTC: new Date().toISOString().slice(0, 23),
    httpStatusCode: 'OK',
    ...extra,
  };
}

const token = (prefix: string) => `${prefix}_${randomBytes(24).toString('base64url')}`;

export async function startEmulator(options: EmulatorOptions = {}): Promise<XeroEmulator> {
  const seed = options.seed ?? 42;
  const records = generateXeroData({ employees: options.employees ?? 100, seed });
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...options.knobs };
  const clientId = `EMU${seed.toString(16).toUpperCase().padStart(4, '0')}0A1B2C3D4E5F60718293A4B5C`.slice(
    0,
    32,
  );
  const clientSecret = `emu-secret-${seed}-xY7qP2mZ9vL4kR8sT1wN6bH3dF5gJ0c`;
  const refreshTokens = new Set<string>();
  const accessTokens = new Map<string, number>();
  const stats: XeroEmulator['stats'] = {
    requests: 0,
    rateLimited: 0,
    refreshes: 0,
    tokenCalls: 0,
    byPath: new Map(),
  };
  const minuteWindow: number[] = [];
  const dayWindow: number[] = [];
  let inFlight = 0;
  const employeeIds = new Set(records.employees.map((e) => e.employeeID ?? ''));

  const issueRefreshToken = () => {
    const t = token('emu_rt');
    refreshTokens.add(t);
    return t;
  };
  const firstRefreshToken = issueRefreshToken();

  function tokenEndpoint(req: IncomingMessage, body: string): Reply {
    stats.tokenCalls++;
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
    if (id !== clientId || secret !== clientSecret) return { status: 400, body: { error: 'invalid_client' } };
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'refresh_token')
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    const presented = form.get('refresh_token') ?? '';
    if (knobs.revokeGrant || !refreshTokens.delete(presented))
      return { status: 400, body: { error: 'invalid_grant' } };
    stats.refreshes++;
    const access = token('emu_at');
    accessTokens.set(access, Date.now() + knobs.accessTokenTtlSeconds * 1000);
    return {
      status: 200,
      body: {
        access_token: access,
        expires_in: knobs.accessTokenTtlSeconds,
        token_type: 'Bearer',
        refresh_token: issueRefreshToken(),
        scope:
          'offline_access payroll.employees.read payroll.payruns.read payroll.payslip.read payroll.settings.read payroll.timesheets.read',
      },
    };
  }

  /** A paged list: `page` (1-based, default 1), 100 a page. */
  function paged(q: URLSearchParams, key: string, items: readonly unknown[]): Reply {
    const raw = q.get('page');
    if (raw !== null && !/^[1-9]\d*$/.test(raw)) {
      return problem(
        400,
        'BadRequest',
        'Validation error occurred.',
        `page must be a positive integer, got ${raw}`,
      );
    }
    const page = raw === null ? 1 : Number(raw);
    const pageCount = Math.ceil(items.length / XERO_PAGE_SIZE);
    let slice = items.slice((page - 1) * XERO_PAGE_SIZE, page * XERO_PAGE_SIZE);
    if (knobs.shortPage && page === 2 && pageCount > 2) slice = slice.slice(0, Math.ceil(slice.length / 2));
    return {
      status: 200,
      body: envelope({
        pagination: {
          page,
          pageSize: XERO_PAGE_SIZE,
          pageCount,
          itemCount: items.length + (knobs.overstateTotal ? 1 : 0),
        },
        [key]: slice,
      }),
    };
  }

  const single = (key: string, value: unknown): Reply => ({ status: 200, body: envelope({ [key]: value }) });

  /** The route template of a path, for `stats.byPath`. */
  function template(path: string): string {
    return path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}');
  }

  function route(path: string, q: URLSearchParams): Reply {
    const m = /^\/Employees\/([^/]+)(?:\/([A-Za-z]+))?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1] ?? '');
      if (!employeeIds.has(id)) return problem(404, 'NotFound', 'Resource was not found', path);
      switch (m[2]) {
        case undefined:
          return single(
            'employee',
            records.employees.find((e) => e.employeeID === id),
          );
        case 'SalaryAndWages':
          return paged(q, 'salaryAndWages', records.salaryAndWages(id) ?? []);
        case 'Leave':
          return single('leave', records.leave(id) ?? []);
        case 'LeaveBalances':
          return paged(q, 'leaveBalances', records.leaveBalances(id) ?? []);
        default:
          return problem(404, 'NotFound', 'Resource was not found', path);
      }
    }
    switch (path) {
      case '/Employees':
        return paged(q, 'employees', records.employees);
      case '/PayRunCalendars':
        return paged(q, 'payRunCalendars', records.calendars);
      case '/EarningsRates':
        return paged(q, 'earningsRates', records.earningsRates);
      case '/Deductions':
        return paged(q, 'deductions', records.deductions);
      case '/EarningsOrders':
        return paged(q, 'statutoryDeductions', records.earningsOrders);
      case '/LeaveTypes':
        return paged(
          q,
          'leaveTypes',
          records.leaveTypes.filter((t) => q.get('ActiveOnly') !== 'true' || t.isActive),
        );
      case '/PayRuns': {
        const status = q.get('status');
        return paged(
          q,
          'payRuns',
          records.payRuns().filter((r) => !status || r.payRunStatus === status),
        );
      }
      case '/Payslips': {
        const runId = q.get('PayRunID');
        if (!runId) return problem(400, 'BadRequest', 'Validation error occurred.', 'PayRunID is required');
        const slips = records.payslips(runId);
        if (!slips) return problem(404, 'NotFound', 'Resource was not found', path);
        return paged(
          q,
          'paySlips',
          slips.map((s) => s.wire),
        );
      }
      case '/Timesheets': {
        const from = q.get('startDate');
        const to = q.get('endDate');
        const status = q.get('status');
        const employee = /employeeId==([0-9a-f-]{36})/i.exec(q.get('filter') ?? '')?.[1];
        const list = records
          .timesheets()
          .filter(
            (t) =>
              (!from || (t.startDate ?? '').slice(0, 10) >= from) &&
              (!to || (t.endDate ?? '').slice(0, 10) <= to) &&
              (!status || t.status === status) &&
              (!employee || t.employeeID === employee),
          )
          // The list leaves the lines out, as the spec's example does: GET /Timesheets/{id} has them.
          .map(({ timesheetLines: _lines, ...rest }) => rest);
        return paged(q, 'timesheets', list);
      }
    }
    const run = /^\/PayRuns\/([^/]+)$/.exec(path);
    if (run) {
      const id = decodeURIComponent(run[1] ?? '');
      const found = records.payRuns().find((r) => r.payRunID === id);
      if (!found) return problem(404, 'NotFound', 'Resource was not found', path);
      const paySlips = (records.payslips(id) ?? []).map(({ wire }) => {
        const {
          earningsLines: _e,
          leaveEarningsLines: _l,
          timesheetEarningsLines: _t,
          deductionLines: _d,
          reimbursementLines: _r,
          leaveAccrualLines: _a,
          benefitLines: _b,
          paymentLines: _p,
          employeeTaxLines: _et,
          employerTaxLines: _rt,
          courtOrderLines: _c,
          payRunID: _run,
          ...summary
        } = wire;
        return summary;
      });
      return single('payRun', { ...found, paySlips });
    }
    const sheet = /^\/Timesheets\/([^/]+)$/.exec(path);
    if (sheet) {
      const id = decodeURIComponent(sheet[1] ?? '');
      const found = records.timesheets().find((t) => t.timesheetID === id);
      if (!found) return problem(404, 'NotFound', 'Resource was not found', path);
      return single('timesheet', found);
    }
    return problem(404, 'NotFound', 'Resource was not found', path);
  }

  function limitHeaders(now: number): Record<string, string> {
    const recent = minuteWindow.filter((t) => t > now - knobs.minuteMs).length;
    return {
      'x-daylimit-remaining': String(Math.max(0, (knobs.perDay || XERO_LIMITS.perDay) - dayWindow.length)),
      'x-minlimit-remaining': String(Math.max(0, (knobs.perMinute || XERO_LIMITS.perMinute) - recent)),
      'x-appminlimit-remaining': String(Math.max(0, APP_MINUTE_LIMIT - recent)),
    };
  }

  function tooMany(which: 'minute' | 'day' | 'concurrent', retryAfter: number, now: number): Reply {
    stats.rateLimited++;
    const reply = problem(
      429,
      'TooManyRequests',
      `The ${which} rate limit for this tenant has been exceeded`,
    );
    return {
      ...reply,
      headers: {
        ...limitHeaders(now),
        'retry-after': String(Math.max(1, Math.ceil(retryAfter))),
        'x-rate-limit-problem': which,
      },
    };
  }

  /** The payroll API pipeline: auth, tenant, injected faults, Xero's limits, then the route. */
  function handleApi(req: IncomingMessage, url: URL): Reply {
    stats.requests++;
    const n = stats.requests;
    const path = url.pathname.slice(BASE_PATH.length);
    const key = template(path);
    stats.byPath.set(key, (stats.byPath.get(key) ?? 0) + 1);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const expiresAt = accessTokens.get(bearer);
    if (knobs.expireToken || expiresAt === undefined || expiresAt <= Date.now()) {
      return {
        ...problem(401, 'Unauthorized', 'AuthenticationUnsuccessful'),
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      };
    }
    if (req.headers['xero-tenant-id'] !== records.tenantId) {
      return problem(403, 'Forbidden', 'AuthenticationUnsuccessful');
    }
    const now = Date.now();
    const fault = injectedFault(knobs, n);
    if (fault?.status === 429) {
      stats.rateLimited++;
      return {
        ...problem(429, 'TooManyRequests', 'The minute rate limit for this tenant has been exceeded'),
        headers: {
          ...limitHeaders(now),
          'retry-after': String(fault.retryAfterSeconds),
          'x-rate-limit-problem': 'minute',
        },
      };
    }
    while (dayWindow.length > 0 && (dayWindow[0] ?? 0) <= now - 86_400_000) dayWindow.shift();
    while (minuteWindow.length > 0 && (minuteWindow[0] ?? 0) <= now - knobs.minuteMs) minuteWindow.shift();
    if (knobs.concurrent > 0 && inFlight > knobs.concurrent) return tooMany('concurrent', 1, now);
    if (knobs.perDay > 0 && dayWindow.length >= knobs.perDay) {
      return tooMany('day', ((dayWindow[0] ?? now) + 86_400_000 - now) / 1000, now);
    }
    if (knobs.perMinute > 0 && minuteWindow.length >= knobs.perMinute) {
      return tooMany('minute', ((minuteWindow[0] ?? now) + knobs.minuteMs - now) / 1000, now);
    }
    minuteWindow.push(now);
    dayWindow.push(now);
    const headers = limitHeaders(now);
    if (fault) {
      return {
        ...problem(fault.status, 'ServiceUnavailable', 'The service is temporarily unavailable'),
        headers: { ...headers, 'retry-after': String(knobs.retryAfterSeconds) },
      };
    }
    if (req.method !== 'GET')
      return { ...problem(405, 'MethodNotAllowed', `${req.method} is not emulated`), headers };
    return { ...route(path, url.searchParams), headers };
  }

  const isApi = (req: IncomingMessage) =>
    new URL(req.url ?? '/', 'http://emulator').pathname.startsWith(`${BASE_PATH}/`);
  const server = await serveEmulator(
    (req, body) => {
      if (knobs.hang) return 'hang';
      const url = new URL(req.url ?? '/', 'http://emulator');
      if (url.pathname === TOKEN_PATH && req.method === 'POST') return tokenEndpoint(req, body);
      if (isApi(req)) return handleApi(req, url);
      return problem(404, 'NotFound', 'Resource was not found', url.pathname);
    },
    knobs,
    {
      ...options,
      malformable: isApi,
      // Counted while the response is being prepared, as Xero counts calls in progress.
      inProgress: (req) => {
        if (knobs.hang || !isApi(req)) return undefined;
        inFlight++;
        return () => {
          inFlight--;
        };
      },
    },
  );
  const { url } = server;

  return {
    url,
    baseUrl: `${url}${BASE_PATH}`,
    credentials: {
      client_id: clientId,
      client_secret: clientSecret,
      refresh_token: firstRefreshToken,
      tenant_id: records.tenantId,
    },
    issueRefreshToken,
    expireAccessTokens: () => {
      for (const t of accessTokens.keys()) accessTokens.set(t, 0);
    },
    records,
    knobs,
    stats,
    close: () => server.close(),
  };
}

await runStandalone(import.meta.url, startEmulator, (e) => ({
  name: 'Xero Payroll UK',
  url: e.url,
  baseUrl: e.baseUrl,
  baseUrlVar: 'PROVIDER_XERO_UK_BASE_URL',
  lines: {
    client_id: e.credentials.client_id,
    client_secret: e.credentials.client_secret,
    refresh_token: e.credentials.refresh_token,
    tenant_id: e.credentials.tenant_id,
    employees: e.records.employees.length,
  },
}));
