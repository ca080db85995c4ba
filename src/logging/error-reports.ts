/**
 * Optional error reports to Sentry (`SENTRY_DSN`). What leaves the process is scrubbed twice: `dataCollection`
 * with everything off (@sentry/node 11's form of `sendDefaultPii: false`) keeps the SDK from collecting IPs,
 * cookies, headers, bodies and users, and `beforeSend`/`beforeBreadcrumb` remove request
 * headers, cookies, bodies, query strings and env, drop IP addresses, and pass every remaining string through the
 * log scrubber (bearer/basic credentials, JWT signatures, secret parameters, cookie headers).
 */
// Loaded only when a DSN is set: the SDK costs ~40 MB of memory that a node without error reports never needs.
import type * as SentryModule from '@sentry/node';
import type { Config } from '../config.js';
import { REDACTED, SECRET_KEYS, scrubString } from './scrub.js';

const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
// Full and compressed IPv6 forms (at least two groups around a ::, or eight groups).
const IPV6 =
  /\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?\b|::1\b/gi;
/** Keys dropped wherever they appear: they hold request material by definition. */
const DROPPED_KEYS = new Set([
  'headers',
  'cookies',
  'data',
  'query_string',
  'body',
  'env',
  'ip_address',
  'cookie',
]);

export function scrubReportString(text: string): string {
  return scrubString(text).replace(IPV4, '[ip]').replace(IPV6, '[ip]');
}

/** A scrubbed copy of a Sentry event, breadcrumb or any part of one. */
export function scrubReport<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return scrubReportString(value) as T;
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => scrubReport(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const key = k.toLowerCase();
    if (DROPPED_KEYS.has(key)) continue;
    out[k] = SECRET_KEYS.has(key) ? REDACTED : scrubReport(v, depth + 1);
  }
  return out as T;
}

function scrubEvent(event: SentryModule.ErrorEvent): SentryModule.ErrorEvent {
  const e = { ...event };
  if (e.request) {
    // Keep method and the path only; the URL's query may carry codes or tokens, headers and bodies never go.
    const url = typeof e.request.url === 'string' ? e.request.url.split('?')[0] : undefined;
    e.request = { ...(e.request.method ? { method: e.request.method } : {}), ...(url ? { url } : {}) };
  }
  if (e.user) e.user = e.user.id !== undefined ? { id: e.user.id } : {};
  delete e.server_name;
  return scrubReport(e);
}

let Sentry: typeof SentryModule | undefined;

/** Starts Sentry once per process when a DSN is configured; returns whether reports are sent. */
export async function initErrorReports(config: Pick<Config, 'SENTRY_DSN' | 'AFFIX_ENV'>): Promise<boolean> {
  if (!config.SENTRY_DSN) return false;
  if (Sentry) return true;
  const sdk = await import('@sentry/node');
  sdk.init({
    dsn: config.SENTRY_DSN,
    environment: config.AFFIX_ENV,
    // @sentry/node 11 replaced `sendDefaultPii` with `dataCollection`; this is its `sendDefaultPii: false` and more:
    // no user info, cookies, headers, bodies, query params, DB parameters, queue args or stack-frame variables.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
      databaseQueryData: false,
      queues: false,
      stackFrameVariables: false,
      // Source lines around frames: ours hold no secrets, but a test or a config file in a frame might.
      frameContextLines: 0,
      genAI: { inputs: false, outputs: false },
      mcp: { inputs: false, outputs: false },
      graphQL: { document: false, variables: false },
    },
    // No performance tracing (sample rate 0: no transactions or spans are sent): only errors leave.
    tracesSampleRate: 0,
    maxBreadcrumbs: 50,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (crumb) => scrubReport(crumb),
  });
  Sentry = sdk;
  return true;
}

export interface ErrorContext {
  requestId?: string;
  method?: string;
  /** Route pattern (`/2023-03-01/:mode/employees`), not the URL. */
  route?: string;
  status?: number;
  provider?: string | null;
}

/** Sends an error report when Sentry is on; a no-op otherwise. */
export function reportError(err: unknown, context: ErrorContext = {}): void {
  const sdk = Sentry;
  if (!sdk) return;
  sdk.withScope((scope) => {
    if (context.requestId) scope.setTag('request_id', context.requestId);
    if (context.method) scope.setTag('method', context.method);
    if (context.route) scope.setTag('route', context.route);
    if (context.status) scope.setTag('status', String(context.status));
    if (context.provider) scope.setTag('provider', context.provider);
    sdk.captureException(err);
  });
}

/** Waits until queued reports are sent (shutdown, tests). */
export async function flushErrorReports(timeoutMs = 2000): Promise<boolean> {
  return Sentry ? Sentry.flush(timeoutMs) : true;
}
