import { randomBytes } from 'node:crypto';
import net from 'node:net';
import Fastify, { type LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSandboxToken } from '../cli/sandbox.js';
import { createClient } from '../oauth/clients.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { skipOrFailInCi } from '../testing/skip.js';
import { buildApp } from './app.js';
import { endpointClass, registerRateLimits } from './rate-limits.js';

const nodes: TestNode[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(nodes.splice(0).map((n) => n.close()));
});

async function limitedNode(env: Record<string, string> = {}): Promise<TestNode> {
  const node = await startTestNode({ env: { RATE_LIMITS: 'seed', ...env } });
  nodes.push(node);
  return node;
}

const OPEN_POLICY = '"ip-1m";q=15;w=60, "ip-5m";q=25;w=300';

function get(node: TestNode, url: string, ip = '203.0.113.7', headers: Record<string, string> = {}) {
  return node.app.inject({ method: 'GET', url, remoteAddress: ip, headers });
}

async function times(n: number, send: () => Promise<LightMyRequestResponse>) {
  const out: LightMyRequestResponse[] = [];
  for (let i = 0; i < n; i++) out.push(await send());
  return out;
}

function expect429(res: LightMyRequestResponse, retryAfterMax: number) {
  expect(res.statusCode).toBe(429);
  expect(res.json()).toEqual({ message: 'Too Many Requests' });
  const retryAfter = res.headers['retry-after'];
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(retryAfterMax);
}

describe('rate limits: open endpoints', () => {
  it('15 per minute per IP, with RateLimit-Policy and RateLimit on every response and the 429', async () => {
    const node = await limitedNode();
    const ok = await times(15, () => get(node, '/providers'));
    ok.forEach((res, i) => {
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-policy']).toBe(OPEN_POLICY);
      expect(res.headers.ratelimit).toMatch(
        new RegExp(`^"ip-1m";r=${14 - i};t=(60|59), "ip-5m";r=${24 - i};t=(300|299)$`),
      );
    });
    const over = await get(node, '/providers');
    expect429(over, 60);
    expect(over.headers['ratelimit-policy']).toBe(OPEN_POLICY);
    expect(over.headers.ratelimit).toMatch(/^"ip-1m";r=0;t=\d+, "ip-5m";r=9;t=\d+$/);
    expect(node.services.rateLimitStats.rejected.get('open|ip-1m')).toBe(1);
  });

  it('fixed window: still refused 1 ms before the minute ends, allowed again at the minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const node = await limitedNode();
    await times(15, () => get(node, '/providers'));
    vi.setSystemTime(new Date('2030-01-01T00:00:59.999Z'));
    expect429(await get(node, '/providers'), 1);
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    const again = await get(node, '/providers');
    expect(again.statusCode).toBe(200);
    expect(again.headers.ratelimit).toMatch(/^"ip-1m";r=14;t=60, "ip-5m";r=8;t=240$/);
  });

  it('25 per 5 minutes per IP, Retry-After up to the end of the 5-minute window', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const node = await limitedNode();
    await times(15, () => get(node, '/providers'));
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    const next = await times(10, () => get(node, '/providers'));
    expect(next.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    const over = await get(node, '/providers');
    expect429(over, 240);
    expect(Number(over.headers['retry-after'])).toBe(240);
    expect(node.services.rateLimitStats.rejected.get('open|ip-5m')).toBe(1);
  });

  it("endpoint A's quota does not spend endpoint B's; HEAD and GET are one endpoint", async () => {
    const node = await limitedNode();
    await times(14, () => get(node, '/providers'));
    expect(
      (await node.app.inject({ method: 'HEAD', url: '/providers', remoteAddress: '203.0.113.7' })).statusCode,
    ).toBe(200);
    expect429(await get(node, '/providers'), 60);
    const jwks = await get(node, '/.well-known/jwks.json');
    expect(jwks.statusCode).toBe(200);
    expect(jwks.headers.ratelimit).toMatch(/^"ip-1m";r=14;/);
  });

  it("IP A's quota does not spend IP B's", async () => {
    const node = await limitedNode();
    await times(16, () => get(node, '/providers', '203.0.113.7'));
    expect((await get(node, '/providers', '203.0.113.8')).statusCode).toBe(200);
  });

  it('a spoofed X-Forwarded-For changes nothing without TRUST_PROXY', async () => {
    const node = await limitedNode();
    const res = await times(16, () =>
      get(node, '/providers', '203.0.113.7', {
        'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}`,
      }),
    );
    expect429(res[15] as LightMyRequestResponse, 60);
  });

  it('behind a trusted proxy the forwarded client is the subject', async () => {
    const node = await limitedNode({ TRUST_PROXY: '1' });
    await times(16, () => get(node, '/providers', '10.0.0.1', { 'x-forwarded-for': '198.51.100.1' }));
    expect(
      (await get(node, '/providers', '10.0.0.1', { 'x-forwarded-for': '198.51.100.2' })).statusCode,
    ).toBe(200);
  });

  it('health probes are not limited; RATE_LIMITS=off sends no limit headers', async () => {
    const node = await limitedNode();
    const probes = await times(30, () => get(node, '/healthz'));
    expect(probes.every((r) => r.statusCode === 200 && r.headers.ratelimit === undefined)).toBe(true);
    const off = await startTestNode();
    nodes.push(off);
    const res = await times(30, () => get(off, '/providers'));
    expect(res.every((r) => r.statusCode === 200 && r.headers['ratelimit-policy'] === undefined)).toBe(true);
  });

  it('RATE_LIMIT_SCALE multiplies every quota, and the headers say so', async () => {
    const node = await limitedNode({ RATE_LIMIT_SCALE: '2' });
    const ok = await times(30, () => get(node, '/providers'));
    expect(ok.every((r) => r.statusCode === 200)).toBe(true);
    expect(ok[29]?.headers['ratelimit-policy']).toBe('"ip-1m";q=30;w=60, "ip-5m";q=50;w=300');
    expect429(await get(node, '/providers'), 60);
  });

  it('classes: data and management routes and /oauth2 are gated; the connect pages and JWKS are open', () => {
    expect(endpointClass('/2023-03-01/xhr/employees')).toBe('gated');
    expect(endpointClass('/2023-03-01/management/tokens')).toBe('gated');
    expect(endpointClass('/oauth2/token')).toBe('gated');
    expect(endpointClass('/connect')).toBe('open');
    expect(endpointClass('/.well-known/jwks.json')).toBe('open');
    expect(endpointClass('/readyz')).toBe('unlimited');
  });
});

describe('rate limits: gated endpoints', () => {
  it('40 per minute per IP, counted before authentication (401s spend it)', async () => {
    const node = await limitedNode();
    const res = await times(40, () => get(node, '/2023-03-01/xhr/employees'));
    expect(res.every((r) => r.statusCode === 401)).toBe(true);
    expect(res[0]?.headers['ratelimit-policy']).toBe('"ip-1m";q=40;w=60');
    expect(res[39]?.headers.ratelimit).toMatch(/^"ip-1m";r=0;t=\d+$/);
    expect429(await get(node, '/2023-03-01/xhr/employees'), 60);
    expect((await get(node, '/2023-03-01/xhr/company')).statusCode).toBe(401);
  });

  it("40 per 5 minutes per client_id across IPs; client A's quota does not spend client B's", async () => {
    const node = await limitedNode();
    const a = await node.token();
    const other = await createClient(node.services, {
      name: 'Other',
      redirectUris: ['https://b.example/cb'],
    });
    const b = (await createSandboxToken(node.services, { clientId: other.client.id })).token;
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    const first = await times(20, () => get(node, '/2023-03-01/xhr/identity', '203.0.113.1', bearer(a)));
    expect(first.every((r) => r.statusCode === 200)).toBe(true);
    expect(first[0]?.headers['ratelimit-policy']).toBe('"ip-1m";q=40;w=60, "client-5m";q=40;w=300');
    expect(first[0]?.headers.ratelimit).toMatch(/^"ip-1m";r=39;t=60, "client-5m";r=39;t=300$/);
    const second = await times(20, () => get(node, '/2023-03-01/xhr/identity', '203.0.113.2', bearer(a)));
    expect(second.every((r) => r.statusCode === 200)).toBe(true);
    const over = await get(node, '/2023-03-01/xhr/identity', '203.0.113.3', bearer(a));
    expect429(over, 300);
    expect(over.headers.ratelimit).toMatch(/^"ip-1m";r=39;t=60, "client-5m";r=0;t=(300|299)$/);
    expect(node.services.rateLimitStats.rejected.get('gated|client-5m')).toBe(1);
    expect((await get(node, '/2023-03-01/xhr/identity', '203.0.113.3', bearer(b))).statusCode).toBe(200);
    expect((await get(node, '/2023-03-01/xhr/company', '203.0.113.3', bearer(a))).statusCode).toBe(200);
  });

  it('management Basic routes count per authenticated client', async () => {
    const node = await limitedNode();
    const { client, secret } = await createClient(node.services, {
      name: 'Mgmt',
      redirectUris: ['https://m.example/cb'],
    });
    const basic = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
    const res = await get(node, '/2023-03-01/management/client', '203.0.113.1', { authorization: basic });
    expect(res.statusCode).toBe(200);
    expect(res.headers.ratelimit).toMatch(/^"ip-1m";r=39;t=60, "client-5m";r=39;t=300$/);
  });
});

describe('rate limits: Redis', () => {
  it('fails open while Redis cannot be reached, and counts it', async () => {
    const port = await closedPort();
    const node = await limitedNode({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const res = await times(20, () => get(node, '/providers'));
    expect(res.every((r) => r.statusCode === 200 && r.headers.ratelimit === undefined)).toBe(true);
    expect(node.services.rateLimitStats.storeErrors).toBeGreaterThanOrEqual(20);
  });

  it('logs one warning when the outage starts, not one per request', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const node = await limitedNode({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const app = await buildApp(node.services, { loggerInstance: logger });
    await app.ready();
    try {
      for (let i = 0; i < 5; i++) {
        expect((await app.inject({ url: '/providers', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
      }
    } finally {
      await app.close();
    }
    const warnings = lines.filter((l) => l.includes('rate-limit store unavailable'));
    expect(warnings).toHaveLength(1);
  });

  it('two nodes on one Redis share the counters', async (ctx) => {
    const url = process.env.REDIS_URL;
    skipOrFailInCi(ctx, url ? null : 'REDIS_URL is not set', 'Redis rate-limit test');
    const env = { REDIS_URL: url as string, REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:` };
    const one = await limitedNode(env);
    const two = await limitedNode(env);
    const a = await times(8, () => get(one, '/providers'));
    const b = await times(7, () => get(two, '/providers'));
    expect([...a, ...b].every((r) => r.statusCode === 200)).toBe(true);
    expect(b[6]?.headers.ratelimit).toMatch(/^"ip-1m";r=0;/);
    expect429(await get(one, '/providers'), 60);
    expect((await get(two, '/providers', '203.0.113.99')).statusCode).toBe(200);
  });
});

/** A loopback port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('rate limits: counting without a promise', () => {
  async function limitsOf(node: TestNode) {
    const app = Fastify();
    const limits = await registerRateLimits(app, node.services);
    await app.ready();
    closers.push(() => app.close());
    const policies = limits?.policiesOf('/providers');
    if (!limits || !policies) throw new Error('no limits');
    return { limits, policies };
  }
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const subject = { endpoint: 'GET /providers', ip: '203.0.113.7', clientId: undefined };

  it('in memory: countNow answers at once, in the same counters as count', async () => {
    const { limits, policies } = await limitsOf(await limitedNode());
    const now = limits.countNow(subject, policies.byIp);
    expect(now?.map((s) => [s.policy.name, s.remaining, s.exceeded])).toEqual([
      ['ip-1m', 14, false],
      ['ip-5m', 24, false],
    ]);
    const later = await limits.count(subject, policies.byIp, pino({ level: 'silent' }));
    expect(later === 'failed' ? later : later.map((s) => s.remaining)).toEqual([13, 23]);
    for (let i = 0; i < 13; i++) limits.countNow(subject, policies.byIp);
    expect(limits.countNow(subject, policies.byIp)?.map((s) => s.exceeded)).toEqual([true, false]);
  });

  it('with Redis: countNow leaves counting to count', async () => {
    const port = await closedPort();
    const { limits, policies } = await limitsOf(
      await limitedNode({ REDIS_URL: `redis://127.0.0.1:${port}` }),
    );
    expect(limits.countNow(subject, policies.byIp)).toBeUndefined();
  });
});
