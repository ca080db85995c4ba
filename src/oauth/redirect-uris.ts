/**
 * Redirect URI rules (OAuth 2.1 §2.3, RFC 9700 §4.1): absolute, no fragment, https — or http only on a loopback
 * host for native and local development. Matching at the authorization endpoint is byte-for-byte.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Why a URI cannot be registered, or undefined when it can. */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > 2000) return 'is longer than 2000 characters';
  if (uri.includes('#')) return 'must not contain a fragment';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.username || url.password) return 'must not contain user information';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname) ? undefined : 'must use https (http is allowed only on loopback)';
  }
  return 'must use https (or http on loopback)';
}

export function assertRedirectUris(uris: string[]): void {
  if (uris.length === 0) throw new Error('at least one redirect URI is required');
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new RedirectUriError(`redirect URI ${JSON.stringify(uri)} ${problem}`);
  }
}

export class RedirectUriError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedirectUriError';
  }
}

/** The origin a redirect URI's page runs on: where popup/iframe messages may go, who may frame the page. */
export function originOf(uri: string): string {
  return new URL(uri).origin;
}
