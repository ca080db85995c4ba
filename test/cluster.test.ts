/**
 * A cluster on loopback, as docs/deploy.md describes it: two `affix serve --no-jobs` processes and one
 * `affix worker` on one PostgreSQL schema and Redis (then: two nodes on PostgreSQL alone, the bus on LISTEN/NOTIFY).
 * A connection made through node 1 reads through node 2 from the cache node 1 wrote; a disconnect on node 2 is
 * refused by node 1 at once; a signing key rotated by a CLI run is in every node's JWKS at once; the per-client
 * limit counts across nodes; killing node 1 loses nothing sent to node 2.
 *
 * Needs DATABASE_URL=postgres://… (both suites) and REDIS_URL (the first); each suite says when it skips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../src/store/testing.js';
import { type Cluster, type ClusterNode, metricValue, startCluster } from '../src/testing/cluster.js';
import { skipOrFailInCi } from '../src/testing/skip.js';

const REDIRECT = 'https://app.example.com/callback';
const SCOPES = '/2023-03-01/xhr/employees /2023-03-01/xhr/company /2023-03-01/xhr/groups';
const redisUrl = process.env.REDIS_URL;

/** Another client address for each call, through TRUST_PROXY=1: per-IP limits never get in a test's way. */
let ipCounter = 0;
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;

function get(node: ClusterNode, url: string, token: string, ip = freshIp()): Promise<Response> {
  return fetch(`${node.base}${url}`, {
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
  });
}

function form(node: ClusterNode, url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${node.base}${url}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': freshIp() },
    body: new URLSearchParams(fields).toString(),
  });
}

function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/type="hidden" name="([\w-]+)" value="([^"]*)"/g)) {
    out[m[1] as string] = (m[2] as string).replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  return out;
}

async function createClient(cluster: Cluster, name: string): Promise<{ id: string; secret: string }> {
  const out = await cluster.run(['client', 'create', '--name', name, '--redirect-uri', REDIRECT, '--json']);
  const json = JSON.parse(out.slice(out.indexOf('{'))) as { client_id: string; client_secret: string };
  return { id: json.client_id, secret: json.client_secret };
}

/** The connect flow over HTTP on `node` (the pages as a browser without JavaScript uses them), then the exchange. */
async function connectThrough(node: ClusterNode, client: { id: string; secret: string }): Promise<string> {
  const q = new URLSearchParams({
    client_id: client.id,
    redirect_uri: REDIRECT,
    mode: 'xhr',
    scope: SCOPES,
    provider: 'sandbox',
  });
  const page = await fetch(`${node.base}/connect?${q}`, { headers: { 'x-forwarded-for': freshIp() } });
  expect(page.status).toBe(200);
  const ids = hidden(await page.text());
  const creds = await form(node, '/connect/credentials', {
    ...ids,
    action: 'submit',
    username: 'demo@example.com',
    password: 'correct-horse',
  });
  const consentPage = await creds.text();
  expect(consentPage).toContain('name="decision"');
  const consent = await form(node, '/connect/consent', { ...hidden(consentPage), decision: 'allow' });
  expect(consent.status).toBe(303);
  const code = new URL(consent.headers.get('location') ?? 'x:').searchParams.get('code');
  expect(code).toBeTruthy();
  const exchange = await fetch(`${node.base}/2023-03-01/management/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() },
    body: JSON.stringify({
      client_id: client.id,
      client_secret: client.secret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    }),
  });
  expect(exchange.status).toBe(201);
  return ((await exchange.json()) as { access_token: string }).access_token;
}

/** Disconnects on `on` while `watch` has the token's status cached; resolves with ms until `watch` refuses it. */
async function refusalDelay(cluster: Cluster, on: ClusterNode, watch: ClusterNode, token: string) {
  // Warm: `watch` has verified the token and cached its status, the connection row and the response bytes.
  for (let i = 0; i < 3; i++) expect((await get(watch, '/2023-03-01/xhr/employees', token)).status).toBe(200);
  const before = metricValue(await cluster.metrics(watch), 'affix_cluster_events_total', {
    direction: 'received',
    kind: 'disconnect',
  });
  const disconnect = await fetch(`${on.base}/2023-03-01/management/disconnect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': freshIp() },
  });
  expect(disconnect.status).toBe(200);
  const done = Date.now();
  let status = 200;
  while (Date.now() - done < 3000) {
    status = (await get(watch, '/2023-03-01/xhr/employees', token)).status;
    if (status !== 200) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = Date.now() - done;
  const after = metricValue(await cluster.metrics(watch), 'affix_cluster_events_total', {
    direction: 'received',
    kind: 'disconnect',
  });
  return { ms, status, received: after - before };
}

/** A key rotated by `affix keys rotate` (another process) is in `node`'s JWKS after how many ms. */
async function rotationDelay(cluster: Cluster, nodes: ClusterNode[]) {
  const jwks = async (n: ClusterNode) =>
    ((await (await fetch(`${n.base}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> })
      .keys;
  for (const n of nodes) await jwks(n); // loaded now: without the bus the next reload is 60 s away
  const out = await cluster.run(['keys', 'rotate', '--delay', '1h']);
  const kid = /published (\S+);/.exec(out)?.[1];
  expect(kid).toBeTruthy();
  const done = Date.now();
  for (const n of nodes) {
    while (!(await jwks(n)).some((k) => k.kid === kid) && Date.now() - done < 3000) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return Date.now() - done;
}

describe('cluster on PostgreSQL + Redis: 2 × affix serve, 1 × affix worker', () => {
  let cluster: Cluster | undefined;
  const skip = !postgresUrl
    ? 'DATABASE_URL is not a postgres:// URL'
    : !redisUrl
      ? 'REDIS_URL is not set'
      : null;

  beforeAll(async () => {
    if (skip) return;
    cluster = await startCluster({ redisUrl, worker: true, env: { TRUST_PROXY: '1' } });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  const nodes = (ctx: { skip: () => void }) => {
    skipOrFailInCi(ctx, skip, 'cluster test (PostgreSQL + Redis)');
    const c = cluster as Cluster;
    return { c, one: c.nodes[0] as ClusterNode, two: c.nodes[1] as ClusterNode };
  };

  it('the worker runs the jobs; the API nodes do not, and say so', (ctx) => {
    const { c, one } = nodes(ctx);
    expect(c.worker?.output()).toMatch(
      /jobs: retention, vault-rewrap, webhooks run in this process; cluster events: Redis/,
    );
    expect(one.process.output()).toMatch(/jobs: NOT run in this process \(--no-jobs\)/);
  });

  it('connect through node 1, read through node 2 from the cache entry node 1 wrote', async (ctx) => {
    const { c, one, two } = nodes(ctx);
    const token = await connectThrough(one, await createClient(c, 'Cluster App'));
    const first = await get(one, '/2023-03-01/xhr/employees', token);
    expect(first.status).toBe(200);
    const hitsBefore = metricValue(await c.metrics(two), 'affix_cache_lookups_total', {
      resource: 'employees',
      result: 'hit',
    });
    const second = await get(two, '/2023-03-01/xhr/employees', token);
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await second.json()).toEqual(await first.json());
    const twoMetrics = await c.metrics(two);
    expect(
      metricValue(twoMetrics, 'affix_cache_lookups_total', { resource: 'employees', result: 'hit' }) -
        hitsBefore,
    ).toBe(1);
    expect(
      metricValue(twoMetrics, 'affix_cache_lookups_total', { resource: 'employees', result: 'miss' }),
    ).toBe(0);
  });

  it('disconnect on node 2: node 1 refuses the token within 1 s, told by the bus', async (ctx) => {
    const { c, one, two } = nodes(ctx);
    const token = await connectThrough(one, await createClient(c, 'Disconnect App'));
    const { ms, status, received } = await refusalDelay(c, two, one, token);
    expect([401, 403]).toContain(status);
    expect(ms).toBeLessThan(1000);
    expect(received).toBe(1);
  });

  it('a signing key rotated by `affix keys rotate` is in every node’s JWKS within 1 s', async (ctx) => {
    const { c, one, two } = nodes(ctx);
    expect(await rotationDelay(c, [one, two])).toBeLessThan(1000);
  });

  it('the per-client limit (40 / 5 min) is shared: 20 + 20 requests on two nodes, the 41st is refused', async (ctx) => {
    const { c, one, two } = nodes(ctx);
    const client = await createClient(c, 'Quota App');
    const token = (await c.run(['sandbox-token', '--client', client.id])).trim().split('\n').pop() as string;
    const remaining: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await get(i % 2 ? two : one, '/2023-03-01/xhr/company', token);
      expect(res.status).toBe(200);
      const header = res.headers.get('ratelimit') ?? '';
      remaining.push(Number(/"client-5m";r=(\d+)/.exec(header)?.[1]));
    }
    expect(remaining.slice(-3)).toEqual([2, 1, 0]);
    for (const node of [one, two]) {
      const refused = await get(node, '/2023-03-01/xhr/company', token);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('ratelimit-policy')).toContain('client-5m');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('killing node 1 loses no request sent to node 2', async (ctx) => {
    const { c, one, two } = nodes(ctx);
    const client = await createClient(c, 'Failover App');
    const token = (await c.run(['sandbox-token', '--client', client.id])).trim().split('\n').pop() as string;
    const resources = ['employees', 'company', 'groups'];
    const statuses: number[] = [];
    let sent = 0;
    const stream = async () => {
      while (sent < 90) {
        const resource = resources[sent++ % resources.length] as string;
        statuses.push((await get(two, `/2023-03-01/xhr/${resource}`, token)).status);
      }
    };
    const streams = Promise.all([stream(), stream(), stream()]);
    await new Promise((r) => setTimeout(r, 150));
    one.process.child.kill('SIGKILL');
    await one.process.exited;
    await streams;
    expect(statuses).toHaveLength(90);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect((await get(two, '/2023-03-01/xhr/groups', token)).status).toBe(200);
  });
});

describe('cluster on PostgreSQL alone: the bus on LISTEN/NOTIFY', () => {
  let cluster: Cluster | undefined;
  const skip = postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL';

  beforeAll(async () => {
    if (skip) return;
    cluster = await startCluster({ env: { TRUST_PROXY: '1' } });
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30_000);

  it('disconnect on node 2: node 1 refuses the token within 1 s; a rotated key is in both JWKS within 1 s', async (ctx) => {
    skipOrFailInCi(ctx, skip, 'cluster test (PostgreSQL LISTEN/NOTIFY)');
    const c = cluster as Cluster;
    const [one, two] = c.nodes as [ClusterNode, ClusterNode];
    expect(one.process.output()).toMatch(/cluster events: PostgreSQL LISTEN\/NOTIFY/);
    const token = (await c.run(['sandbox-token'])).trim().split('\n').pop() as string;
    const { ms, status, received } = await refusalDelay(c, two, one, token);
    expect([401, 403]).toContain(status);
    expect(ms).toBeLessThan(1000);
    expect(received).toBe(1);
    expect(await rotationDelay(c, [one, two])).toBeLessThan(1000);
  });
});
