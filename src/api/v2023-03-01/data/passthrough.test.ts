/**
 * `POST /2023-03-01/{mode}/passthrough` over real loopback HTTP to each provider's emulator: the provider's status
 * and body come back inside a 200, traversal never leaves the node, scopes gate it, the sandbox answers 501.
 * Runs on SQLite and, when DATABASE_URL is set, on PostgreSQL.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mode, type ProviderId, scopeFor } from '../../../model/index.js';
import {
  type Emulator as BambooEmulator,
  startEmulator as startBamboo,
} from '../../../providers/bamboohr/emulator/server.js';
import { type DeelEmulator, startEmulator as startDeel } from '../../../providers/deel/emulator/server.js';
import {
  type PersonioEmulator,
  startEmulator as startPersonio,
} from '../../../providers/personio/emulator/server.js';
import { type XeroEmulator, startEmulator as startXero } from '../../../providers/xero-uk/emulator/server.js';
import {
  REDIRECT,
  type TestClient,
  authorizeUrl,
  getCode,
  hiddenFields,
  post,
  registerClient,
  startNode,
  tokenRequest,
} from '../../../oauth/tests/support.js';
import { testStoreKinds } from '../../../store/testing.js';
import { type TestNode, startTestNode } from '../../../testing/node.js';
import { connectionToken } from '../../../testing/fixtures.js';

const PASSTHROUGH = scopeFor('official', 'passthrough');

/** A connection of `provider` with `credentials`, and a token for it with `scopes`. */
async function connect(
  node: TestNode,
  provider: ProviderId,
  credentials: Record<string, string>,
  scopes: string[] = [PASSTHROUGH],
  mode: Mode = 'official',
): Promise<string> {
  const settings = provider === 'sandbox' ? { employees: 5 } : {};
  return (await connectionToken(node.services, { provider, mode, credentials, settings, scopes })).token;
}

function passthrough(node: TestNode, token: string, payload: unknown, mode: Mode = 'official') {
  return node.app.inject({
    method: 'POST',
    url: `/2023-03-01/${mode}/passthrough`,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
}

/** Every way we know of to climb out of (or around) the provider's API base, raw and encoded. */
const ESCAPES = [
  '/../outside',
  '/a/../../outside',
  '/%2e%2e/outside',
  '/%2E%2e%2Foutside',
  '/.%2e/outside',
  '/%252e%252e/outside',
  '/..%2foutside',
  '/..;/outside',
  '/./x',
  '//evil.example/x',
  '/%2f%2fevil.example/x',
  '/\\evil.example',
  '/a\\..\\..\\outside',
  '/a%5c..%5coutside',
  '/http://evil.example/x',
  '/http:%2f%2fevil.example/x',
  'http://evil.example/x',
  'company/employees',
  '/a%00b',
  '/a%zz',
  '/a#frag',
];

let personio: PersonioEmulator;
let bamboo: BambooEmulator;
let deel: DeelEmulator;
let xero: XeroEmulator;

beforeAll(async () => {
  [personio, bamboo, deel, xero] = await Promise.all([
    startPersonio({ employees: 5, seed: 7 }),
    startBamboo({ employees: 5, seed: 7 }),
    startDeel({ employees: 5, seed: 7, knobs: { rateLimitPerSecond: 0 } }),
    startXero({ employees: 5, seed: 7 }),
  ]);
});
afterAll(async () => {
  await Promise.all([personio?.close(), bamboo?.close(), deel?.close(), xero?.close()]);
});

/** How many requests each emulator has received so far. */
const seen = () => ({
  personio: personio.stats.received.length,
  bamboo: bamboo.requestCount,
  deel: deel.stats.requests,
  xero: xero.stats.requests,
});

describe.each(testStoreKinds)('passthrough on $name', (kind) => {
  let node: TestNode;
  const tokens = {} as Record<'personio' | 'bamboo' | 'deel' | 'xero', string>;

  beforeAll(async () => {
    node = await startTestNode({
      store: kind.name,
      env: {
        PROVIDER_PERSONIO_DE_BASE_URL: personio.baseUrl,
        PROVIDER_BAMBOOHR_BASE_URL: bamboo.baseUrl,
        PROVIDER_DEEL_BASE_URL: deel.baseUrl,
        PROVIDER_XERO_UK_BASE_URL: xero.baseUrl,
      },
    });
    tokens.personio = await connect(node, 'personio.de', personio.credentials);
    tokens.bamboo = await connect(node, 'bamboohr', {
      company_domain: bamboo.credentials.company_domain,
      api_key: bamboo.credentials.api_key,
    });
    tokens.deel = await connect(node, 'deel', deel.credentials);
    // Its own grant per store: a refresh token is spent (rotated into the sealed state) on first use.
    tokens.xero = await connect(node, 'xero uk', {
      ...xero.credentials,
      refresh_token: xero.issueRefreshToken(),
    });
  });
  afterAll(async () => node?.close());

  const cases = [
    {
      name: 'personio.de',
      token: () => tokens.personio,
      path: '/company/time-off-types',
      expected: () => ({ success: true, data: personio.records.timeOffTypes }),
      missing: '/company/employees/99999999',
    },
    {
      name: 'bamboohr',
      token: () => tokens.bamboo,
      path: '/api/v1/company_information',
      expected: () => bamboo.records.company,
      missing: '/api/v1/nope',
    },
    {
      name: 'deel',
      token: () => tokens.deel,
      path: '/organizations',
      expected: () => ({ data: [deel.records.organization] }),
      missing: '/nope',
    },
    {
      name: 'xero uk',
      token: () => tokens.xero,
      path: '/PayRunCalendars',
      expected: () => expect.objectContaining({ payRunCalendars: xero.records.calendars }),
      missing: '/PayRuns/00000000-0000-4000-8000-000000000000',
    },
  ];

  it.each(cases)("$name: a GET returns the emulator's status and JSON body, never cached", async (c) => {
    const res = await passthrough(node, c.token(), { method: 'GET', path: c.path });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const out = res.json();
    expect(out.status).toBe(200);
    expect(out.body).toEqual(c.expected());
    expect(out.headers['content-type']).toMatch(/json/);
    expect(Object.keys(out.headers).filter((h) => /authorization|cookie/i.test(h))).toEqual([]);
  });

  it.each(cases)('$name: a provider 404 comes back as status 404 inside a 200', async (c) => {
    const res = await passthrough(node, c.token(), { method: 'GET', path: c.missing });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe(404);
  });

  it.each(cases)('$name: traversal and host tricks → 400, and the emulator never sees them', async (c) => {
    // Warm up (Personio authenticates once) so only the attempts below could reach an emulator.
    await passthrough(node, c.token(), { method: 'GET', path: c.path });
    const before = seen();
    for (const path of ESCAPES) {
      const res = await passthrough(node, c.token(), { method: 'GET', path });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      const body = res.json();
      expect(body.message).toBe('Bad Request');
      expect(typeof body.validation_error).toBe('string');
    }
    expect(seen()).toEqual(before);
  });

  it('query is sent and the provider sees its authorization, not ours', async () => {
    const res = await passthrough(node, tokens.bamboo, {
      method: 'GET',
      path: '/api/v1/employees',
      query: { 'page[limit]': '2' },
      headers: { Accept: 'application/json' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.status).toBe(200);
    expect(out.body.data).toHaveLength(2);
  });

  it('a POST sends the JSON body (BambooHR create employee → 201)', async () => {
    const res = await passthrough(node, tokens.bamboo, {
      method: 'POST',
      path: '/api/v1/employees',
      body: { firstName: 'Pass', lastName: 'Through' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe(201);
  });

  it('a token without the passthrough scope → 403; without a token → 401', async () => {
    const token = await connect(node, 'deel', deel.credentials, [scopeFor('official', 'employees')]);
    const before = seen();
    const res = await passthrough(node, token, { method: 'GET', path: '/organizations' });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/passthrough/);
    const xhrScope = await connect(node, 'deel', deel.credentials, [scopeFor('xhr', 'passthrough')]);
    expect((await passthrough(node, xhrScope, { method: 'GET', path: '/organizations' })).statusCode).toBe(
      403,
    );
    const anonymous = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/official/passthrough',
      payload: { method: 'GET', path: '/organizations' },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(seen()).toEqual(before);
  });

  it('the sandbox has no provider API → 501 in both modes', async () => {
    for (const mode of ['official', 'xhr'] as const) {
      const token = await connect(node, 'sandbox', {}, [scopeFor(mode, 'passthrough')], mode);
      const res = await passthrough(node, token, { method: 'GET', path: '/anything' }, mode);
      expect(res.statusCode, res.body).toBe(501);
      expect(res.json().message).toMatch(/passthrough/);
    }
  });

  it("credentials the provider refuses → the contract's 401 authentication_error", async () => {
    const token = await connect(node, 'deel', { api_token: 'revoked-token' });
    const res = await passthrough(node, token, { method: 'GET', path: '/organizations' });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json()).toMatchObject({ error: 'authentication_error', code: 'reauthentication_required' });
    expect(res.body).not.toContain('revoked-token');
  });

  const nested = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = { v };
    return v;
  };

  it('bad requests: wrong content type 415, bad JSON 400, unknown method/header/field 400, GET body 400', async () => {
    const send = (contentType: string, payload: string) =>
      node.app.inject({
        method: 'POST',
        url: '/2023-03-01/official/passthrough',
        headers: { authorization: `Bearer ${tokens.deel}`, 'content-type': contentType },
        payload,
      });
    const before = seen();
    expect((await send('text/plain', '{"method":"GET","path":"/organizations"}')).statusCode).toBe(415);
    expect((await send('application/json', '{"method":')).statusCode).toBe(400);
    for (const payload of [
      { method: 'TRACE', path: '/organizations' },
      { method: 'GET', path: '/organizations', headers: { Authorization: 'Bearer stolen' } },
      { method: 'GET', path: '/organizations', headers: { Cookie: 'a=b' } },
      { method: 'GET', path: '/organizations', headers: { accept: 'a\r\nx-injected: 1' } },
      { method: 'GET', path: '/organizations', query: { limit: ['5', '6'] } },
      { method: 'GET', path: '/organizations', extra: true },
      { method: 'GET', path: '/organizations', body: { a: 1 } },
      { path: '/organizations' },
      // Never "retry later" for what can never succeed: a header value that is not visible ASCII, a deep body.
      { method: 'GET', path: '/organizations', headers: { accept: 'text/plain; q=0.5 ✓' } },
      { method: 'GET', path: '/organizations', headers: { accept: 'a\u0000b' } },
      { method: 'POST', path: '/organizations', body: nested(40) },
    ]) {
      const res = await passthrough(node, tokens.deel, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ message: 'Bad Request', validation_error: expect.any(String) });
    }
    expect(seen()).toEqual(before);
  });

  it('is served in /openapi.json as an extension, and its scope is advertised', async () => {
    const doc = (await node.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const mode of ['official', 'xhr']) {
      const op = doc.paths[`/2023-03-01/${mode}/passthrough`]?.post;
      expect(op?.description).toMatch(/Not in the Affix contract/);
      expect(op?.responses?.['200']).toBeDefined();
    }
    const meta = (
      await node.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })
    ).json();
    expect(meta.scopes_supported).toContain(PASSTHROUGH);
  });
});

describe('passthrough against a provider that misbehaves', () => {
  let node: TestNode;
  let server: Server;
  let token: string;
  let last: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: string } = {};
  const mode = { big: false, text: false };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        last = { method: req.method, url: req.url, headers: req.headers, body };
        if (mode.big) {
          // 11 MB of JSON, streamed: more than the passthrough cap.
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = `"${'x'.repeat(1024 * 1024 - 3)}",`;
          res.write('[');
          for (let i = 0; i < 11; i++) res.write(chunk);
          res.end('0]');
          return;
        }
        res.writeHead(418, {
          'content-type': mode.text ? 'text/plain' : 'application/json',
          authorization: 'Bearer provider-secret-token',
          'set-cookie': 'session=provider-cookie',
          'x-ratelimit-remaining': '41',
          'x-internal': 'nope',
        });
        res.end(mode.text ? 'plain words' : JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    node = await startTestNode({ env: { PROVIDER_DEEL_BASE_URL: `http://127.0.0.1:${port}/rest/v2` } });
    token = await connect(node, 'deel', { api_token: 'deel-secret-api-token' });
  });
  afterAll(async () => {
    await node?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('sends method, path under the base, query, JSON body, allowed headers and the provider auth', async () => {
    mode.big = false;
    mode.text = false;
    const res = await passthrough(node, token, {
      method: 'PATCH',
      path: '/contracts/c1',
      query: { a: '1', b: 'two words' },
      body: { name: 'New' },
      headers: { 'Accept-Language': 'de' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(last.method).toBe('PATCH');
    expect(last.url).toBe('/rest/v2/contracts/c1?a=1&b=two+words');
    expect(JSON.parse(last.body ?? '')).toEqual({ name: 'New' });
    expect(last.headers?.['accept-language']).toBe('de');
    expect(last.headers?.['content-type']).toBe('application/json');
    expect(last.headers?.authorization).toBe('Bearer deel-secret-api-token');
    const out = res.json();
    expect(out).toEqual({
      status: 418,
      headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '41' },
      body: { ok: true },
    });
    expect(res.body).not.toMatch(/provider-secret-token|provider-cookie|deel-secret-api-token/);
  });

  it('a non-JSON body comes back as a string', async () => {
    mode.text = true;
    const res = await passthrough(node, token, { method: 'GET', path: '/text' });
    expect(res.json()).toMatchObject({ status: 418, body: 'plain words' });
  });

  it('a response over 10 MB → 502 with a message, and the node keeps serving', async () => {
    mode.big = true;
    const res = await passthrough(node, token, { method: 'GET', path: '/huge' });
    expect(res.statusCode).toBe(502);
    expect(res.json().message).toMatch(/exceeds \d+ bytes/);
    mode.big = false;
    mode.text = false;
    const after = await passthrough(node, token, { method: 'GET', path: '/small' });
    expect(after.statusCode).toBe(200);
  });
});

describe('the passthrough scope through the connect flow', () => {
  let node: TestNode;
  let client: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
  });
  afterAll(() => node?.close());

  it('is granted when asked for by name, shown on consent, and left out of contract-shaped responses', async () => {
    const scope = `${scopeFor('xhr', 'employees')} ${scopeFor('xhr', 'passthrough')}`;
    const res = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: await getCode(node.app, { clientId: client.id, scope }),
      redirect_uri: REDIRECT,
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(res.statusCode, res.body).toBe(200);
    const token = res.json().access_token as string;
    const claims = await node.services.tokens.verify(token);
    expect(claims.scopes).toEqual([scopeFor('xhr', 'employees'), scopeFor('xhr', 'passthrough')]);
    // The Affix contract's scope enum has no passthrough, so its responses do not list it.
    const info = await node.app.inject({
      method: 'GET',
      url: '/2023-03-01/management/introspect',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(info.json().scopes).toEqual([scopeFor('xhr', 'employees')]);
    // The sandbox (the flow's provider) has no provider API behind it.
    expect((await passthrough(node, token, { method: 'GET', path: '/x' }, 'xhr')).statusCode).toBe(501);
  });

  it('the consent page says in plain words what passthrough allows', async () => {
    const start = await node.app.inject({
      method: 'GET',
      url: authorizeUrl({ clientId: client.id, provider: 'sandbox', scope: scopeFor('xhr', 'passthrough') }),
    });
    expect(start.statusCode).toBe(200);
    const ids = hiddenFields(start.body);
    const consent = await post(node.app, '/connect/credentials', {
      ...ids,
      action: 'submit',
      username: 'demo@example.com',
      password: 'correct-horse',
    });
    expect(consent.body).toMatch(/Send any request to your HR system/);
  });
});
