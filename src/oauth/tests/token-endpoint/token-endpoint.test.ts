/** RFC token endpoint: grant types, form encoding, no-store everywhere, RFC 6749 §5.2 error codes only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { REDIRECT, type TestClient, getCode, registerClient, startNode, tokenRequest } from '../support.js';

const RFC_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
];

describe('token endpoint', () => {
  let node: TestNode;
  let client: TestClient;
  beforeAll(async () => {
    node = await startNode();
    client = await registerClient(node);
  });
  afterAll(() => node.close());

  const auth = () => ({ client_id: client.id, client_secret: client.secret });

  function expectRfcError(
    res: { statusCode: number; headers: Record<string, unknown>; json: () => Record<string, unknown> },
    error: string,
  ) {
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(RFC_CODES).toContain(body.error);
    expect(body.error).toBe(error);
    expect(body.error_description).not.toMatch(/[\r\n\t]/);
  }

  it('success: 200, Bearer, expires_in, scope, no-store, never compressed', async () => {
    const res = await tokenRequest(
      node.app,
      {
        grant_type: 'authorization_code',
        code: await getCode(node.app, { clientId: client.id }),
        redirect_uri: REDIRECT,
        ...auth(),
      },
      { 'accept-encoding': 'gzip, br, deflate' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json()).toMatchObject({
      token_type: 'Bearer',
      expires_in: expect.any(Number),
      access_token: expect.stringMatching(/^ey/),
      scope: expect.any(String),
    });
  });

  it('unsupported grant type → unsupported_grant_type', async () => {
    const res = await tokenRequest(node.app, { grant_type: 'client_credentials', ...auth() });
    expect(res.statusCode).toBe(400);
    expectRfcError(res, 'unsupported_grant_type');
  });

  it('missing grant_type → invalid_request', async () => {
    const res = await tokenRequest(node.app, { code: 'x', ...auth() });
    expectRfcError(res, 'invalid_request');
  });

  it('missing code → invalid_request', async () => {
    const res = await tokenRequest(node.app, { grant_type: 'authorization_code', ...auth() });
    expectRfcError(res, 'invalid_request');
  });

  it('unknown code → invalid_grant', async () => {
    const res = await tokenRequest(node.app, {
      grant_type: 'authorization_code',
      code: 'nope',
      redirect_uri: REDIRECT,
      ...auth(),
    });
    expectRfcError(res, 'invalid_grant');
  });

  it('a duplicated parameter → invalid_request', async () => {
    const res = await node.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=authorization_code&code=a&code=b&client_id=${client.id}&client_secret=${client.secret}`,
    });
    expectRfcError(res, 'invalid_request');
  });

  it('a JSON body → invalid_request (the endpoint takes form encoding)', async () => {
    const res = await node.app.inject({
      method: 'POST',
      url: '/oauth2/token',
      payload: { grant_type: 'authorization_code', code: 'x', ...auth() },
    });
    expect(res.statusCode).toBe(400);
    expectRfcError(res, 'invalid_request');
  });

  it('hostile input is not reflected with control characters in error_description', async () => {
    const res = await tokenRequest(node.app, { grant_type: 'x\r\nSet-Cookie: a=b\t', ...auth() });
    expectRfcError(res, 'unsupported_grant_type');
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
