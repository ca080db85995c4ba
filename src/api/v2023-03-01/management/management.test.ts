/** The Affix management API, every body checked against the contract's component schemas. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  affixTokenRequest,
  REDIRECT,
  type TestClient,
  basic,
  getCode,
  registerClient,
  startNode,
} from '../../../oauth/tests/support.js';
import { rowsIn } from '../../../store/testing.js';
import { assertValid } from '../../../testing/affix-spec.js';
import type { TestNode } from '../../../testing/node.js';

describe('management API', () => {
  let node: TestNode;
  let client: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
  });
  afterAll(() => node.close());

  async function exchange(): Promise<string> {
    const code = await getCode(node.app, { clientId: client.id });
    const res = await affixTokenRequest(node.app, client, code);
    expect(res.statusCode).toBe(201);
    assertValid('TokenResponse', res.json());
    expect(res.json()).toMatchObject({ token_type: 'Bearer', mode: 'xhr', provider: 'sandbox' });
    expect(res.headers['cache-control']).toBe('no-store');
    return res.json().access_token;
  }

  it('GET /client (Basic) → ClientResponse with the current secrets', async () => {
    const res = await node.app.inject({
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(client.id, client.secret) },
    });
    expect(res.statusCode).toBe(200);
    assertValid('ClientResponse', res.json());
    expect(res.json()).toMatchObject({
      client_id: client.id,
      client_secret: [client.secret],
      redirect_uris: [REDIRECT],
      webhook_uri: null,
    });
  });

  it('GET /client without or with bad Basic → 401 + WWW-Authenticate: Basic', async () => {
    const none = await node.app.inject({ url: '/2023-03-01/management/client' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    const bad = await node.app.inject({
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(client.id, 'x') },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('POST /client updates name, redirect URIs, webhook and the set of secrets (rotation)', async () => {
    const c = await registerClient(node, { name: 'Rotating' });
    const next = 'n'.repeat(40);
    const res = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(c.id, c.secret) },
      payload: {
        name: 'Renamed',
        redirect_uris: [REDIRECT, 'http://localhost:3000/cb'],
        webhook_uri: 'https://hooks.example.com/x',
        client_secret: [c.secret, next],
      },
    });
    expect(res.statusCode).toBe(200);
    assertValid('ClientResponse', res.json());
    expect(res.json()).toMatchObject({
      name: 'Renamed',
      client_secret: [c.secret, next],
      webhook_uri: 'https://hooks.example.com/x',
    });
    // Both secrets work; dropping the old one revokes it.
    const drop = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(c.id, next) },
      payload: { name: 'Renamed', redirect_uris: [REDIRECT], client_secret: [next] },
    });
    expect(drop.statusCode).toBe(200);
    const old = await node.app.inject({
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(c.id, c.secret) },
    });
    expect(old.statusCode).toBe(401);
  });

  it.each([
    ['a fragment redirect URI', { redirect_uris: ['https://a.example/cb#frag'] }],
    ['http on a public host', { redirect_uris: ['http://a.example/cb'] }],
    ['a short secret', { client_secret: ['short'] }],
    ['no secret', { client_secret: [] }],
  ])('POST /client refuses %s → 400', async (_n, patch) => {
    const res = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/client',
      headers: { authorization: basic(client.id, client.secret) },
      payload: { name: 'X', redirect_uris: [REDIRECT], client_secret: [client.secret], ...patch },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: expect.any(String), validation_error: expect.any(String) });
  });

  it('POST /token: bad redirect_uri → 400; unknown code → 404 {id, message}; bad secret → 401', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const base = {
      client_id: client.id,
      client_secret: client.secret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    };
    const inject = (payload: object) =>
      node.app.inject({ method: 'POST', url: '/2023-03-01/management/token', payload });
    expect((await inject({ ...base, redirect_uri: `${REDIRECT}/` })).statusCode).toBe(400);
    const unknown = await inject({ ...base, code: 'nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ id: 'code', message: expect.any(String) });
    expect((await inject({ ...base, client_secret: 'bad' })).statusCode).toBe(401);
    expect((await inject({ ...base, grant_type: 'password' })).statusCode).toBe(400);
    expect((await inject(base)).statusCode).toBe(201);
  });

  it('GET /tokens (Basic) lists tokens with `valid`', async () => {
    const token = await exchange();
    const res = await node.app.inject({
      url: '/2023-03-01/management/tokens',
      headers: { authorization: basic(client.id, client.secret) },
    });
    expect(res.statusCode).toBe(200);
    assertValid('TokensResponse', res.json());
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti;
    expect(res.json()).toContainEqual(
      expect.objectContaining({ token: jti, valid: true, mode: 'xhr', provider: 'sandbox' }),
    );
  });

  it('GET /introspect (Bearer) → {client_id, mode, provider, scopes}', async () => {
    const token = await exchange();
    const res = await node.app.inject({
      url: '/2023-03-01/management/introspect',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    assertValid('IntrospectResponse', res.json());
    expect(res.json()).toEqual({
      client_id: client.id,
      mode: 'xhr',
      provider: 'sandbox',
      scopes: ['/2023-03-01/xhr/employees', '/2023-03-01/xhr/identity'],
    });
  });

  it('POST /disconnect → {disconnected: true}; then 403 on data and introspect within 1 s; secrets, cache and key gone', async () => {
    const token = await exchange();
    const auth = { authorization: `Bearer ${token}` };
    expect((await node.app.inject({ url: '/2023-03-01/xhr/employees', headers: auth })).statusCode).toBe(200);
    const sub = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).sub as string;
    const { store } = node.services;
    const before = await rowsIn(store, 'connection_secrets', { connection_id: sub });
    expect(before.length).toBe(1);

    const res = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/disconnect',
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    assertValid('DisconnectResponse', res.json());
    expect(res.json()).toEqual({ disconnected: true });
    const started = Date.now();
    let status = 0;
    while (Date.now() - started < 1000) {
      status = (await node.app.inject({ url: '/2023-03-01/xhr/employees', headers: auth })).statusCode;
      if (status === 403) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(403);
    expect(
      (await node.app.inject({ url: '/2023-03-01/management/introspect', headers: auth })).statusCode,
    ).toBe(403);
    expect(await rowsIn(store, 'connection_secrets', { connection_id: sub })).toEqual([]);
    expect(await rowsIn(store, 'cache_entries', { connection_id: sub })).toEqual([]);
    expect(await rowsIn(store, 'vault_data_keys', { owner_id: sub })).toEqual([]);
    expect(await store.connections.status(sub)).toBe('disconnected');
    // Listed as no longer valid.
    const tokens = await node.app.inject({
      url: '/2023-03-01/management/tokens',
      headers: { authorization: basic(client.id, client.secret) },
    });
    const jti = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString()).jti;
    expect(tokens.json()).toContainEqual(expect.objectContaining({ token: jti, valid: false }));
    // Idempotent: the wipe runs again without error.
    const { wipeConnection } = await import('../../../sync/wipe-connection.js');
    await expect(wipeConnection(node.services, sub)).resolves.toMatchObject({ secrets: 0 });
  });
});
