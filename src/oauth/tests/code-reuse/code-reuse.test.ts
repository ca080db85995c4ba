/** A code works once; a replay is refused on both endpoints and revokes every token the code produced. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchRows, rowsIn } from '../../../store/testing.js';
import { assertValid } from '../../../testing/affix-spec.js';
import type { TestNode } from '../../../testing/node.js';
import {
  affixTokenRequest,
  REDIRECT,
  type TestClient,
  getCode,
  registerClient,
  startNode,
  storeKinds,
  tokenRequest,
} from '../support.js';

describe.each(storeKinds)('authorization code reuse (%s)', (kind) => {
  let node: TestNode;
  let client: TestClient;
  beforeAll(async () => {
    node = await startNode({}, kind);
    client = await registerClient(node);
  });
  afterAll(() => node.close());

  const exchange = (code: string, secret = client.secret) =>
    tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: client.id,
      client_secret: secret,
    });
  const employees = (token: string) =>
    node.app.inject({ url: '/2023-03-01/xhr/employees', headers: { authorization: `Bearer ${token}` } });

  it('RFC endpoint: second exchange → 400 invalid_grant and the first token is revoked at once', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const first = await exchange(code);
    expect(first.statusCode).toBe(200);
    const token = first.json().access_token as string;
    expect((await employees(token)).statusCode).toBe(200);

    const second = await exchange(code);
    expect(second.statusCode).toBe(400);
    expect(second.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    expect(second.headers['cache-control']).toBe('no-store');
    const after = await employees(token);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('Affix endpoint: second exchange → 409 {error:"conflict"} saying the tokens were revoked, and they are', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const body = {
      client_id: client.id,
      client_secret: client.secret,
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    };
    const first = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/token',
      payload: body,
    });
    expect(first.statusCode).toBe(201);
    assertValid('TokenResponse', first.json());
    const token = first.json().access_token as string;
    const second = await node.app.inject({
      method: 'POST',
      url: '/2023-03-01/management/token',
      payload: body,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error).toBe('conflict');
    expect(second.json().message).toMatch(/already used: every token issued from it has been revoked/);
    assertValid('inline_response_409', second.json());
    expect((await employees(token)).statusCode).toBe(401);
  });

  it('a code redeemed at one endpoint is a replay at the other', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    expect((await exchange(code)).statusCode).toBe(200);
    const affix = await affixTokenRequest(node.app, client, code);
    expect(affix.statusCode).toBe(409);
  });

  it('a replay with bad client authentication revokes nothing', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const first = await exchange(code);
    const token = first.json().access_token as string;
    const replay = await exchange(code, 'not-the-secret');
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error).toBe('invalid_client');
    expect((await employees(token)).statusCode).toBe(200);
  });

  it('an expired code → invalid_grant (codes live at most 10 minutes)', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const [row] = (await rowsIn(node.services.store, 'authorization_codes')).sort(
      (a, b) => b.created_at - a.created_at,
    );
    if (!row) throw new Error('no authorization code');
    expect(Number(row.expires_at) - Number(row.created_at)).toBeLessThanOrEqual(10 * 60_000);
    await patchRows(node.services.store, 'authorization_codes', { expires_at: Date.now() - 1 });
    const res = await exchange(code);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
  });

  it('only a hash of the code is stored', async () => {
    const code = await getCode(node.app, { clientId: client.id });
    const rows = await rowsIn(node.services.store, 'authorization_codes');
    expect(JSON.stringify(rows)).not.toContain(code);
  });
});
