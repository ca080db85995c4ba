import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { type TestClient, XHR_SCOPES, hiddenFields, registerClient, startNode } from '../support.js';
import { freePort } from '../../../testing/processes.js';

const CALLBACK = 'http://127.0.0.1:9/callback';

describe('oauth4webapi as the client', () => {
  let node: TestNode;
  let base: string;
  let registered: TestClient;
  const insecure = { [oauth.allowInsecureRequests]: true };

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    node = await startNode({ PUBLIC_URL: base });
    await node.app.listen({ port, host: '127.0.0.1' });
    registered = await registerClient(node, { redirectUris: [CALLBACK] });
  });
  afterAll(() => node.close());

  /** The end user's browser, without JavaScript: fetch the page, submit its forms, stop at the 303. */
  async function userConnects(authorizationUrl: URL): Promise<URL> {
    const page = await fetch(authorizationUrl);
    expect(page.status).toBe(200);
    const ids = hiddenFields(await page.text());
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual' as const,
    });
    const creds = await fetch(
      `${base}/connect/credentials`,
      form({ ...ids, username: 'hr@acme.example', password: 'pw' }),
    );
    expect(await creds.text()).toContain('name="decision"');
    const done = await fetch(`${base}/connect/consent`, form({ ...ids, decision: 'allow' }));
    expect(done.status).toBe(303);
    return new URL(done.headers.get('location') as string);
  }

  it('discovers, authorizes with PKCE + state, validates iss, exchanges, validates the JWT, reads employees', async () => {
    const issuer = new URL(base);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    const client: oauth.Client = { client_id: registered.id };

    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint as string);
    url.searchParams.set('client_id', client.client_id);
    url.searchParams.set('redirect_uri', CALLBACK);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', XHR_SCOPES);
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('state', state);
    url.searchParams.set('provider', 'sandbox');

    const callback = await userConnects(url);
    const params = oauth.validateAuthResponse(as, client, callback, state);

    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(registered.secret),
      params,
      CALLBACK,
      verifier,
      insecure,
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(result.token_type).toBe('bearer');
    expect(result.expires_in).toBeGreaterThan(0);

    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${base}/2023-03-01/xhr/employees`, {
        headers: { authorization: `Bearer ${result.access_token}` },
      }),
      base,
      insecure,
    );
    expect(claims.client_id).toBe(registered.id);

    const data = await oauth.protectedResourceRequest(
      result.access_token,
      'GET',
      new URL(`${base}/2023-03-01/xhr/employees`),
      undefined,
      undefined,
      insecure,
    );
    expect(data.status).toBe(200);
    const employees = (await data.json()) as unknown[];
    expect(employees.length).toBeGreaterThan(0);
  });

  it('a callback whose iss is not the issuer is rejected by the client', async () => {
    const issuer = new URL(base);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    const forged = new URL(`${CALLBACK}?code=abc&state=s&iss=${encodeURIComponent('https://evil.example')}`);
    expect(() => oauth.validateAuthResponse(as, { client_id: registered.id }, forged, 's')).toThrow();
  });
});
