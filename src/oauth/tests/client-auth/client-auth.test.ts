/** Token endpoint client authentication: post, basic, never both; bad Basic → 401 + WWW-Authenticate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsIn } from '../../../store/testing.js';
import type { TestNode } from '../../../testing/node.js';
import { rotateClientSecret } from '../../clients.js';
import {
  REDIRECT,
  type TestClient,
  basic,
  getCode,
  registerClient,
  startNode,
  tokenRequest,
} from '../support.js';

describe('client authentication at the token endpoint', () => {
  let node: TestNode;
  let client: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
  });
  afterAll(() => node.close());

  const code = () => getCode(node.app, { clientId: client.id });

  it('client_secret_post → 200', async () => {
    const res = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: await code(),
      redirect_uri: REDIRECT,
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(res.statusCode).toBe(200);
  });

  it('client_secret_basic (form-urlencoded id and secret) → 200', async () => {
    const res = await tokenRequest(
      node.app,
      { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT },
      { authorization: basic(client.id, client.secret) },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
  });

  it('both methods at once → 400 invalid_request', async () => {
    const res = await tokenRequest(
      node.app,
      {
        grant_type: 'authorization_code',
        code: await code(),
        redirect_uri: REDIRECT,
        client_secret: client.secret,
      },
      { authorization: basic(client.id, client.secret) },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_request');
  });

  it('bad Basic secret → 401 invalid_client with WWW-Authenticate: Basic', async () => {
    const res = await tokenRequest(
      node.app,
      { grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT },
      { authorization: basic(client.id, 'wrong') },
    );
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('invalid_client');
    expect(res.headers['www-authenticate']).toMatch(/^Basic /);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('bad posted secret → 401 invalid_client; unknown client → the same answer', async () => {
    const c = await code();
    const wrong = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: REDIRECT,
      client_id: client.id,
      client_secret: 'nope',
    });
    const unknown = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: c,
      redirect_uri: REDIRECT,
      client_id: 'cli_unknown',
      client_secret: 'nope',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('no client authentication for a confidential client → 401 invalid_client', async () => {
    const res = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: await code(),
      redirect_uri: REDIRECT,
      client_id: client.id,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toBe('invalid_client');
  });

  it('after rotation both the old and the new secret work', async () => {
    const fresh = await registerClient(node);
    const newer = await rotateClientSecret(node.services, fresh.id);
    for (const secret of [fresh.secret, newer]) {
      const c = await getCode(node.app, { clientId: fresh.id });
      const res = await tokenRequest(node.app, {
        grant_type: 'authorization_code',
        code: c,
        redirect_uri: REDIRECT,
        client_id: fresh.id,
        client_secret: secret,
      });
      expect(res.statusCode).toBe(200);
    }
  });

  it('client secrets are stored sealed, never in plain text', async () => {
    const rows = await rowsIn(node.services.store, 'client_secrets');
    const dump = rows.map((r) => Buffer.from(r.sealed).toString('latin1')).join('');
    expect(dump).not.toContain(client.secret);
    expect(client.secret.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits in base64url
  });
});
