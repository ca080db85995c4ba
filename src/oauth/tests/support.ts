/**
 * Test support for the OAuth suites: a node, registered clients, and the connect flow driven over app.inject()
 * exactly as a browser without JavaScript would (GET the page, POST its forms with their hidden fields).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { testStoreKinds } from '../../store/testing.js';
import { type TestNode, startTestNode } from '../../testing/node.js';
import { createClient } from '../clients.js';
import { s256 } from '../pkce.js';

export const REDIRECT = 'https://app.example.com/callback';
export const XHR_SCOPES = '/2023-03-01/xhr/employees /2023-03-01/xhr/identity';

export interface TestClient {
  id: string;
  secret: string;
  redirectUris: string[];
}

export async function startNode(
  env: Record<string, string> = {},
  store: 'sqlite' | 'postgres' = 'sqlite',
): Promise<TestNode> {
  return startTestNode({ env, store });
}

/** SQLite always; PostgreSQL too when DATABASE_URL is postgres:// (see src/store/testing.ts). */
export const storeKinds = testStoreKinds.map((k) => k.name);

/**
 * A node on `store` with one registered client, started before the suite's tests and closed after them. `env` is
 * read when the node starts, so it may name servers that earlier `beforeAll` hooks started.
 */
export function nodeWithClient(
  store: 'sqlite' | 'postgres',
  env: () => Record<string, string> = () => ({}),
): { node: TestNode; client: TestClient } {
  const suite = {} as { node: TestNode; client: TestClient };
  beforeAll(async () => {
    suite.node = await startNode(env(), store);
    suite.client = await registerClient(suite.node);
  });
  afterAll(() => suite.node?.close());
  return suite;
}

export async function registerClient(
  node: TestNode,
  o: { redirectUris?: string[]; isPublic?: boolean; name?: string } = {},
): Promise<TestClient> {
  const redirectUris = o.redirectUris ?? [REDIRECT];
  const { client, secret } = await createClient(node.services, {
    name: o.name ?? 'Acme Payroll Sync',
    redirectUris,
    isPublic: o.isPublic ?? false,
    accentColor: '#0f766e',
  });
  return { id: client.id, secret: secret ?? '', redirectUris };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

const FLOW_FIELDS = ['session', 'csrf', 'request', 'chosen_provider'] as const;

/**
 * The flow's hidden form fields: the session id and CSRF token, and, until the provider accepts a sign-in, the
 * authorization request and the chosen provider (the page carries the flow; nothing is stored before that).
 */
export function hiddenFields(html: string): { session: string; csrf: string } & Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FLOW_FIELDS) {
    const value = new RegExp(`type="hidden" name="${name}" value="([^"]*)"`).exec(html)?.[1];
    if (value !== undefined) out[name] = unescapeHtml(value);
  }
  const { session, csrf } = out;
  if (!session || !csrf) throw new Error(`no session/csrf fields in page:\n${html.slice(0, 500)}`);
  return { ...out, session, csrf };
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export async function post(app: FastifyInstance, url: string, fields: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

export interface FlowOptions {
  clientId: string;
  redirectUri?: string | null;
  scope?: string;
  state?: string;
  codeChallenge?: string;
  provider?: string;
  extra?: Record<string, string>;
  username?: string;
  password?: string;
  /** The credential form's fields, when they are not username/password (e.g. official mode's `api_key`). */
  fields?: Record<string, string>;
  otp?: string;
  decision?: 'allow' | 'deny';
}

export function authorizeUrl(o: FlowOptions): string {
  const q = new URLSearchParams({ client_id: o.clientId, mode: 'xhr', scope: o.scope ?? XHR_SCOPES });
  if (o.redirectUri !== null) q.set('redirect_uri', o.redirectUri ?? REDIRECT);
  if (o.state !== undefined) q.set('state', o.state);
  if (o.codeChallenge) {
    q.set('code_challenge', o.codeChallenge);
    q.set('code_challenge_method', 'S256');
  }
  if (o.provider !== undefined) q.set('provider', o.provider);
  for (const [k, v] of Object.entries(o.extra ?? {})) q.set(k, v);
  return `/connect?${q}`;
}

/** Runs the whole connect flow; returns the final response (a 303 unless something failed). */
export async function runFlow(app: FastifyInstance, o: FlowOptions) {
  const start = await app.inject({ method: 'GET', url: authorizeUrl({ provider: 'sandbox', ...o }) });
  if (start.statusCode !== 200) return start;
  const ids = hiddenFields(start.body);
  const creds = await post(app, '/connect/credentials', {
    ...ids,
    action: 'submit',
    ...(o.fields ?? {
      username: o.username ?? 'demo@example.com',
      password: o.password ?? 'correct-horse',
    }),
  });
  let page = creds;
  if (o.otp !== undefined) page = await post(app, '/connect/otp', { ...ids, action: 'submit', otp: o.otp });
  if (!page.body.includes('name="decision"')) return page;
  return post(app, '/connect/consent', { ...ids, decision: o.decision ?? 'allow' });
}

/** The authorization code from a 303 Location. */
export function codeFrom(location: string | undefined): string {
  const code = new URL(location ?? 'x:').searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export async function getCode(app: FastifyInstance, o: FlowOptions): Promise<string> {
  const res = await runFlow(app, o);
  if (res.statusCode !== 303) throw new Error(`flow ended with ${res.statusCode}: ${res.body.slice(0, 400)}`);
  return codeFrom(res.headers.location as string);
}

/** The JSON body of the Affix-style exchange at `POST /2023-03-01/management/token`. */
export function managementTokenBody(
  client: { id: string; secret: string },
  code: string,
  redirectUri = REDIRECT,
) {
  return {
    client_id: client.id,
    client_secret: client.secret,
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
  };
}

/** The Affix-style exchange through `app.inject()`. */
export async function affixTokenRequest(
  app: FastifyInstance,
  client: { id: string; secret: string },
  code: string,
  redirectUri = REDIRECT,
) {
  return app.inject({
    method: 'POST',
    url: '/2023-03-01/management/token',
    payload: managementTokenBody(client, code, redirectUri),
  });
}

export async function tokenRequest(
  app: FastifyInstance,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

export interface ClientApp {
  /** `http://127.0.0.1:PORT` of the developer's app. */
  origin: string;
  /** `${origin}/callback`, registered as the client's redirect URI. */
  redirectUri: string;
  client: TestClient;
  /** Every request that reached /callback, in order. */
  callbacks: URL[];
  close(): Promise<void>;
}

/**
 * The developer's app on a loopback port: `/callback` records each redirect; `route` may answer other paths
 * (return true when it did); everything else is 404. Registers a confidential client for it on `node`.
 */
export async function startClientApp(
  node: TestNode,
  route: (url: URL, res: http.ServerResponse, app: ClientApp) => boolean = () => false,
): Promise<ClientApp> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', app.origin);
    if (url.pathname === '/callback') {
      app.callbacks.push(url);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Callback received</h1>');
    } else if (!route(url, res, app)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app: ClientApp = {
    origin,
    redirectUri: `${origin}/callback`,
    client: await registerClient(node, { redirectUris: [`${origin}/callback`], name: 'Acme Payroll Sync' }),
    callbacks: [],
    close: () => new Promise((r) => server.close(() => r())),
  };
  return app;
}

/** The code exchange at `POST /2023-03-01/management/token` over real HTTP (a listening node at `base`). */
export async function exchangeAtManagement(
  base: string,
  client: { id: string; secret: string },
  code: string,
  redirectUri: string,
): Promise<Response> {
  return fetch(`${base}/2023-03-01/management/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(managementTokenBody(client, code, redirectUri)),
  });
}

export const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
