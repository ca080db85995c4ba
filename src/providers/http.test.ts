/**
 * ProviderHttp over a loopback server: the passthrough path guard, header subset, retries and size cap; and the
 * defaults holding even when a client forwards its unset options as `undefined`.
 */
import { getEventListeners } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import {
  ProviderHttp,
  WindowLimiter,
  parseRateLimitReset,
  rateLimitResetMs,
  passthroughHeaders,
  passthroughPathProblem,
} from './http.js';

describe('passthroughPathProblem', () => {
  it.each([
    '/company/employees',
    '/api/v1/employees/123/time_off/calculator',
    '/people/a%20b',
    '/people/a%40b.example',
    '/search?q=a..b',
    '/v1/..foo/bar',
    '/files/report.v2..final',
  ])('accepts %s', (path) => {
    expect(passthroughPathProblem(path)).toBeUndefined();
  });

  it.each([
    ['', /start with \//],
    ['company', /start with \//],
    ['/../x', /\.\. segments/],
    ['/a/%2E%2E/%2e%2e/x', /\.\. segments/],
    ['/%25252e%25252e/x', /too many times|\.\. segments/],
    ['/..;jsessionid=1/x', /\.\. segments/],
    ['//host/x', /a host/],
    ['/%2F%2Fhost/x', /a host/],
    ['/a\\b', /backslash/],
    ['/a%5Cb', /backslash/],
    ['/a/%0d%0aX-Injected', /control/],
    ['/javascript:alert(1)', /absolute URL/],
    ['/a%E0%A4%A', /malformed/],
    ['/a#b', /fragment/],
  ])('refuses %j', (path, reason) => {
    expect(passthroughPathProblem(path)).toMatch(reason);
  });
});

describe('passthroughHeaders', () => {
  it('keeps content type and rate-limit headers only, one string each', () => {
    expect(
      passthroughHeaders({
        'content-type': 'application/json',
        authorization: 'Bearer x',
        'set-cookie': ['a=1', 'b=2'],
        'x-ratelimit-limit': '60',
        'X-RateLimit-Remaining': '5',
        ratelimit: 'limit=10, remaining=9',
        'ratelimit-policy': '10;w=1',
        'x-rate-limit-reset': '30',
        'retry-after': '3',
        'www-authenticate': 'Bearer',
        server: 'nginx',
        vary: ['a', 'b'],
        etag: undefined,
      }),
    ).toEqual({
      'content-type': 'application/json',
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '5',
      ratelimit: 'limit=10, remaining=9',
      'ratelimit-policy': '10;w=1',
      'x-rate-limit-reset': '30',
      'retry-after': '3',
    });
  });
});

describe('ProviderHttp.passthrough', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  let status = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n: hits.length, pad: 'x'.repeat(200) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const http = () => new ProviderHttp({ baseUrl: base, retries: 2, maxRetryAfterMs: 1 });

  it('refuses an escaping path with invalid_request before sending anything', async () => {
    const before = hits.length;
    for (const path of ['/../x', '/%2e%2e/x', '//evil/x', 'http://evil/x']) {
      await expect(http().passthrough({ path })).rejects.toMatchObject({ kind: 'invalid_request' });
    }
    expect(hits.length).toBe(before);
  });

  it('retries a 502 for GET but never for POST (the write may have happened)', async () => {
    status = 502;
    try {
      hits.length = 0;
      // One retry allowed: a GET spends it, a POST does not.
      const get = await new ProviderHttp({ baseUrl: base, retries: 1 }).passthrough({ path: '/x' });
      expect(get.status).toBe(502);
      expect(hits).toEqual(['GET /api/x', 'GET /api/x']);
      hits.length = 0;
      const post = await new ProviderHttp({ baseUrl: base, retries: 1 }).passthrough({
        method: 'POST',
        path: '/x',
        body: {},
      });
      expect(post.status).toBe(502);
      expect(hits).toEqual(['POST /api/x']);
    } finally {
      status = 200;
    }
  });

  it('a body over maxBytes → bad_response; under it → parsed', async () => {
    await expect(http().passthrough({ path: '/x' }, { maxBytes: 100 })).rejects.toMatchObject({
      kind: 'bad_response',
      message: 'provider response exceeds 100 bytes',
    });
    const ok = await http().passthrough({ path: '/x' }, { maxBytes: 10_000 });
    expect(ok.body).toMatchObject({ pad: expect.any(String) });
  });

  it('a 401 throws the authentication error every route answers', async () => {
    status = 401;
    try {
      await expect(http().passthrough({ path: '/x' })).rejects.toMatchObject({
        kind: 'authentication',
        options: { code: 'reauthentication_required' },
      });
    } finally {
      status = 200;
    }
  });
});

describe('ProviderHttp response text', () => {
  let server: Server;
  let baseUrl: string;
  // Sent in small writes, so a multi-byte character is split between chunks.
  const bodies: Record<string, Buffer> = {
    '/ascii': Buffer.from(JSON.stringify({ name: 'Jovan Schmidt', n: 1 })),
    '/utf8': Buffer.from(JSON.stringify({ name: 'Zoë Żółć 東京 😀', n: 2 })),
    '/bom': Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ name: 'Zoë', n: 3 })),
    ]),
  };

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const [path = '', query] = (req.url ?? '').split('?');
      const body = bodies[path] ?? Buffer.from('{}');
      // `?chunked`: no content-length (chunked transfer encoding), so the reader cannot size its buffer.
      res.writeHead(
        200,
        query === 'chunked'
          ? { 'content-type': 'application/json' }
          : { 'content-type': 'application/json', 'content-length': body.length },
      );
      for (let i = 0; i < body.length; i += 3) {
        res.write(body.subarray(i, i + 3));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('decodes ASCII and UTF-8 bodies alike, characters split between chunks included; JSON drops a BOM', async () => {
    const http = new ProviderHttp({ baseUrl });
    expect((await http.json({ path: '/ascii' })).body).toEqual({ name: 'Jovan Schmidt', n: 1 });
    expect((await http.json({ path: '/utf8' })).body).toEqual({ name: 'Zoë Żółć 東京 😀', n: 2 });
    expect((await http.json({ path: '/bom' })).body).toEqual({ name: 'Zoë', n: 3 });
    // A passthrough keeps the bytes as sent: the BOM stays (so the text is not parsed as JSON).
    const raw = await http.passthrough({ method: 'GET', path: '/bom' });
    expect(raw.body).toBe(`\uFEFF${JSON.stringify({ name: 'Zoë', n: 3 })}`);
  });

  it('reads a body without content-length the same way, and caps it as it arrives', async () => {
    const http = new ProviderHttp({ baseUrl });
    expect((await http.json({ path: '/utf8?chunked' })).body).toEqual({ name: 'Zoë Żółć 東京 😀', n: 2 });
    expect((await http.json({ path: '/bom?chunked' })).body).toEqual({ name: 'Zoë', n: 3 });
    const raw = await http.passthrough({ method: 'GET', path: '/bom?chunked' });
    expect(raw.body).toBe(`\uFEFF${JSON.stringify({ name: 'Zoë', n: 3 })}`);
    for (const path of ['/utf8', '/utf8?chunked']) {
      await expect(http.passthrough({ method: 'GET', path }, { maxBytes: 10 })).rejects.toMatchObject({
        kind: 'bad_response',
        message: 'provider response exceeds 10 bytes',
      });
    }
  });
});

describe('ProviderHttp defaults', () => {
  let server: Server;
  let baseUrl: string;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('explicit undefined retries/timeouts keep the defaults: a persistent 503 is tried 1 + 3 times', async () => {
    const client = new ProviderHttp({
      baseUrl,
      retries: undefined,
      readTimeoutMs: undefined,
      connectTimeoutMs: undefined,
      maxRetryAfterMs: undefined,
    });
    await expect(client.json({ path: '/x' })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(hits).toBe(4);
  });
});

describe('ProviderHttp.url', () => {
  const http = new ProviderHttp({ baseUrl: 'https://api.example.com/v1' });

  it("keeps the path's own query, adds the given parameters (replacing one of the same name), skips undefined", () => {
    expect(
      http.url('list?ids[]=1&ids[]=2&limit=5', { limit: 100, after: undefined, q: 'a b&c', on: true }).href,
    ).toBe('https://api.example.com/v1/list?ids%5B%5D=1&ids%5B%5D=2&limit=100&q=a+b%26c&on=true');
    expect(http.url('list', {}).href).toBe('https://api.example.com/v1/list');
    expect(http.url('list?x=1', { y: undefined }).href).toBe('https://api.example.com/v1/list?x=1');
  });
});

describe('ProviderHttp concurrency', () => {
  let server: Server;
  let baseUrl: string;
  const arrived: string[] = [];
  const held: Array<() => void> = [];

  beforeAll(async () => {
    // Answers nothing until released, so the client's one slot stays taken while the others queue.
    server = createServer((req, res) => {
      arrived.push(req.url ?? '');
      held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('an urgent request goes ahead of those already waiting for a slot', async () => {
    const client = new ProviderHttp({ baseUrl, concurrency: 1 });
    const calls = [
      client.json({ path: '/first' }),
      client.json({ path: '/second' }),
      client.json({ path: '/third' }),
      client.json({ path: '/urgent', urgent: true }),
    ];
    for (let answered = 0; answered < calls.length; answered++) {
      await expect.poll(() => held.length).toBe(1);
      held.shift()?.();
    }
    await Promise.all(calls);
    expect(arrived).toEqual(['/first', '/urgent', '/second', '/third']);
  });
});

describe('WindowLimiter', () => {
  it('lets `requests` through per window, then waits for the oldest to leave it', async () => {
    const limiter = new WindowLimiter(2, 200);
    const started = Date.now();
    await limiter.take();
    await limiter.take();
    expect(Date.now() - started).toBeLessThan(50);
    await limiter.take();
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('a settled slot counts from when the answer arrived, not from when it was sent', async () => {
    const limiter = new WindowLimiter(1, 200);
    const slot = await limiter.take();
    await new Promise((resolve) => setTimeout(resolve, 150)); // the provider took 150 ms to answer
    slot.settle();
    const settled = Date.now();
    await limiter.take();
    expect(Date.now() - settled).toBeGreaterThanOrEqual(195);
  });

  it('an aborted wait rejects at once with unavailable', async () => {
    const limiter = new WindowLimiter(1, 60_000);
    await limiter.take();
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    const err = await limiter.take(abort.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('many waits on one connection signal add no listener to it, and all end when it aborts', async () => {
    const limiter = new WindowLimiter(1, 60_000);
    await limiter.take();
    const abort = new AbortController();
    const waits = Array.from({ length: 20 }, () => limiter.take(abort.signal).catch((e: unknown) => e));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
    abort.abort();
    const errors = await Promise.all(waits);
    expect(errors.every((e) => e instanceof ProviderError && e.kind === 'unavailable')).toBe(true);
  });
});

describe('X-RateLimit-Reset', () => {
  const now = Date.parse('2025-06-30T12:00:00Z');

  it.each([
    ['epoch seconds', String(now / 1000 + 42), 42],
    ['epoch milliseconds', String(now + 42_000), 42],
    ['seconds from now', '42', 42],
    ['an HTTP date', new Date(now + 42_000).toUTCString(), 42],
    ['a moment already past', String(now / 1000 - 5), 0],
  ])('reads %s', (_what, value, seconds) => {
    expect(parseRateLimitReset(value, now)).toBe(seconds);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRateLimitReset(undefined, now)).toBeUndefined();
    expect(parseRateLimitReset('soon', now)).toBeUndefined();
  });

  it.each([
    ['milliseconds', '12043', 12_043],
    ['seconds', '12043', 12_043_000],
    ['epoch-seconds', String(now / 1000 + 42), 42_000],
    ['epoch-milliseconds', String(now + 42_000), 42_000],
  ] as const)('reads a number in the unit the provider declares: %s', (unit, value, ms) => {
    expect(rateLimitResetMs(value, now, unit)).toBe(ms);
    // Guessing, a wait of 12043 ms reads as 12043 s: why a provider declares its unit.
    if (unit === 'milliseconds') expect(parseRateLimitReset(value, now)).toBe(12_043);
  });

  it('a provider declaring milliseconds: its 429 is waited out for that many ms (plus the margin), then retried', async () => {
    const stamps: number[] = [];
    const server = createServer((_req, res) => {
      stamps.push(Date.now());
      if (stamps.length > 1) return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      res.writeHead(429, { 'x-ratelimit-reset': '700' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const http = new ProviderHttp({
        baseUrl: url,
        retries: 1,
        rateLimitReset: { unit: 'milliseconds', marginMs: 100 },
      });
      await http.json({ path: '/x' });
      expect(stamps).toHaveLength(2);
      const waited = (stamps[1] ?? 0) - (stamps[0] ?? 0);
      expect(waited).toBeGreaterThanOrEqual(780);
      expect(waited).toBeLessThan(10_000);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  describe('a 429 without Retry-After', () => {
    let server: Server;
    let baseUrl: string;
    const seen: number[] = [];

    beforeAll(async () => {
      server = createServer((_req, res) => {
        seen.push(Date.now());
        if (seen.length > 1) return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        const reset = String(Math.ceil(Date.now() / 1000) + 1);
        res.writeHead(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise((r) => server.close(r)));

    it('waits for the window its X-RateLimit-Reset names, then retries', async () => {
      await new ProviderHttp({ baseUrl, retries: 1 }).json({ path: '/x' });
      expect(seen).toHaveLength(2);
      // The reset is 1 to 2 s away: the wait honours it instead of the ~200 ms backoff.
      expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(900);
    });

    it('a final 429 carries the reset as its retryAfterSeconds', async () => {
      seen.length = 0;
      const err = await new ProviderHttp({ baseUrl, retries: 0 }).json({ path: '/x' }).catch((e) => e);
      expect(err).toMatchObject({ kind: 'rate_limited' });
      expect((err as ProviderError).options.retryAfterSeconds).toBeLessThanOrEqual(2);
      expect((err as ProviderError).options.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    });
  });
});
