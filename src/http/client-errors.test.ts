/**
 * What a client gets when the request itself is broken or slow, and what an Affix customer's unchanged scripts get:
 * every answer in the contract's shape, with the usual headers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, getCode, managementTokenBody, registerClient } from '../oauth/tests/support.js';
import { type TestNode, startTestNode } from '../testing/node.js';

let node: TestNode;
let port: number;

beforeAll(async () => {
  node = await startTestNode({ env: { REQUEST_TIMEOUT: '2s', HEADERS_TIMEOUT: '1s' } });
  await node.app.listen({ port: 0, host: '127.0.0.1' });
  port = (node.app.server.address() as net.AddressInfo).port;
});
afterAll(() => node.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from the first byte written to the connection's end. */
  ms: number;
}

/** Writes `chunks` on a fresh socket, `gapMs` apart, and collects the answer until the server closes. */
function raw(chunks: string[], gapMs = 0): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d) => (out += d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const [head = '', ...rest] = out.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: rest.join('\r\n\r\n'),
        ms: Date.now() - started,
      });
    });
    let i = 0;
    const next = () => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i++] ?? '');
      timer = setTimeout(next, gapMs);
    };
    socket.on('connect', next);
    setTimeout(() => reject(new Error(`no answer; got ${out}`)), 15_000).unref();
  });
}

const get = (path: string, extra = '') =>
  raw([`GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`]);

function expectContractError(res: RawResponse, status: number, detail: RegExp) {
  expect(res.status).toBe(status);
  const body = JSON.parse(res.body) as { message: string; validation_error: string };
  expect(Object.keys(body).sort()).toEqual(['message', 'validation_error']);
  expect(body.validation_error).toMatch(detail);
  expect(res.headers['x-request-id']).toMatch(/^req_/);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}

describe("Fastify's and Node's own errors have the contract's shape and headers", () => {
  it('bad percent-encoding in the path → 400', async () => {
    expectContractError(await get('/2023-03-01/xhr/%zz'), 400, /percent-encoding/);
  });

  it('an over-long path segment → 414', async () => {
    expectContractError(await get(`/2023-03-01/xhr/payruns/${'a'.repeat(500)}`), 414, /longer than 100/);
  });

  it('a URL or header past 16 KB → 431', async () => {
    expectContractError(await get(`/providers?${'a'.repeat(20_000)}`), 431, /exceed/);
    expectContractError(await get('/providers', `X-Big: ${'a'.repeat(20_000)}\r\n`), 431, /exceed/);
  });

  it('a Basic header wrapped by base64 (a line break inside it) → 400 that says so', async () => {
    const res = await raw([
      `POST /2023-03-01/management/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${'Y'.repeat(76)}\n${'Z'.repeat(
        20,
      )}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    ]);
    expectContractError(res, 400, /base64 -w0/);
  });
});

describe('slow clients are cut off', () => {
  it('a body dripping one byte at a time is answered 408 and closed after REQUEST_TIMEOUT', async () => {
    const head =
      'POST /2023-03-01/management/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
    const res = await raw([head, ...'{"client_id":"x"'.split('')], 300);
    expectContractError(res, 408, /REQUEST_TIMEOUT/);
    expect(res.ms).toBeGreaterThanOrEqual(1_900);
    expect(res.ms).toBeLessThan(5_000);
  });

  it('headers that never finish are cut off after HEADERS_TIMEOUT', async () => {
    const res = await raw(
      ['GET /providers HTTP/1.1\r\n', ...Array.from({ length: 20 }, (_, i) => `X-${i}: y\r\n`)],
      300,
    );
    expect(res.status).toBe(408);
    expect(res.ms).toBeLessThan(4_000);
  });
});

describe("Affix customers' own scripts work unchanged", () => {
  it('client_id:client_secret fits one line of base64 (57 bytes)', async () => {
    const client = await registerClient(node);
    expect(Buffer.byteLength(`${client.id}:${client.secret}`)).toBeLessThanOrEqual(57);
    expect(Buffer.from(client.secret, 'base64url')).toHaveLength(20);
    expect(Buffer.from(`${client.id}:${client.secret}`).toString('base64')).not.toMatch(/.{77}/);
  });

  it('curl --data JSON (labelled form-urlencoded) is taken by POST /management/token', async () => {
    const client = await registerClient(node);
    const code = await getCode(node.app, { clientId: client.id });
    const res = await fetch(`http://127.0.0.1:${port}/2023-03-01/management/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify(managementTokenBody(client, code)),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { access_token: string }).access_token).toMatch(/^ey/);
  });

  it('a real form sent to a JSON endpoint is still 415; the RFC token endpoint stays form-only', async () => {
    const form = await fetch(`http://127.0.0.1:${port}/2023-03-01/management/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'client_id=a&client_secret=b',
    });
    expect(form.status).toBe(415);
    const client = await registerClient(node);
    const rfc = await fetch(`http://127.0.0.1:${port}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(client.id, client.secret),
      },
      body: JSON.stringify({ grant_type: 'authorization_code', code: 'x' }),
    });
    expect(rfc.status).toBe(400);
    expect(((await rfc.json()) as { error: string }).error).toBe('invalid_request');
  });

  it("GET / with Affix's connect parameters redirects to /connect with them", async () => {
    const query = '?client_id=cli_x&mode=xhr&scope=%2F2023-03-01%2Fxhr%2Femployees';
    const res = await node.app.inject({ method: 'GET', url: `/${query}` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/connect${query}`);
    const bare = await node.app.inject({ method: 'GET', url: '/' });
    expect(bare.statusCode).toBe(404);
  });
});
