/** RFC 8414 metadata and the JWKS it points to. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../../testing/node.js';
import { startNode } from '../support.js';

describe('authorization server metadata (RFC 8414)', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(() => node.close());

  it('lists every field the checklist names', async () => {
    const res = await node.app.inject({ url: '/.well-known/oauth-authorization-server' });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    const base = node.config.PUBLIC_URL;
    expect(m).toMatchObject({
      issuer: base,
      authorization_endpoint: `${base}/connect`,
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      introspection_endpoint: `${base}/oauth2/introspect`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(m.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
    expect(m.scopes_supported).toContain('/2023-03-01/xhr/employees');
  });

  it('JWKS: EC P-256 keys with unique kid and no private parts', async () => {
    const jwks = (await node.app.inject({ url: '/.well-known/jwks.json' })).json() as {
      keys: Record<string, string>[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    const kids = jwks.keys.map((k) => k.kid);
    expect(new Set(kids).size).toBe(kids.length);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(k.d).toBeUndefined();
    }
  });
});
