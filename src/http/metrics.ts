/**
 * This node's Prometheus metrics and `GET /metrics`. Each node owns its registry (never prom-client's global one),
 * so two nodes in one process (tests) count apart. Other layers report through the small sinks they declare
 * (ProviderHttp's `ProviderCallSink`, FetchJobs' `CacheLookupSink`); gauges and the rate limiter's counts are
 * read when scraped.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProviderCallOutcome, ProviderCallSink } from '../providers/http.js';
import type { Services } from '../services.js';
import type { CacheLookupSink, FetchJobs } from '../sync/fetch-jobs.js';
import { errors } from './errors.js';
import type { RateLimitStats } from './rate-limits.js';

/** The label of a request that matched no route: its raw URL would let any client mint new series. */
const UNMATCHED = '(unmatched)';

export class NodeMetrics implements CacheLookupSink {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly providerCalls: Counter<'provider' | 'outcome'>;
  private readonly providerSeconds: Histogram<'provider' | 'outcome'>;
  private readonly cacheLookups: Counter<'resource' | 'result'>;
  private readonly clusterEvents: Counter<'direction' | 'kind'>;
  private readonly clusterBusErrors: Counter;

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'affix_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'affix_http_request_duration_seconds',
      help: 'Time from request to response sent, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.providerCalls = new Counter({
      name: 'affix_provider_requests_total',
      help: 'HTTP requests sent to providers (each retry counts), by provider and outcome',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.providerSeconds = new Histogram({
      name: 'affix_provider_request_duration_seconds',
      help: 'Time a provider took to answer one request, by provider and outcome',
      labelNames: ['provider', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'affix_cache_lookups_total',
      help: 'Data requests looked up in the response cache, by resource and result (hit or miss)',
      labelNames: ['resource', 'result'],
      registers,
    });
    this.clusterEvents = new Counter({
      name: 'affix_cluster_events_total',
      help: 'Cluster events (disconnects, revocations, signing-key changes) sent by this node or received from others',
      labelNames: ['direction', 'kind'],
      registers,
    });
    this.clusterBusErrors = new Counter({
      name: 'affix_cluster_bus_errors_total',
      help: 'Failures to send a cluster event or to stay subscribed (other nodes then catch up within 1 s)',
      registers,
    });
  }

  /**
   * Gauges and counters that are read, not pushed: fetch jobs running and waiting, and the rate limiter's counts
   * (kept by the limiter itself in `services.rateLimitStats`).
   */
  watch(jobs: Pick<FetchJobs, 'inFlight' | 'waiting'>, rateLimits: RateLimitStats): void {
    const registers = [this.registry];
    new Gauge({
      name: 'affix_fetch_jobs_running',
      help: 'Provider fetches running on this node',
      registers,
      collect() {
        this.set(jobs.inFlight);
      },
    });
    new Gauge({
      name: 'affix_fetch_jobs_waiting',
      help: 'Requests on this node waiting for a fetch to finish',
      registers,
      collect() {
        this.set(jobs.waiting);
      },
    });
    new Counter({
      name: 'affix_rate_limit_rejections_total',
      help: 'Requests refused with 429 by the rate limits, by endpoint class and policy',
      labelNames: ['endpoint_class', 'policy'],
      registers,
      collect() {
        this.reset();
        for (const [key, count] of rateLimits.rejected) {
          const [endpointClass = '', policy = ''] = key.split('|');
          this.inc({ endpoint_class: endpointClass, policy }, count);
        }
      },
    });
    new Counter({
      name: 'affix_rate_limit_store_errors_total',
      help: 'Rate-limit counter store (Redis) failures that let a request through unlimited',
      registers,
      collect() {
        this.reset();
        this.inc(rateLimits.storeErrors);
      },
    });
  }

  request(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = { method, route: route ?? UNMATCHED, status: String(status) };
    this.requests.inc(labels);
    this.requestSeconds.observe(labels, seconds);
  }

  /** The sink a provider's ProviderHttp reports to (through ProviderContext.metrics). */
  providerSink(provider: string): ProviderCallSink {
    return {
      providerCall: (outcome: ProviderCallOutcome, seconds: number) => {
        this.providerCalls.inc({ provider, outcome });
        this.providerSeconds.observe({ provider, outcome }, seconds);
      },
    };
  }

  clusterEvent(direction: 'sent' | 'received', kind: string): void {
    this.clusterEvents.inc({ direction, kind });
  }

  clusterBusError(): void {
    this.clusterBusErrors.inc();
  }

  cacheLookup(resource: string, hit: boolean): void {
    this.cacheLookups.inc({ resource, result: hit ? 'hit' : 'miss' });
  }
}

/**
 * Counts every response and serves `GET /metrics` when METRICS_TOKEN is set, to `Authorization: Bearer <token>`
 * only. Without a token the route does not exist (404): a scrape endpoint names routes, providers and load, which is
 * nothing to publish by default. Register before the routes.
 */
export function registerMetrics(app: FastifyInstance, services: Pick<Services, 'config' | 'metrics'>): void {
  const { metrics } = services;
  // A plain (not async) hook: it runs after every response, and an async one costs a promise and a tick each time.
  app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.request(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  const token = services.config.METRICS_TOKEN;
  if (!token) return;
  const expected = digest(token);
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // Digests have one length, so the comparison takes the same time whatever was sent.
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw errors.invalidToken('a valid metrics token is required');
    }
    const text = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
