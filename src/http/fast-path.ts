/**
 * The fast path: warm cached GETs of the data routes answered before Fastify sees the request.
 *
 * A request listener in front of Fastify's (`serverFactory` in app.ts). For a `GET` of a data route's exact path
 * (no query string) whose bearer token verifies from the token cache, whose connection serves the resource, and
 * whose answer is cached (in this node's memory, or in the store: one row read and one unseal, the route's own
 * lookup), it does what Fastify's route would (the same functions: rate counters, token verification and scopes,
 * `connectionOf`, the cache's headers, the request line and row, the metrics) and writes the response with one
 * `writeHead`; the constant headers of an entry and encoding are made once. Everything else goes to Fastify
 * untouched: a miss (which fetches), HEAD, other methods, query strings, unknown paths,
 * missing or bad tokens, a 429, a 406, a rate-limit store failure, a trusted proxy (the client IP would need
 * Fastify's proxy rules). A request handed over after its rate counters were counted carries them
 * (`RouteLimits.handOver`), so it is counted once.
 *
 * Why a listener and not a hook: Fastify's routing, request and reply objects, its hook chain and its header
 * handling cost most of a warm small read (docs/benchmarks.md, "P4, fast path"); an early hook would still pay
 * the routing and the objects.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { RecordRequest } from '../logging/request-log-hook.js';
import type { Resource } from '../model/index.js';
import type { Services } from '../services.js';
import type { Connection } from '../store/connections.js';
import type { CachedResponse, Encoding } from '../sync/response-cache.js';
import { cacheKey } from '../sync/response-cache.js';
import { bearerOf } from './auth.js';
import { type CachedAnswers, bodyHeaders, entryHeaders } from './compression.js';
import { PreparedHeaders } from './prepared-headers.js';
import {
  type Counted,
  type PolicyState,
  type RouteLimits,
  type ScaledPolicy,
  countedOf,
  endpointKey,
  rateLimitPolicy,
  rateLimitValue,
} from './rate-limits.js';

/** A data route the fast path may answer: its resource and the scope its mode requires. */
export interface FastRoute {
  resource: Resource;
  scope: string;
}

interface Route extends FastRoute {
  url: string;
  endpoint: string;
  limits: { byIp: ScaledPolicy[]; byClient: ScaledPolicy[] } | undefined;
  /** `RateLimit-Policy` when all of the route's policies were counted (the usual answer), made once. */
  policyHeader: string | undefined;
}

export type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** What the fast path needs of the node and of its Fastify app. */
export interface FastPathDeps {
  services: Pick<Services, 'tokens' | 'cache' | 'metrics' | 'connectionCache'>;
  answers: CachedAnswers;
  /** The node's rate limits; undefined when RATE_LIMITS=off. */
  limits: RouteLimits | undefined;
  /** The headers every response carries (src/http/security.ts), besides the request id. */
  securityHeaders: Record<string, string>;
  /** A new request id (as Fastify's `genReqId`). */
  requestId: (req: IncomingMessage) => string;
  /** The request line and row (src/logging/request-log-hook.ts). */
  record: () => RecordRequest;
  log: () => FastifyBaseLogger;
  /** `connectionOf` of the data routes (a token's connection, 501/403 as errors). */
  connectionOf: (auth: { sub: string }, resource: Resource) => Promise<{ connection: { id: string } }>;
  /** `servedBy` of the data routes: the same checks on a cached connection row, thrown as errors. */
  servedBy: (connection: Connection, resource: Resource) => { connection: { id: string } };
}

export class FastPath {
  private readonly routes = new Map<string, Route>();
  /**
   * Each entry's constant headers per encoding (`null`: its 304) and with or without rate-limit headers, made and
   * validated on its first fast answer.
   */
  private readonly heads = new WeakMap<CachedResponse, Heads>();
  /** Each socket's last `Authorization` header and its token (`tokenOf`). */
  private readonly lastTokens = new WeakMap<Socket, { header: string; token: string }>();
  /** Requests this path answered (tests check that warm hits take it). */
  answered = 0;

  constructor(private readonly deps: FastPathDeps) {}

  /** Called by `registerDataRoute` for each route (and mode) it may answer. */
  add(url: string, route: FastRoute): void {
    const limits = this.deps.limits?.policiesOf(url);
    const all = limits ? [...limits.byIp, ...limits.byClient] : [];
    const policyHeader = all.length > 0 ? rateLimitPolicy(all.map((policy) => ({ policy }))) : undefined;
    this.routes.set(url, { ...route, url, endpoint: endpointKey('GET', url), limits, policyHeader });
  }

  /**
   * Counts one request of `url` from `ip` for `clientId` as the fast path does (both policies, then nothing): for
   * bench/p4-inprocess.ts. Undefined without limits or for a path the fast path does not take.
   */
  limitsOf(url: string): ((ip: string, clientId: string) => Promise<void>) | undefined {
    const route = this.routes.get(url);
    const limits = this.deps.limits;
    if (!route?.limits || !limits) return undefined;
    return async (ip, clientId) => void (await this.count(limits, route, ip, clientId));
  }

  /**
   * `bearerOf(header)`, kept per socket for its last `Authorization` header: a keep-alive client sends the same
   * ~1 KB token on every request, and parsing it (a regular expression over it) and hashing a new copy of it as the
   * token cache's key cost more than the rest of the fast path (docs/benchmarks.md, "P4, fourth pass"). A header
   * equal to the socket's last one (compared in full) gives the same token string back, whose hash V8 keeps.
   */
  private tokenOf(req: IncomingMessage, header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    const last = this.lastTokens.get(req.socket);
    if (last?.header === header) return last.token;
    const token = bearerOf(header);
    if (token === undefined) this.lastTokens.delete(req.socket);
    else this.lastTokens.set(req.socket, { header, token });
    return token;
  }

  /** The server's request listener: answers here, or hands the request to Fastify's `next`. */
  listener(next: Listener): Listener {
    return (req, res) => {
      const route = req.method === 'GET' ? this.routes.get(req.url ?? '') : undefined;
      const headers = route ? requestHeaders(req) : undefined;
      const token = headers ? this.tokenOf(req, headers.authorization) : undefined;
      if (!route || !headers || !token) {
        next(req, res);
        return;
      }
      let answered: boolean | Promise<boolean>;
      try {
        answered = this.serve(req, res, route, token, headers);
      } catch (err) {
        answered = Promise.reject(err);
      }
      if (answered === true) return;
      if (answered === false) {
        next(req, res);
        return;
      }
      answered.then(
        (done) => {
          if (!done) next(req, res);
        },
        (err: unknown) => {
          // Only before anything was written (serve answers nothing else by throwing).
          this.deps.log().error({ err }, 'fast path failed; the request goes through Fastify');
          next(req, res);
        },
      );
    };
  }

  /**
   * True: answered; false: for Fastify. Without a promise when the token, the connection, the counters and the
   * bytes are all at hand (a warm read on a node without Redis); a promise when one of them must be awaited.
   */
  private serve(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    token: string,
    sent: RequestHeaders,
  ): boolean | Promise<boolean> {
    const start = performance.now();
    const { services } = this.deps;
    const claims = services.tokens.verifiedNow(token);
    const cached = claims && services.connectionCache.get(claims.sub);
    if (!claims || !cached) return this.serveLater(req, res, route, token, sent, start);
    if (!claims.scopes.includes(route.scope)) return false;
    const served = attempt(() => this.deps.servedBy(cached, route.resource));
    return served ? this.answer(req, res, route, sent, claims, served.connection.id, start) : false;
  }

  /** `serve` when the token or the connection is not in this node's caches. */
  private async serveLater(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    token: string,
    sent: RequestHeaders,
    start: number,
  ): Promise<boolean> {
    const { services } = this.deps;
    // Anything unsure goes to Fastify, which answers it (and its errors) the usual way.
    const claims =
      services.tokens.verifiedNow(token) ?? (await services.tokens.verify(token).catch(() => undefined));
    if (!claims?.scopes.includes(route.scope)) return false;
    const cached = services.connectionCache.get(claims.sub);
    const served = cached
      ? attempt(() => this.deps.servedBy(cached, route.resource))
      : await this.deps.connectionOf(claims, route.resource).catch(() => undefined);
    if (!served) return false;
    return this.answer(req, res, route, sent, claims, served.connection.id, start);
  }

  /**
   * The answer from the cache, once the token and its connection are known: from this node's memory, else (a
   * promise) from the store's row, as the route's own lookup would read it; a miss there goes to Fastify, which
   * fetches.
   */
  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    sent: RequestHeaders,
    claims: Claims,
    connectionId: string,
    start: number,
    stored?: CachedResponse,
  ): boolean | Promise<boolean> {
    const { services, answers, limits } = this.deps;
    const key = cacheKey(connectionId, route.resource);
    const entry = stored ?? services.cache.peek(key);
    if (!entry) {
      return this.fromStore(key, (row) => this.answer(req, res, route, sent, claims, connectionId, start, row));
    }
    const ip = req.socket.remoteAddress;
    if (ip === undefined) return false;
    const notModified = sent.ifNoneMatch === entry.etag;
    const encoding = notModified ? null : answers.encodingOf(sent.acceptEncoding);
    if (encoding === null && !notModified) return false;
    const reply: Reply = { req, res, route, claims, entry, encoding, ip, start };
    const body = encoding === null ? undefined : entry.bytesNow(encoding);
    if (encoding !== null && !body) return this.answerLater(reply);
    // From here the request is counted: a hand-over carries the counts.
    const states = limits && route.limits ? this.countNow(limits, route, ip, claims.client_id) : NO_STATES;
    if (!states) return this.answerLater(reply, body);
    if (states.some((s) => s.exceeded)) {
      // What was counted goes with the request: Fastify's hooks answer the 429 from it.
      limits?.handOver(req, countedOf(states));
      return false;
    }
    this.write(reply, body, states);
    return true;
  }

  /** When memory does not hold the entry: `answerWith` the store's (one row read and one unseal), if any. */
  private async fromStore(
    key: string,
    answerWith: (stored: CachedResponse) => boolean | Promise<boolean>,
  ): Promise<boolean> {
    // A store that fails is Fastify's to report, as any other error.
    const stored = await this.deps.services.cache.get(key).catch(() => undefined);
    return stored ? answerWith(stored) : false;
  }

  /** `answer` when the counters are in Redis or the bytes must be made (`body` given: they are made). */
  private async answerLater(reply: Reply, body?: Buffer): Promise<boolean> {
    const { req, route, claims, entry, encoding, ip } = reply;
    const limits = this.deps.limits;
    // From here the request is counted: a hand-over carries the counts.
    const c = limits && route.limits ? await this.count(limits, route, ip, claims.client_id) : NOT_LIMITED;
    if (!c.states) {
      limits?.handOver(req, c.counted);
      return false;
    }
    if (encoding !== null && !body) {
      try {
        body = await entry.bytes(encoding);
      } catch {
        if (c !== NOT_LIMITED) limits?.handOver(req, c.counted);
        return false;
      }
    }
    this.write(reply, body, c.states);
    return true;
  }

  /** Writes the answer (`body` undefined: the 304), then its metrics and its request line and row. */
  private write(reply: Reply, body: Buffer | undefined, limited: PolicyState[]): void {
    const { req, res, route, claims, entry, encoding, ip, start } = reply;
    const { services } = this.deps;
    const id = this.deps.requestId(req);
    const status = body ? 200 : 304;
    if (limited.length === 0) this.head(entry, encoding, body, false).writeHead(res, status, [id]);
    else {
      // All of the route's policies counted (the usual case): their `RateLimit-Policy` made once.
      const all = route.limits ? route.limits.byIp.length + route.limits.byClient.length : 0;
      const policy =
        limited.length === all && route.policyHeader ? route.policyHeader : rateLimitPolicy(limited);
      this.head(entry, encoding, body, true).writeHead(res, status, [id, policy, rateLimitValue(limited)]);
    }
    res.end(body);
    this.answered++;
    const elapsedMs = performance.now() - start;
    try {
      services.metrics.cacheLookup(route.resource, true);
      services.metrics.request('GET', route.url, status, elapsedMs / 1000);
      this.deps.record()({
        id,
        method: 'GET',
        url: route.url,
        status,
        elapsedMs,
        ip,
        auth: claims,
        context: undefined,
      });
    } catch (err) {
      this.deps.log().error({ err, reqId: id }, 'fast path: recording the request failed');
    }
  }

  /**
   * `count` without a promise: the states of the policies counted (the client's not counted when an IP policy is
   * exceeded; a state exceeded: Fastify must answer, with these counts); undefined when the counters are in Redis.
   */
  private countNow(
    limits: RouteLimits,
    route: Route,
    ip: string,
    clientId: string,
  ): PolicyState[] | undefined {
    const own = route.limits;
    if (!own) return NO_STATES;
    const subject = { endpoint: route.endpoint, ip: limits.ipSubject(ip), clientId };
    const byIp = limits.countNow(subject, own.byIp);
    if (!byIp) return undefined;
    if (byIp.some((s) => s.exceeded)) return byIp;
    const byClient = limits.countNow(subject, own.byClient) ?? NO_STATES;
    return byClient.length > 0 ? [...byIp, ...byClient] : byIp;
  }

  /**
   * Counts the route's IP policies, then (unless one is exceeded or the store failed) its client policies, as the
   * route hooks would. `states` undefined: Fastify must answer (429 or fail open), with `counted` handed over.
   */
  private async count(limits: RouteLimits, route: Route, ip: string, clientId: string): Promise<Counts> {
    const counted = new Map<ScaledPolicy, Counted>();
    const own = route.limits;
    if (!own) return { states: [], counted };
    const subject = { endpoint: route.endpoint, ip: limits.ipSubject(ip), clientId };
    const log = this.deps.log();
    const byIp = await limits.count(subject, own.byIp, log, counted);
    if (byIp === 'failed' || byIp.some((s) => s.exceeded)) return { states: undefined, counted };
    const byClient = await limits.count(subject, own.byClient, log, counted);
    if (byClient === 'failed' || byClient.some((s) => s.exceeded)) return { states: undefined, counted };
    return { states: [...byIp, ...byClient], counted };
  }

  /**
   * The entry's constant headers for `encoding` (null: the 304), validated once, followed by the request id and
   * (`limited`) the rate-limit headers.
   */
  private head(
    entry: CachedResponse,
    encoding: Encoding | 'identity' | null,
    body: Buffer | undefined,
    limited: boolean,
  ): PreparedHeaders {
    let heads = this.heads.get(entry);
    if (!heads) {
      heads = { limited: new Map(), unlimited: new Map() };
      this.heads.set(entry, heads);
    }
    const byEncoding = limited ? heads.limited : heads.unlimited;
    let head = byEncoding.get(encoding);
    if (!head) {
      const all = {
        ...entryHeaders(entry),
        ...(encoding === null ? {} : bodyHeaders(encoding)),
        ...(body ? { 'content-length': String(body.length) } : {}),
        ...this.deps.securityHeaders,
      };
      head = new PreparedHeaders(Object.entries(all), limited ? LIMITED_HEADERS : UNLIMITED_HEADERS);
      byEncoding.set(encoding, head);
    }
    return head;
  }
}

/** An entry's prepared headers by encoding (`null`: its 304), with and without the rate-limit headers. */
interface Heads {
  limited: Map<Encoding | 'identity' | null, PreparedHeaders>;
  unlimited: Map<Encoding | 'identity' | null, PreparedHeaders>;
}

/** The headers each fast answer adds to its entry's: the request id, and the rate-limit headers when limited. */
const UNLIMITED_HEADERS = ['x-request-id'];
const LIMITED_HEADERS = ['x-request-id', 'ratelimit-policy', 'ratelimit'];

/** What counting said: `states` undefined when Fastify must answer (429 or fail open), with `counted` handed over. */
interface Counts {
  states: PolicyState[] | undefined;
  counted: Map<ScaledPolicy, Counted>;
}
/** Shared by every request of a route without limits: its `counted` is never handed over. */
const NOT_LIMITED: Counts = { states: [], counted: new Map() };
/** No policy counted (never written to). */
const NO_STATES: PolicyState[] = [];

type Claims = NonNullable<ReturnType<Services['tokens']['verifiedNow']>>;

/** A request the fast path answers, once its entry and encoding are known. */
interface Reply {
  req: IncomingMessage;
  res: ServerResponse;
  route: Route;
  claims: Claims;
  entry: CachedResponse;
  encoding: Encoding | 'identity' | null;
  ip: string;
  start: number;
}

/** The three request headers the fast path reads. */
interface RequestHeaders {
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  acceptEncoding: string | undefined;
}

/**
 * The headers the fast path reads. From `req.headers`: Node's server builds that object for every HTTP/1.1 request
 * anyway (it checks `host` and `expect`), so reading `rawHeaders` instead saves nothing (docs/benchmarks.md, "P4,
 * third pass"); Node's rules for repeated headers (the first `authorization` kept, the others joined) apply.
 */
function requestHeaders(req: IncomingMessage): RequestHeaders {
  const h = req.headers;
  return {
    authorization: h.authorization,
    ifNoneMatch: h['if-none-match'],
    acceptEncoding: h['accept-encoding'],
  };
}

/** `fn`'s result, or undefined when it throws. */
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
