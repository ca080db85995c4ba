/**
 * The fast path (fast-path.ts) against Fastify's path: the same requests to two apps over one node, one with the
 * fast path and one without, compared status, headers (but date, request id and the counters' reset seconds) and
 * body byte for byte; their request lines, request-log rows and metrics too. Real HTTP on loopback.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SignJWT, importJWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { skipOrFailInCi } from '../testing/skip.js';
import { openSigningJwk } from '../vault/signing-key-seal.js';
import { buildApp } from './app.js';

const IDENTITY = '/2023-03-01/xhr/identity';
const EMPLOYEES = '/2023-03-01/xhr/employees';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request, nothing decoded; `localAddress` picks the client IP among 127.0.0.0/8. */
function raw(
  app: FastifyInstance,
  path: string,
  /** An object, or a flat list of names and values (repeats and letter case as given). */
  headers: Record<string, string> | string[] = {},
  options: { method?: string; localAddress?: string } = {},
): Promise<Raw> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** What must be equal: per-request values (date, id, the counters' seconds to reset) masked. */
function comparable(r: Raw): Raw {
  const headers = { ...r.headers };
  expect(headers.date).toBeDefined();
  expect(String(headers['x-request-id'])).toMatch(/^req_/);
  headers.date = 'DATE';
  headers['x-request-id'] = 'ID';
  if (typeof headers.ratelimit === 'string') headers.ratelimit = headers.ratelimit.replace(/;t=\d+/g, ';t=T');
  return { ...r, headers };
}

interface Pair {
  node: TestNode;
  fast: FastifyInstance;
  slow: FastifyInstance;
  lines: { fast: string[]; slow: string[] };
  token: string;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** One node, two apps on loopback: `fast` with the fast path, `slow` without, each logging to its own lines. */
async function pair(
  env: Record<string, string> = {},
  store: 'sqlite' | 'postgres' = 'sqlite',
): Promise<Pair> {
  const node = await startTestNode({
    store,
    env: { RATE_LIMITS: 'seed', RATE_LIMIT_SCALE: '1000', LOG_LEVEL: 'info', ...env },
  });
  closers.push(() => node.close());
  const lines = { fast: [] as string[], slow: [] as string[] };
  const app = async (fastPath: boolean, into: string[]) => {
    const logger = createLogger(node.config, { write: (l: string) => void into.push(l) });
    const a = await buildApp(node.services, { loggerInstance: logger, fastPath });
    await a.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => a.close());
    return a;
  };
  const fast = await app(true, lines.fast);
  const slow = await app(false, lines.slow);
  expect(fast.fastPath).toBeDefined();
  expect(slow.fastPath).toBeUndefined();
  const token = await node.token({ employees: 5 });
  return { node, fast, slow, lines, token };
}

/** Sends the same request to both apps (slow first) and expects the same answer. */
async function same(
  p: Pair,
  path: string,
  headers: Record<string, string> | string[],
  options: { method?: string; localAddress?: string } = {},
): Promise<Raw> {
  const slow = await raw(p.slow, path, headers, options);
  const fast = await raw(p.fast, path, headers, options);
  expect(comparable(fast), `${options.method ?? 'GET'} ${path} ${JSON.stringify(headers)}`).toEqual(
    comparable(slow),
  );
  return fast;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The count of one labelled series of a counter in the node's registry. */
async function counted(p: Pair, name: string, labels: Record<string, string>): Promise<number> {
  const metric = p.node.services.metrics.registry.getSingleMetric(name);
  const values = (await metric?.get())?.values ?? [];
  const hit = values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

describe('fast path: the same answers as Fastify', () => {
  it('warm hits in every encoding, 304s, HEAD, query strings and bad tokens', async () => {
    const p = await pair();
    const auth = bearer(p.token);
    // Cold: a miss goes through Fastify on both.
    expect((await same(p, IDENTITY, auth)).status).toBe(200);
    const before = p.fast.fastPath?.answered ?? 0;
    let hits = 0;
    for (const accept of [
      'gzip, deflate, br',
      'br',
      'gzip',
      'deflate',
      'identity',
      '',
      'br;q=0, gzip;q=0.5',
    ]) {
      const headers = accept === '' ? auth : { ...auth, 'accept-encoding': accept };
      const res = await same(p, IDENTITY, headers);
      expect(res.status).toBe(200);
      hits++;
    }
    const ok = await same(p, IDENTITY, { ...auth, 'accept-encoding': 'br' });
    hits++;
    const etag = String(ok.headers.etag);
    expect((await same(p, IDENTITY, { ...auth, 'if-none-match': etag })).status).toBe(304);
    hits++;
    expect((await same(p, IDENTITY, { ...auth, 'if-none-match': '"other"' })).status).toBe(200);
    hits++;
    // Header names in any case, and repeated headers (Node keeps the first Authorization and joins the others).
    // (A flat list gets no default headers from Node's client: Host is given.)
    const host = ['Host', '127.0.0.1', 'authorization', auth.authorization];
    for (const [headers, status] of [
      [['Host', '127.0.0.1', 'AUTHORIZATION', auth.authorization, 'Accept-Encoding', 'gzip'], 200],
      [['Host', '127.0.0.1', 'Authorization', auth.authorization, 'If-None-Match', etag], 304],
      [[...host, 'accept-encoding', 'br;q=0', 'accept-encoding', 'gzip'], 200],
      [[...host, 'if-none-match', '"other"', 'if-none-match', etag], 200],
      [[...host, 'authorization', 'Bearer not-a-jwt'], 200],
    ] as const) {
      expect((await same(p, IDENTITY, [...headers])).status).toBe(status);
      hits++;
    }
    expect(p.fast.fastPath?.answered).toBe(before + hits);

    // Not for the fast path: each goes through Fastify on both, with the same answer.
    const handed = p.fast.fastPath?.answered;
    expect((await same(p, IDENTITY, auth, { method: 'HEAD' })).status).toBe(200);
    expect((await same(p, `${IDENTITY}?x=1`, auth)).status).toBe(200);
    expect((await same(p, IDENTITY, { ...auth, 'accept-encoding': 'identity;q=0, *;q=0' })).status).toBe(406);
    expect((await same(p, IDENTITY, {})).status).toBe(401);
    expect((await same(p, IDENTITY, { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
    expect((await same(p, IDENTITY, { authorization: `Basic ${p.token}` })).status).toBe(401);
    expect((await same(p, '/2023-03-01/official/identity', auth)).status).toBe(403);
    expect((await same(p, `${IDENTITY}/`, auth)).status).toBe(404);
    expect(p.fast.fastPath?.answered).toBe(handed);
  });

  it('revoked, disconnected and expired tokens', async () => {
    const p = await pair();
    const { services } = p.node;
    const revoked = await p.node.token({ employees: 3 });
    const gone = await p.node.token({ employees: 3 });
    for (const t of [revoked, gone]) expect((await same(p, IDENTITY, bearer(t))).status).toBe(200);
    expect((await same(p, IDENTITY, bearer(revoked))).status).toBe(200);
    const sub = (t: string) =>
      JSON.parse(Buffer.from(t.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    await services.store.tokens.revokeOfConnection(sub(revoked).sub as string);
    await services.store.connections.markDisconnected(sub(gone).sub as string);
    services.tokens.forgetAll();
    services.connectionCache.forget?.(sub(gone).sub as string);
    const answered = p.fast.fastPath?.answered;
    expect((await same(p, IDENTITY, bearer(revoked))).status).toBe(401);
    expect((await same(p, IDENTITY, bearer(gone))).status).toBe(403);

    const [row] = await services.store.signingKeys.all();
    if (!row) throw new Error('no signing key');
    const jwk = await openSigningJwk(services.vault, services.store.signingKeys, row.kid, row.privateJwk);
    const expired = await new SignJWT({ ...sub(p.token), exp: Math.floor(Date.now() / 1000) - 10 })
      .setProtectedHeader({ alg: 'ES256', kid: row.kid, typ: 'at+jwt' })
      .sign(await importJWK(jwk, 'ES256'));
    expect((await same(p, IDENTITY, bearer(expired))).status).toBe(401);
    expect(p.fast.fastPath?.answered).toBe(answered);
  });

  it('writes the same request line, request-log row and metrics', async () => {
    const p = await pair();
    const auth = { ...bearer(p.token), 'accept-encoding': 'br' };
    await same(p, IDENTITY, auth);
    const labels = { method: 'GET', route: IDENTITY, status: '200' };
    const requests = await counted(p, 'affix_http_requests_total', labels);
    const lookups = await counted(p, 'affix_cache_lookups_total', { resource: 'identity', result: 'hit' });
    p.lines.fast.length = 0;
    p.lines.slow.length = 0;
    const answered = p.fast.fastPath?.answered ?? 0;
    const slow = await raw(p.slow, IDENTITY, auth);
    expect(await counted(p, 'affix_http_requests_total', labels)).toBe(requests + 1);
    expect(await counted(p, 'affix_cache_lookups_total', { resource: 'identity', result: 'hit' })).toBe(
      lookups + 1,
    );
    const fast = await raw(p.fast, IDENTITY, auth);
    expect(p.fast.fastPath?.answered).toBe(answered + 1);
    expect(await counted(p, 'affix_http_requests_total', labels)).toBe(requests + 2);
    expect(await counted(p, 'affix_cache_lookups_total', { resource: 'identity', result: 'hit' })).toBe(
      lookups + 2,
    );

    // Fastify writes its line when the response has finished: wait for it.
    await new Promise((r) => setTimeout(r, 50));
    const line = (lines: string[]) => {
      const requestLines = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(requestLines).toHaveLength(1);
      const { time, pid, hostname, reqId, ms, ...rest } = requestLines[0] ?? {};
      expect(typeof ms).toBe('number');
      return { reqId, rest };
    };
    const slowLine = line(p.lines.slow);
    const fastLine = line(p.lines.fast);
    expect(fastLine.rest).toEqual(slowLine.rest);
    expect(slowLine.reqId).toBe(slow.headers['x-request-id']);
    expect(fastLine.reqId).toBe(fast.headers['x-request-id']);

    await p.fast.requestLog.flush();
    await p.slow.requestLog.flush();
    const claims = JSON.parse(Buffer.from(p.token.split('.')[1] ?? '', 'base64url').toString());
    const rows = await p.node.services.store.requestLogs.query({ clientId: claims.client_id, limit: 100 });
    const rowOf = (id: unknown) => {
      const found = rows.find((r) => r.id === id);
      expect(found).toBeDefined();
      const { id: _id, rowId: _row, createdAt: _at, latencyMs, ...rest } = found as (typeof rows)[number];
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      return rest;
    };
    expect(rowOf(fast.headers['x-request-id'])).toEqual(rowOf(slow.headers['x-request-id']));
  });

  it('429s: by IP, and by client from a fresh IP, with the same headers; counted once', async () => {
    const p = await pair({ RATE_LIMIT_SCALE: '1' });
    const auth = { ...bearer(p.token), 'accept-encoding': 'br' };
    // 40 per minute per IP and 40 per 5 minutes per client: the 41st from one IP is refused by IP.
    for (let i = 0; i < 40; i++) expect((await same(p, IDENTITY, auth)).status).toBe(200);
    const answered = p.fast.fastPath?.answered ?? 0;
    expect(answered).toBeGreaterThanOrEqual(39);
    const byIp = await same(p, IDENTITY, auth);
    expect(byIp.status).toBe(429);
    expect(byIp.headers['ratelimit-policy']).toBe('"ip-1m";q=40;w=60');
    // From another address the IP counter is fresh; the client's is spent.
    const byClient = await same(p, IDENTITY, auth, { localAddress: '127.0.0.2' });
    expect(byClient.status).toBe(429);
    expect(byClient.headers['ratelimit-policy']).toBe('"ip-1m";q=40;w=60, "client-5m";q=40;w=300');
    expect(byClient.headers.ratelimit).toMatch(/^"ip-1m";r=39;t=\d+, "client-5m";r=0;t=\d+$/);
    expect(p.fast.fastPath?.answered).toBe(answered);
    // Each app counted its 429s once (both apps report into the node's stats).
    const rejected = p.node.services.rateLimitStats.rejected;
    expect(rejected.get('gated|ip-1m')).toBe(2);
    expect(rejected.get('gated|client-5m')).toBe(2);
  });

  it('counts in Redis when REDIS_URL is set, in the same counters as Fastify', async (ctx) => {
    const url = process.env.REDIS_URL;
    skipOrFailInCi(ctx, url ? null : 'REDIS_URL is not set', 'fast path on Redis counters');
    const p = await pair({
      REDIS_URL: url as string,
      REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
    });
    const auth = { ...bearer(p.token), 'accept-encoding': 'br' };
    await raw(p.slow, IDENTITY, auth);
    const answered = p.fast.fastPath?.answered ?? 0;
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await raw(i % 2 ? p.slow : p.fast, IDENTITY, auth);
      expect(res.status).toBe(200);
      remaining.push(Number(/"ip-1m";r=(\d+)/.exec(String(res.headers.ratelimit))?.[1]));
    }
    // Both apps count in the one Redis: each request, whichever path answers it, spends one.
    expect(remaining).toEqual([39_998, 39_997, 39_996, 39_995]);
    expect(p.fast.fastPath?.answered).toBe(answered + 2);
  });

  it('on PostgreSQL too', async (ctx) => {
    skipOrFailInCi(
      ctx,
      process.env.DATABASE_URL?.startsWith('postgres') ? null : 'DATABASE_URL is not PostgreSQL',
      'fast path on PostgreSQL',
    );
    const p = await pair({}, 'postgres');
    const auth = { ...bearer(p.token), 'accept-encoding': 'gzip, deflate, br' };
    await same(p, IDENTITY, auth);
    const answered = p.fast.fastPath?.answered ?? 0;
    expect((await same(p, IDENTITY, auth)).status).toBe(200);
    expect(p.fast.fastPath?.answered).toBe(answered + 1);
  });

  it('answers warm employees lists, and hands those with a query to Fastify', async () => {
    const p = await pair();
    const auth = { ...bearer(p.token), 'accept-encoding': 'br' };
    let res = await same(p, EMPLOYEES, auth);
    for (let i = 0; i < 50 && res.status === 202; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await same(p, EMPLOYEES, auth);
    }
    expect(res.status).toBe(200);
    const answered = p.fast.fastPath?.answered ?? 0;
    expect((await same(p, EMPLOYEES, auth)).status).toBe(200);
    expect(p.fast.fastPath?.answered).toBe(answered + 1);
    await same(p, `${EMPLOYEES}?employment_status=active`, auth);
    expect((await same(p, `${EMPLOYEES}?employment_status=nope`, auth)).status).toBe(400);
    expect(p.fast.fastPath?.answered).toBe(answered + 1);
  });

  it('answers the same without rate limits (RATE_LIMITS=off)', async () => {
    const p = await pair({ RATE_LIMITS: 'off' });
    const auth = { ...bearer(p.token), 'accept-encoding': 'gzip, deflate, br' };
    await same(p, IDENTITY, auth);
    const answered = p.fast.fastPath?.answered ?? 0;
    const res = await same(p, IDENTITY, auth);
    expect(res.status).toBe(200);
    expect(res.headers.ratelimit).toBeUndefined();
    const etag = String(res.headers.etag);
    expect((await same(p, IDENTITY, { ...auth, 'if-none-match': etag })).status).toBe(304);
    expect(p.fast.fastPath?.answered).toBe(answered + 2);
  });

  it('writes every request-log row of fast answers when the app closes', async () => {
    const node = await startTestNode({
      env: { LOG_LEVEL: 'info', RATE_LIMITS: 'seed', RATE_LIMIT_SCALE: '1000' },
    });
    closers.push(() => node.close());
    const app = await buildApp(node.services, {
      loggerInstance: createLogger(node.config, { write: () => {} }),
      fastPath: true,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const token = await node.token({ employees: 3 });
    const auth = { ...bearer(token), 'accept-encoding': 'br' };
    for (let i = 0; i < 25; i++) expect((await raw(app, IDENTITY, auth)).status).toBe(200);
    expect(app.fastPath?.answered).toBeGreaterThanOrEqual(24);
    // Rows wait for their batch (every second, or 100): the close writes them.
    await app.close();
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    const rows = await node.services.store.requestLogs.query({ clientId: claims.client_id, limit: 100 });
    expect(rows).toHaveLength(25);
  });

  it('answers from the store when memory does not hold the answer (one row read), in every encoding and 304', async () => {
    // CACHE_MEMORY=0: nothing is kept in memory, so every cached answer is the store's row.
    const p = await pair({ CACHE_MEMORY: '0' });
    const auth = bearer(p.token);
    expect((await same(p, IDENTITY, auth)).status).toBe(200); // the fetch, through Fastify on both
    expect(p.node.services.cache.memoryEntries).toBe(0);
    const answered = p.fast.fastPath?.answered ?? 0;
    let hits = 0;
    for (const accept of ['br', 'gzip, deflate, br', 'gzip', 'identity']) {
      const res = await same(p, IDENTITY, { ...auth, 'accept-encoding': accept });
      expect(res.status).toBe(200);
      hits++;
    }
    const etag = String((await same(p, IDENTITY, { ...auth, 'accept-encoding': 'br' })).headers.etag);
    hits++;
    expect((await same(p, IDENTITY, { ...auth, 'if-none-match': etag })).status).toBe(304);
    hits++;
    expect(p.fast.fastPath?.answered).toBe(answered + hits);
    expect(p.node.services.cache.memoryEntries).toBe(0);
    // A connection whose answer is in neither goes to Fastify, which fetches it.
    const other = bearer(await p.node.token({ employees: 5 }));
    expect((await raw(p.fast, IDENTITY, other)).status).toBe(200);
    expect(p.fast.fastPath?.answered).toBe(answered + hits);
  });

  it('FAST_PATH=off and a trusted proxy send every request through Fastify', async () => {
    const envs: Record<string, string>[] = [{ FAST_PATH: 'off' }, { TRUST_PROXY: '1' }];
    for (const env of envs) {
      const node = await startTestNode({ env });
      closers.push(() => node.close());
      const app = await buildApp(node.services);
      closers.push(() => app.close());
      expect(app.fastPath, JSON.stringify(env)).toBeUndefined();
    }
    const node = await startTestNode();
    closers.push(() => node.close());
    const app = await buildApp(node.services);
    closers.push(() => app.close());
    expect(app.fastPath).toBeDefined();
  });
});
