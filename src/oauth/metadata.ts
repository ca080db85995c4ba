/** RFC 8414 authorization server metadata, served at /.well-known/oauth-authorization-server. */
import type { Config } from '../config.js';
import { RESOURCES, extensionScopes, scopeFor } from '../model/index.js';

export function authorizationServerMetadata(config: Pick<Config, 'PUBLIC_URL'>) {
  const base = config.PUBLIC_URL;
  return {
    issuer: base,
    authorization_endpoint: `${base}/connect`,
    token_endpoint: `${base}/oauth2/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    revocation_endpoint: `${base}/oauth2/revoke`,
    introspection_endpoint: `${base}/oauth2/introspect`,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'web_message'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    // Contract scopes, then our extensions (e.g. passthrough), which the Affix contract does not have.
    scopes_supported: (['xhr', 'official'] as const).flatMap((mode) => [
      ...RESOURCES.map((r) => scopeFor(mode, r)),
      ...extensionScopes(mode),
    ]),
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/openapi.json`,
  };
}
