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
  private readonly requestSeconds: RequestHistogram;
  private readonly providerCalls: Counter<'provider' | 'outcome'>;
  private readonly providerSeconds: Histogram<'provider' | 'outcome'>;
  /** Cache lookups not yet added to the `affix_cache_lookups_total` counter. */
  private readonly lookups = {
    byResource: new Map<string, { hit?: LookupEntry; miss?: LookupEntry }>(),
    order: [] as LookupEntry[],
  };
  private readonly clusterEvents: Counter<'direction' | 'kind'>;
  private readonly clusterBusErrors: Counter;

  constructor() {
    const registers = [this.registry];
    this.requestSeconds = new RequestHistogram(
      'affix_http_request_duration_seconds',
      'Time from request to response sent, by method, route pattern and status',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    const seconds = this.requestSeconds;
    // Registered in `registry`; read only there (its collect adds what `request` counted).
    new Counter({
      name: 'affix_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
      // What `request` counted since the last read.
      collect() {
        for (const entry of seconds.entries()) {
          if (entry.uncounted === 0) continue;
          this.inc(entry.labels, entry.uncounted);
          entry.uncounted = 0;
        }
      },
    });
    // prom-client's Registry reads a metric through get/getForPromString, reset and its name, help and type.
    this.registry.registerMetric(this.requestSeconds as unknown as Histogram);
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
    const lookups = this.lookups;
    // Registered in `registry`; read only there (its collect adds what `cacheLookup` counted).
    new Counter({
      name: 'affix_cache_lookups_total',
      help: 'Data requests looked up in the response cache, by resource and result (hit or miss)',
      labelNames: ['resource', 'result'],
      registers,
      // What `cacheLookup` counted since the last read, in the order the label sets were first seen.
      collect() {
        for (const entry of lookups.order) {
          if (entry.uncounted === 0) continue;
          this.inc(entry.labels, entry.uncounted);
          entry.uncounted = 0;
        }
      },
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
    const entry = this.requestSeconds.observe(method, route ?? UNMATCHED, status, seconds);
    entry.uncounted++;
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

  /** Counted here and added to the counter when it is read (prom-client's `inc` builds a label key each call). */
  cacheLookup(resource: string, hit: boolean): void {
    let byResult = this.lookups.byResource.get(resource);
    if (!byResult) {
      byResult = {};
      this.lookups.byResource.set(resource, byResult);
    }
    const result = hit ? 'hit' : 'miss';
    let entry = byResult[result];
    if (!entry) {
      entry = { labels: { resource, result }, uncounted: 0 };
      byResult[result] = entry;
      this.lookups.order.push(entry);
    }
    entry.uncounted++;
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

/** One label set of the cache lookups counter, with the lookups not yet added to it. */
interface LookupEntry {
  labels: { resource: string; result: 'hit' | 'miss' };
  uncounted: number;
}

/** One label set of the request metrics. */
interface RequestEntry {
  labels: { method: string; route: string; status: string };
  /** Per upper bound (not cumulative); values above the last bound are only in `count`. */
  buckets: number[];
  sum: number;
  count: number;
  /** Requests not yet added to the requests counter (added when it is read). */
  uncounted: number;
}

/**
 * `affix_http_request_duration_seconds`: what prom-client's Histogram with labels method, route and status keeps
 * and reports, byte for byte (src/http/metrics.test.ts compares the two), without its per-observation work: prom-client
 * builds a label-set key string from the labels object and checks the labels on every `observe` and `inc`, about
 * 10,000 instructions a request with the requests counter (docs/benchmarks.md, "P4, fourth pass"). Here a request
 * finds its label set through maps keyed by the route, status and method it already holds. The requests counter
 * stays prom-client's, brought up to date from these entries when read.
 */
export class RequestHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private byRoute = new Map<string, Map<number, Map<string, RequestEntry>>>();
  /** In the order label sets were first seen, as prom-client reports them. */
  private all: RequestEntry[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
  ) {}

  /** Counts one request; its label set's entry. */
  observe(method: string, route: string, status: number, seconds: number): RequestEntry {
    if (!Number.isFinite(seconds)) throw new TypeError(`Value is not a valid number: ${seconds}`);
    let byStatus = this.byRoute.get(route);
    if (!byStatus) {
      byStatus = new Map();
      this.byRoute.set(route, byStatus);
    }
    let byMethod = byStatus.get(status);
    if (!byMethod) {
      byMethod = new Map();
      byStatus.set(status, byMethod);
    }
    let entry = byMethod.get(method);
    if (!entry) {
      entry = {
        labels: { method, route, status: String(status) },
        buckets: this.upperBounds.map(() => 0),
        sum: 0,
        count: 0,
        uncounted: 0,
      };
      byMethod.set(method, entry);
      this.all.push(entry);
    }
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= (bounds[i] as number)) {
        entry.buckets[i] = (entry.buckets[i] as number) + 1;
        break;
      }
    }
    entry.sum += seconds;
    entry.count += 1;
    return entry;
  }

  entries(): readonly RequestEntry[] {
    return this.all;
  }

  /** As prom-client's Histogram.getForPromString: per label set its cumulative buckets, +Inf, sum and count. */
  async getForPromString() {
    const bucket = `${this.name}_bucket`;
    const values: {
      labels: Record<string, string | number>;
      sharedLabels: Record<string, string>;
      value: number;
      metricName: string;
      exemplar: null | undefined;
    }[] = [];
    for (const e of this.all) {
      let acc = 0;
      this.upperBounds.forEach((le, i) => {
        acc += e.buckets[i] as number;
        values.push({
          labels: { le },
          sharedLabels: e.labels,
          value: acc,
          metricName: bucket,
          exemplar: null,
        });
      });
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: e.labels,
          value: e.count,
          metricName: bucket,
          exemplar: null,
        },
        {
          labels: {},
          sharedLabels: e.labels,
          value: e.sum,
          metricName: `${this.name}_sum`,
          exemplar: undefined,
        },
        {
          labels: {},
          sharedLabels: e.labels,
          value: e.count,
          metricName: `${this.name}_count`,
          exemplar: undefined,
        },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** As prom-client's Histogram.get: the label sets' labels merged into each value's. */
  async get() {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }

  reset(): void {
    this.byRoute = new Map();
    this.all = [];
  }
}
