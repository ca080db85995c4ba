/**
 * GET /metrics through the real app: hidden without METRICS_TOKEN, refused without the right bearer token, and the
 * counters it shows move with the requests, provider calls, cache lookups and 429s this node handled. Also the
 * request id a trusted proxy sends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttp } from '../providers/http.js';
import { ProviderRegistry, providers } from '../providers/registry.js';
import type { Provider } from '../providers/types.js';
import { connectionToken } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { NodeMetrics } from './metrics.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format, strictly: every line a comment, blank, or one sample. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][\w:]* .+$/.test(line)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|\+Inf|-Inf|NaN))$/.exec(
      line,
    );
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)",?/g)) {
      labels[pair[1] as string] = pair[2] as string;
    }
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of the one sample with this name and these labels (among others); 0 when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value ?? 0;
}

async function scrape(node: TestNode): Promise<Sample[]> {
  const res = await node.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(res.body);
}

const nodes: TestNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

async function node(env: Record<string, string>, options: Parameters<typeof startTestNode>[0] = {}) {
  const n = await startTestNode({ ...options, env });
  nodes.push(n);
  return n;
}

describe('GET /metrics access', () => {
  it('is 404 without METRICS_TOKEN, even with a bearer token', async () => {
    const n = await node({});
    const res = await n.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(404);
  });

  it('is 401 without a token or with a wrong one, 200 with the right one', async () => {
    const n = await node({ METRICS_TOKEN: TOKEN });
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
    ]) {
      const res = await n.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.body).not.toContain('affix_');
    }
    expect((await scrape(n)).length).toBeGreaterThan(0);
  });

  it('refuses a METRICS_TOKEN shorter than 16 characters at start', async () => {
    await expect(node({ METRICS_TOKEN: 'short' })).rejects.toThrow(/METRICS_TOKEN/);
  });

  it('counts are per node: two nodes in one process do not share them', async () => {
    const a = await node({ METRICS_TOKEN: TOKEN });
    const b = await node({ METRICS_TOKEN: TOKEN });
    for (let i = 0; i < 3; i++) await a.app.inject({ url: '/providers' });
    const labels = { method: 'GET', route: '/providers', status: '200' };
    expect(value(await scrape(a), 'affix_http_requests_total', labels)).toBe(3);
    expect(value(await scrape(b), 'affix_http_requests_total', labels)).toBe(0);
  });
});

describe('GET /metrics counters', () => {
  /** A loopback provider API: `/employees` answers after `delayMs` with `status`. */
  const upstream = { status: 200, delayMs: 0 };
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      setTimeout(() => {
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(upstream.status === 200 ? '[]' : '{"error":"down"}');
      }, upstream.delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** The smallest provider that goes through ProviderHttp, as every real one does. */
  const loopbackProvider: Provider = {
    id: 'humaans',
    limits: 'none (test provider)',
    displayName: 'Loopback test provider',
    tags: [],
    modes: ['xhr'],
    auth: { xhr: 'password' },
    fields: { xhr: [] },
    resources: { xhr: ['employees'] },
    connect: (ctx) => {
      const client = new ProviderHttp({ baseUrl, retries: 0, metrics: ctx.metrics });
      return {
        verify: async () => {},
        employees: async () => (await client.json<[]>({ path: '/employees' })).body,
      };
    },
  };

  async function providerNode(env: Record<string, string> = {}) {
    const n = await node(
      { METRICS_TOKEN: TOKEN, ...env },
      { providers: new ProviderRegistry([...providers, loopbackProvider]) },
    );
    const { token, connectionId } = await connectionToken(n.services, {
      provider: 'humaans',
      mode: 'xhr',
      scopes: ['/2023-03-01/xhr/employees'],
    });
    const get = () =>
      n.app.inject({ url: '/2023-03-01/xhr/employees', headers: { authorization: `Bearer ${token}` } });
    return { n, get, connectionId };
  }

  it('requests by route pattern and status, with durations; unmatched URLs share one label', async () => {
    const n = await node({ METRICS_TOKEN: TOKEN });
    await n.app.inject({ url: '/providers' });
    await n.app.inject({ url: '/providers?x=1' });
    // No token: 401s, under the route's pattern, not the URL.
    await n.app.inject({ url: '/2023-03-01/xhr/payruns/pay_1' });
    await n.app.inject({ url: '/2023-03-01/xhr/payruns/pay_2' });
    await n.app.inject({ url: '/no/such/path/1' });
    await n.app.inject({ url: '/no/such/path/2' });
    const s = await scrape(n);
    const ok = { method: 'GET', route: '/providers', status: '200' };
    expect(value(s, 'affix_http_requests_total', ok)).toBe(2);
    expect(value(s, 'affix_http_request_duration_seconds_count', ok)).toBe(2);
    expect(value(s, 'affix_http_request_duration_seconds_bucket', { ...ok, le: '+Inf' })).toBe(2);
    expect(value(s, 'affix_http_request_duration_seconds_sum', ok)).toBeGreaterThan(0);
    const unauth = s.filter((x) => x.name === 'affix_http_requests_total' && x.labels.status === '401');
    expect(unauth).toEqual([
      {
        name: 'affix_http_requests_total',
        labels: { method: 'GET', route: '/2023-03-01/xhr/payruns/:payrun_id', status: '401' },
        value: 2,
      },
    ]);
    expect(value(s, 'affix_http_requests_total', { route: '(unmatched)', status: '404' })).toBe(2);
    expect(s.some((x) => x.labels.route?.startsWith('/no/such'))).toBe(false);
  });

  it('a provider call by provider and outcome, and cache misses then hits', async () => {
    Object.assign(upstream, { status: 200, delayMs: 0 });
    const { n, get, connectionId } = await providerNode();
    expect((await get()).statusCode).toBe(200);
    expect((await get()).statusCode).toBe(200);
    let s = await scrape(n);
    const ok = { provider: 'humaans', outcome: 'success' };
    expect(value(s, 'affix_provider_requests_total', ok)).toBe(1);
    expect(value(s, 'affix_provider_request_duration_seconds_count', ok)).toBe(1);
    expect(value(s, 'affix_cache_lookups_total', { resource: 'employees', result: 'miss' })).toBe(1);
    expect(value(s, 'affix_cache_lookups_total', { resource: 'employees', result: 'hit' })).toBe(1);

    upstream.status = 503;
    await n.services.cache.invalidateConnection(connectionId);
    expect((await get()).statusCode).toBe(503);
    s = await scrape(n);
    expect(value(s, 'affix_provider_requests_total', { provider: 'humaans', outcome: 'server_error' })).toBe(
      1,
    );
    expect(value(s, 'affix_provider_requests_total', ok)).toBe(1);
    expect(value(s, 'affix_cache_lookups_total', { resource: 'employees', result: 'miss' })).toBe(2);
  });

  it('a provider that does not answer counts as network_error', async () => {
    const { n, get } = await providerNode();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const saved = baseUrl;
    baseUrl = `http://127.0.0.1:${port}`;
    try {
      expect((await get()).statusCode).toBe(503);
    } finally {
      baseUrl = saved;
    }
    const s = await scrape(n);
    expect(value(s, 'affix_provider_requests_total', { provider: 'humaans', outcome: 'network_error' })).toBe(
      1,
    );
  });

  it('fetch jobs running and waiting, read at scrape time', async () => {
    Object.assign(upstream, { status: 200, delayMs: 500 });
    const { n, get } = await providerNode({ CACHE_WAIT: '100ms' });
    let s = await scrape(n);
    expect(value(s, 'affix_fetch_jobs_running')).toBe(0);
    // inject() sends only once something awaits it.
    const waiting = get().then((res) => res);
    await new Promise((r) => setTimeout(r, 50));
    s = await scrape(n);
    expect(value(s, 'affix_fetch_jobs_running')).toBe(1);
    expect(value(s, 'affix_fetch_jobs_waiting')).toBe(1);
    expect((await waiting).statusCode).toBe(202);
    s = await scrape(n);
    expect(value(s, 'affix_fetch_jobs_running')).toBe(1);
    expect(value(s, 'affix_fetch_jobs_waiting')).toBe(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(value(await scrape(n), 'affix_fetch_jobs_running')).toBe(0);
  });

  it('rate-limit rejections by endpoint class and policy; /metrics itself is not limited', async () => {
    const n = await node({ METRICS_TOKEN: TOKEN, RATE_LIMITS: 'seed' });
    const send = () => n.app.inject({ url: '/providers', remoteAddress: '203.0.113.9' });
    for (let i = 0; i < 15; i++) expect((await send()).statusCode).toBe(200);
    expect((await send()).statusCode).toBe(429);
    expect((await send()).statusCode).toBe(429);
    for (let i = 0; i < 20; i++) await scrape(n);
    const s = await scrape(n);
    expect(value(s, 'affix_rate_limit_rejections_total', { endpoint_class: 'open', policy: 'ip-1m' })).toBe(
      2,
    );
    expect(value(s, 'affix_rate_limit_store_errors_total')).toBe(0);
    expect(value(s, 'affix_http_requests_total', { route: '/providers', status: '429' })).toBe(2);
  });
});

describe('x-request-id from a trusted proxy', () => {
  const ask = (n: TestNode, id: string) => n.app.inject({ url: '/healthz', headers: { 'x-request-id': id } });

  it('is taken as the request id only when TRUST_PROXY is on, and only when it is a plain token', async () => {
    const trusted = await node({ TRUST_PROXY: '1' });
    expect((await ask(trusted, 'lb-7f3a.91_X-1')).headers['x-request-id']).toBe('lb-7f3a.91_X-1');
    for (const bad of ['has space', 'a'.repeat(129), 'semi;colon', '']) {
      const res = await ask(trusted, bad);
      expect(res.headers['x-request-id'], bad).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    }
    const direct = await node({});
    const res = await ask(direct, 'lb-7f3a.91_X-1');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
  });
});

describe('request metrics', () => {
  it("report what prom-client's Counter and Histogram report for the same requests, byte for byte", async () => {
    const ours = new NodeMetrics();
    const reference = new Registry();
    const labelNames = ['method', 'route', 'status'] as const;
    const counter = new Counter({
      name: 'affix_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames,
      registers: [reference],
    });
    const histogram = new Histogram({
      name: 'affix_http_request_duration_seconds',
      help: 'Time from request to response sent, by method, route pattern and status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [reference],
    });
    const lookups = new Counter({
      name: 'affix_cache_lookups_total',
      help: 'Data requests looked up in the response cache, by resource and result (hit or miss)',
      labelNames: ['resource', 'result'],
      registers: [reference],
    });
    const families = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.includes('affix_http_request') || l.includes('affix_cache_lookups'))
        .join('\n');
    const requests: [string, string | undefined, number, number][] = [
      ['GET', '/2023-03-01/xhr/identity', 200, 0.0004],
      ['GET', '/2023-03-01/xhr/identity', 304, 0.001],
      ['GET', '/2023-03-01/xhr/employees', 200, 0.0123],
      ['POST', '/management/connections', 201, 0.3],
      ['GET', undefined, 404, 0.00002],
      ['GET', '/2023-03-01/xhr/identity', 200, 0.0025],
      ['GET', '/2023-03-01/xhr/identity', 200, 31],
      ['HEAD', '/2023-03-01/xhr/identity', 200, 1 / 3],
    ];
    for (const round of [0, 1, 2]) {
      for (const [method, route, status, seconds] of round === 1 ? [...requests].reverse() : requests) {
        ours.request(method, route, status, seconds * (round + 1));
        const hit = (status + round) % 3 !== 0;
        ours.cacheLookup(route ?? 'none', hit);
        lookups.inc({ resource: route ?? 'none', result: hit ? 'hit' : 'miss' });
        const labels = { method, route: route ?? '(unmatched)', status: String(status) };
        counter.inc(labels);
        histogram.observe(labels, seconds * (round + 1));
      }
      // Read between rounds too: the counter is brought up to date when read.
      expect(families(await ours.registry.metrics())).toBe(families(await reference.metrics()));
    }
    const json = async (r: Registry) =>
      (await r.getMetricsAsJSON()).filter((m) => m.name.startsWith('affix_http_request'));
    expect(await json(ours.registry)).toEqual(await json(reference));
    expect(families(await ours.registry.metrics())).toContain('le="+Inf"');
    ours.registry.resetMetrics();
    reference.resetMetrics();
    ours.request('GET', '/x', 200, 0.002);
    counter.inc({ method: 'GET', route: '/x', status: '200' });
    histogram.observe({ method: 'GET', route: '/x', status: '200' }, 0.002);
    expect(families(await ours.registry.metrics())).toBe(families(await reference.metrics()));
  });
});
