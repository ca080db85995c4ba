/**
 * The seed's rate limits, per endpoint (method + route pattern, HEAD counted as GET), built on @fastify/rate-limit:
 *
 * - open endpoints (no credentials: /providers, JWKS, metadata, the connect pages and their assets):
 *   15 requests / 1 minute and 25 / 5 minutes per client IP;
 * - gated endpoints (everything under /2023-03-01/, i.e. the Bearer data routes and the management API, and the
 *   RFC endpoints under /oauth2/): 40 / 1 minute per client IP, counted before authentication so that guessing
 *   credentials spends it too, and 40 / 5 minutes per client_id, counted once the client is known (a Bearer token's
 *   `client_id`, or the client that `requireClient` authenticated) so nobody can spend another client's quota;
 * - /healthz, /readyz and /metrics are not limited: load balancers and scrapers poll them.
 *
 * Windows are fixed and start at a key's first request (the plugin's stores: an in-memory LRU, or one Redis key
 * with a PEXPIRE); rejected requests count too. Every limited response carries `RateLimit-Policy` and `RateLimit`
 * (draft-ietf-httpapi-ratelimit-headers, structured-field lists); a 429 adds an integer `Retry-After`.
 *
 * With REDIS_URL every node counts in the same Redis. While Redis cannot answer, requests go through unlimited
 * (fail open): the limits protect capacity, not secrets (credential guessing has its own per-node limiter,
 * src/oauth/abuse-limiter.ts), and refusing every request because a counter store is down would turn a Redis
 * outage into an API outage. The first failure of an outage logs one warning; every failure is counted.
 */
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import type { Services } from '../services.js';
import { ApiError } from './errors.js';

export type EndpointClass = 'open' | 'gated' | 'unlimited';

interface Policy {
  /** The policy's name in the headers. */
  name: string;
  /** Quota: requests per window. */
  q: number;
  /** Window in seconds. */
  w: number;
  /** Whose requests share a counter. */
  by: 'ip' | 'client';
}

/** The seed's limits, as the Affix documentation states them. */
export const POLICIES: Record<Exclude<EndpointClass, 'unlimited'>, Policy[]> = {
  open: [
    { name: 'ip-1m', q: 15, w: 60, by: 'ip' },
    { name: 'ip-5m', q: 25, w: 300, by: 'ip' },
  ],
  gated: [
    { name: 'ip-1m', q: 40, w: 60, by: 'ip' },
    { name: 'client-5m', q: 40, w: 300, by: 'client' },
  ],
};

const UNLIMITED = new Set(['/healthz', '/readyz', '/metrics']);

/** Which limits a route pattern gets. */
export function endpointClass(url: string): EndpointClass {
  if (UNLIMITED.has(url)) return 'unlimited';
  if (url.startsWith('/2023-03-01/') || url.startsWith('/oauth2/')) return 'gated';
  return 'open';
}

/** What this node's limiter has done since start; read by /metrics. */
export interface RateLimitStats {
  /** 429s sent, by endpoint class and policy name. */
  rejected: Map<string, number>;
  /** Counter-store failures (Redis unreachable) that let a request through unlimited. */
  storeErrors: number;
}

export function createRateLimitStats(): RateLimitStats {
  return { rejected: new Map(), storeErrors: 0 };
}

interface PolicyState {
  policy: Policy;
  remaining: number;
  resetSeconds: number;
  exceeded: boolean;
}

type Checker = ReturnType<FastifyInstance['createRateLimit']>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The rate-limit policies evaluated for this request so far (headers are rewritten from it). */
    rateLimits?: PolicyState[];
    /** The route's URL pattern, set by the route's rate-limit hook for the counters' key (see `endpointKey`). */
    rateLimitUrl: string;
  }
}

/**
 * Adds the seed limits to every route registered after it (call before the routes). Nothing when RATE_LIMITS=off.
 */
export async function registerRateLimits(app: FastifyInstance, services: Services): Promise<void> {
  if (services.config.RATE_LIMITS === 'off') return;
  const { redis } = services;
  const stats = services.rateLimitStats;
  // A string property on every request (same shape for all), set by the hooks below before counting.
  app.decorateRequest('rateLimitUrl', '');
  await app.register(rateLimit, {
    global: false,
    // A full LRU forgets the oldest keys; large enough that one IP's counter survives a spray of others.
    cache: 100_000,
    skipOnError: false,
    ...(redis ? { redis, nameSpace: `${services.config.REDIS_KEY_PREFIX}rl:` } : {}),
  });

  // RATE_LIMIT_SCALE multiplies every quota (windows stay); the headers state the quotas that apply.
  const scale = services.config.RATE_LIMIT_SCALE;
  const scaled = (policies: Policy[]) => policies.map((p) => ({ ...p, q: p.q * scale }));
  const classes = { open: scaled(POLICIES.open), gated: scaled(POLICIES.gated) };
  const checkers = new Map<Policy, Checker>();
  for (const policies of Object.values(classes)) {
    for (const policy of policies) {
      checkers.set(
        policy,
        app.createRateLimit({
          max: policy.q,
          timeWindow: policy.w * 1000,
          // The endpoint and the subject; the subject is set on the request by `check` just before.
          keyGenerator: (req) => `${policy.name}|${endpointKey(req)}|${subjectOf(req, policy) ?? ''}`,
        }),
      );
    }
  }

  let outage = false;
  async function check(req: FastifyRequest, reply: FastifyReply, policies: Policy[]): Promise<void> {
    const results: PolicyState[] = [];
    for (const policy of policies) {
      const checker = checkers.get(policy);
      if (!checker || subjectOf(req, policy) === undefined) continue;
      let r: Awaited<ReturnType<Checker>>;
      try {
        r = await checker(req);
      } catch (err) {
        stats.storeErrors += 1;
        if (!outage) {
          outage = true;
          req.log.warn({ err }, 'rate-limit store unavailable: requests are NOT limited until it answers');
        }
        return;
      }
      if (outage) {
        outage = false;
        req.log.warn('rate-limit store answers again: limits apply');
      }
      if (r.isAllowed) continue;
      results.push({
        policy,
        remaining: r.remaining,
        resetSeconds: r.ttlInSeconds,
        exceeded: r.isExceeded,
      });
    }
    if (results.length === 0) return;
    const all = [...(req.rateLimits ?? []), ...results];
    req.rateLimits = all;
    const headers = rateLimitHeaders(all);
    const exceeded = results.filter((s) => s.exceeded);
    if (exceeded.length === 0) {
      reply.headers(headers);
      return;
    }
    const cls = endpointClass(req.routeOptions.url ?? '');
    for (const s of exceeded) {
      const key = `${cls}|${s.policy.name}`;
      stats.rejected.set(key, (stats.rejected.get(key) ?? 0) + 1);
    }
    const retryAfter = Math.max(1, ...exceeded.map((s) => s.resetSeconds));
    throw new ApiError(
      429,
      { message: 'Too Many Requests' },
      { ...headers, 'retry-after': String(retryAfter) },
    );
  }

  app.addHook('onRoute', (route) => {
    const cls = endpointClass(route.url);
    if (cls === 'unlimited') return;
    const policies = classes[cls];
    const byIp = policies.filter((p) => p.by === 'ip');
    const byClient = policies.filter((p) => p.by === 'client');
    // First of the route's own onRequest hooks, so it runs before Bearer authentication.
    // Hooks of two parameters return check's promise as theirs (no second promise per request).
    const url = route.url;
    const ipHook: onRequestHookHandler = (req, reply) => {
      req.rateLimitUrl = url;
      return check(req, reply, byIp);
    };
    route.onRequest = [ipHook, ...asArray(route.onRequest)];
    if (byClient.length > 0) {
      // Last of its preHandlers: after `requireToken` (onRequest) and `requireClient` (preHandler).
      const clientHook: preHandlerHookHandler = (req, reply) => check(req, reply, byClient);
      route.preHandler = [...asArray(route.preHandler), clientHook];
    }
  });
}

function asArray<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}

/**
 * The method and the route's URL pattern. The pattern comes from the route's own hook (`rateLimitUrl`), not from
 * `req.routeOptions`, which builds a 12-field object on each read (twice a request here).
 */
function endpointKey(req: FastifyRequest): string {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  return `${method} ${req.rateLimitUrl}`;
}

/** The counter's subject: the client IP (IPv6 by /64, as the plugin does), or the authenticated client_id. */
function subjectOf(req: FastifyRequest, policy: Policy): string | undefined {
  if (policy.by === 'ip') return ipSubject(req.ip);
  return req.auth?.client_id ?? req.client?.id;
}

/**
 * `normalizeIP` of the last address seen: the subject is asked for twice per IP policy and request, and consecutive
 * requests mostly come from one address; `normalizeIP` tests a long IPv6 pattern each time (docs/benchmarks.md, P4).
 */
let lastIp: string | undefined;
let lastSubject = '';
function ipSubject(ip: string): string {
  if (ip !== lastIp) {
    lastSubject = normalizeIP(ip);
    lastIp = ip;
  }
  return lastSubject;
}

/** `RateLimit-Policy` and `RateLimit` as structured-field lists, one item per policy. */
export function rateLimitHeaders(states: PolicyState[]): Record<string, string> {
  return {
    'ratelimit-policy': states.map((s) => `"${s.policy.name}";q=${s.policy.q};w=${s.policy.w}`).join(', '),
    ratelimit: states.map((s) => `"${s.policy.name}";r=${s.remaining};t=${s.resetSeconds}`).join(', '),
  };
}
