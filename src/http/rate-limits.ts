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
import LocalStore from '@fastify/rate-limit/store/LocalStore.js';
import type { IncomingMessage } from 'node:http';
import type {
  FastifyBaseLogger,
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

/** A policy with its quota scaled (RATE_LIMIT_SCALE) and its `RateLimit-Policy` item made once. */
export interface ScaledPolicy extends Policy {
  /** `"name";q=…;w=…`, this policy's item of `RateLimit-Policy`. */
  item: string;
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

export interface PolicyState {
  policy: ScaledPolicy;
  remaining: number;
  resetSeconds: number;
  exceeded: boolean;
}

/** What one counter said: its state, `failed` when the store could not answer (fail open). */
export type Counted = PolicyState | 'failed';

/** Whose request is counted: the endpoint (method and route pattern), the client IP and the client, if known. */
export interface LimitSubject {
  /** `GET /2023-03-01/xhr/identity`: the method (HEAD counted as GET) and the route's URL pattern. */
  endpoint: string;
  /** The client IP, normalized (IPv6 by /64, as the plugin does). */
  ip: string;
  clientId: string | undefined;
}

type Checker = ReturnType<FastifyInstance['createRateLimit']>;

/** What the plugin's checker reads of the "request" we hand it: our key, and no route-level group. */
interface KeyedCount {
  key: string;
  routeOptions: { config: Record<string, never> };
}
const NO_ROUTE_CONFIG = { config: {} } as const;
/** Keys each in-memory counter keeps (an LRU forgets the oldest): enough that one IP's survives a spray of others. */
const LRU_SIZE = 100_000;

declare module 'fastify' {
  interface FastifyRequest {
    /** The rate-limit policies evaluated for this request so far (headers are rewritten from it). */
    rateLimits?: PolicyState[];
  }
}

/**
 * This node's limits, for the route hooks below and for the fast path (src/http/fast-path.ts), which count through
 * the same functions and the same store.
 */
export interface RouteLimits {
  /** The policies a route pattern gets, those by IP (counted before authentication) and by client (after). */
  policiesOf(url: string): { byIp: ScaledPolicy[]; byClient: ScaledPolicy[] } | undefined;
  /** The client IP as counters key it (IPv6 by /64); the last address's answer is kept. */
  ipSubject(ip: string): string;
  /**
   * Counts `policies` in order for `subject`: each counter's state, or `failed` at the first store failure (the
   * rest are not counted: the request goes through unlimited). `known`: answers taken instead of counting (a
   * hand-over from the fast path), and where new answers are recorded.
   */
  count(
    subject: LimitSubject,
    policies: readonly ScaledPolicy[],
    log: FastifyBaseLogger,
    known?: Map<ScaledPolicy, Counted>,
  ): Promise<PolicyState[] | 'failed'>;
  /**
   * `count` without a promise, when the counters are in this process (no REDIS_URL); undefined with Redis (then
   * `count`). The same counters as `count`.
   */
  countNow(
    subject: LimitSubject,
    policies: readonly ScaledPolicy[],
    known?: Map<ScaledPolicy, Counted>,
  ): PolicyState[] | undefined;
  /**
   * A request the fast path counted and then handed to Fastify (a 429, a 406 …): the route hooks take these answers
   * instead of counting again, so a request is counted once whichever path answers it.
   */
  handOver(raw: IncomingMessage, counted: Map<ScaledPolicy, Counted>): void;
}

/**
 * Adds the seed limits to every route registered after it (call before the routes). Nothing when RATE_LIMITS=off.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  services: Services,
): Promise<RouteLimits | undefined> {
  if (services.config.RATE_LIMITS === 'off') return undefined;
  const { redis } = services;
  const stats = services.rateLimitStats;
  await app.register(rateLimit, {
    global: false,
    cache: LRU_SIZE,
    skipOnError: false,
    ...(redis ? { redis, nameSpace: `${services.config.REDIS_KEY_PREFIX}rl:` } : {}),
  });

  // RATE_LIMIT_SCALE multiplies every quota (windows stay); the headers state the quotas that apply.
  const scale = services.config.RATE_LIMIT_SCALE;
  const scaled = (policies: Policy[]): ScaledPolicy[] =>
    policies.map((p) => ({ ...p, q: p.q * scale, item: `"${p.name}";q=${p.q * scale};w=${p.w}` }));
  const classes = { open: scaled(POLICIES.open), gated: scaled(POLICIES.gated) };
  const split = (policies: ScaledPolicy[]) => ({
    byIp: policies.filter((p) => p.by === 'ip'),
    byClient: policies.filter((p) => p.by === 'client'),
  });
  const routeClasses = { open: split(classes.open), gated: split(classes.gated) };
  const checkers = new Map<ScaledPolicy, Checker>();
  // Without Redis, each policy counts in the plugin's own in-memory store (what `createRateLimit` makes for it:
  // `LocalStore` with the plugin's defaults and our LRU size), called directly: its `incr` answers synchronously,
  // so a request is counted without the checker's promises (docs/benchmarks.md, "P4, third pass").
  const local = redis ? undefined : new Map<ScaledPolicy, LocalStore>();
  for (const policies of Object.values(classes)) {
    for (const policy of policies) {
      if (local) {
        local.set(policy, new LocalStore(false, false, LRU_SIZE));
        continue;
      }
      checkers.set(
        policy,
        app.createRateLimit({
          max: policy.q,
          timeWindow: policy.w * 1000,
          // The key is made by `count` (policy, endpoint, subject) and handed in as the "request".
          keyGenerator: (counted) => (counted as unknown as KeyedCount).key,
        }),
      );
    }
  }

  let outage = false;
  async function countOne(
    subject: LimitSubject,
    policy: ScaledPolicy,
    log: FastifyBaseLogger,
  ): Promise<Counted | undefined> {
    const checker = checkers.get(policy);
    const who = policy.by === 'ip' ? subject.ip : subject.clientId;
    if (!checker || who === undefined) return undefined;
    const keyed: KeyedCount = {
      key: `${policy.name}|${subject.endpoint}|${who}`,
      routeOptions: NO_ROUTE_CONFIG,
    };
    let r: Awaited<ReturnType<Checker>>;
    try {
      // The plugin reads only `routeOptions.config` of the request it is given besides passing it to our key
      // generator; a Fastify request would build its 12-field `routeOptions` object on each read.
      r = await checker(keyed as unknown as FastifyRequest);
    } catch (err) {
      stats.storeErrors += 1;
      if (!outage) {
        outage = true;
        log.warn({ err }, 'rate-limit store unavailable: requests are NOT limited until it answers');
      }
      return 'failed';
    }
    if (outage) {
      outage = false;
      log.warn('rate-limit store answers again: limits apply');
    }
    if (r.isAllowed) return undefined;
    return { policy, remaining: r.remaining, resetSeconds: r.ttlInSeconds, exceeded: r.isExceeded };
  }

  /** One policy counted in the in-memory store, as the plugin's checker would answer (`applyRateLimit`). */
  const lastKeys = new Map<ScaledPolicy, { endpoint: string; who: string; key: string }>();
  function countLocal(store: LocalStore, subject: LimitSubject, policy: ScaledPolicy): Counted | undefined {
    const who = policy.by === 'ip' ? subject.ip : subject.clientId;
    if (who === undefined) return undefined;
    let state: Counted | undefined;
    // The last key of this policy is kept: the same string again is found in the store's map without building and
    // hashing a new one (docs/benchmarks.md, "P4, fourth pass").
    let last = lastKeys.get(policy);
    if (last?.endpoint !== subject.endpoint || last.who !== who) {
      last = { endpoint: subject.endpoint, who, key: `${policy.name}|${subject.endpoint}|${who}` };
      lastKeys.set(policy, last);
    }
    store.incr(
      last.key,
      (_err, r) => {
        // LocalStore never fails; its callback runs before `incr` returns.
        state = {
          policy,
          remaining: Math.max(0, policy.q - r.current),
          resetSeconds: Math.ceil(r.ttl / 1000),
          exceeded: r.current > policy.q,
        };
      },
      policy.w * 1000,
      policy.q,
    );
    return state;
  }

  const handedOver = new WeakMap<IncomingMessage, Map<ScaledPolicy, Counted>>();
  let lastIp: string | undefined;
  let lastSubject = '';
  const limits: RouteLimits = {
    policiesOf: (url) => {
      const cls = endpointClass(url);
      return cls === 'unlimited' ? undefined : routeClasses[cls];
    },
    ipSubject: (ip) => {
      // `normalizeIP` tests a long IPv6 pattern; consecutive requests mostly come from one address.
      if (ip !== lastIp) {
        lastSubject = normalizeIP(ip);
        lastIp = ip;
      }
      return lastSubject;
    },
    countNow: (subject, policies, known) => {
      if (!local) return undefined;
      const states: PolicyState[] = [];
      for (const policy of policies) {
        let counted = known?.get(policy);
        if (counted === undefined) {
          const store = local.get(policy);
          counted = store && countLocal(store, subject, policy);
          if (counted === undefined) continue;
          known?.set(policy, counted);
        }
        if (counted !== 'failed') states.push(counted);
      }
      return states;
    },
    count: async (subject, policies, log, known) => {
      const now = limits.countNow(subject, policies, known);
      if (now) return now;
      const states: PolicyState[] = [];
      for (const policy of policies) {
        let counted = known?.get(policy);
        if (counted === undefined) {
          counted = await countOne(subject, policy, log);
          if (counted === undefined) continue;
          known?.set(policy, counted);
        }
        if (counted === 'failed') return 'failed';
        states.push(counted);
      }
      return states;
    },
    handOver: (raw, counted) => void handedOver.set(raw, counted),
  };

  /** Counts (or takes what the fast path counted), then adds the headers or throws the 429. */
  async function check(
    req: FastifyRequest,
    reply: FastifyReply,
    url: string,
    policies: ScaledPolicy[],
  ): Promise<void> {
    const counted = await limits.count(subjectOf(req, url), policies, req.log, handedOver.get(req.raw));
    if (counted === 'failed' || counted.length === 0) return;
    const all = [...(req.rateLimits ?? []), ...counted];
    req.rateLimits = all;
    const headers = rateLimitHeaders(all);
    const exceeded = counted.filter((s) => s.exceeded);
    if (exceeded.length === 0) {
      reply.headers(headers);
      return;
    }
    const cls = endpointClass(url);
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

  function subjectOf(req: FastifyRequest, url: string): LimitSubject {
    return {
      endpoint: endpointKey(req.method, url),
      ip: limits.ipSubject(req.ip),
      clientId: req.auth?.client_id ?? req.client?.id,
    };
  }

  app.addHook('onRoute', (route) => {
    const url = route.url;
    const own = limits.policiesOf(url);
    if (!own) return;
    // First of the route's own onRequest hooks, so it runs before Bearer authentication.
    // Hooks of two parameters return check's promise as theirs (no second promise per request).
    const ipHook: onRequestHookHandler = (req, reply) => check(req, reply, url, own.byIp);
    route.onRequest = [ipHook, ...asArray(route.onRequest)];
    if (own.byClient.length > 0) {
      // Last of its preHandlers: after `requireToken` (onRequest) and `requireClient` (preHandler).
      const clientHook: preHandlerHookHandler = (req, reply) => check(req, reply, url, own.byClient);
      route.preHandler = [...asArray(route.preHandler), clientHook];
    }
  });
  return limits;
}

function asArray<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}

/** The counters' endpoint: the method (HEAD counted as GET) and the route's URL pattern. */
export function endpointKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

/** `RateLimit-Policy` and `RateLimit` as structured-field lists, one item per policy. */
export function rateLimitHeaders(states: readonly PolicyState[]): Record<string, string> {
  return { 'ratelimit-policy': rateLimitPolicy(states), ratelimit: rateLimitValue(states) };
}

/** `RateLimit-Policy`: the policies' items (made once each), comma-separated. */
export function rateLimitPolicy(states: readonly { policy: ScaledPolicy }[]): string {
  let header = '';
  for (let i = 0; i < states.length; i++) {
    const item = (states[i] as { policy: ScaledPolicy }).policy.item;
    header += i === 0 ? item : `, ${item}`;
  }
  return header;
}

/** `RateLimit`: each policy's `"name";r=remaining;t=seconds`, comma-separated (built per request: r changes). */
export function rateLimitValue(states: readonly PolicyState[]): string {
  let header = '';
  for (let i = 0; i < states.length; i++) {
    const s = states[i] as PolicyState;
    header += `${i === 0 ? '' : ', '}"${s.policy.name}";r=${s.remaining};t=${s.resetSeconds}`;
  }
  return header;
}

/** What `count` records for a hand-over, from the states counted without a promise (the in-memory store never fails). */
export function countedOf(states: readonly PolicyState[]): Map<ScaledPolicy, Counted> {
  const counted = new Map<ScaledPolicy, Counted>();
  for (const s of states) counted.set(s.policy, s);
  return counted;
}
