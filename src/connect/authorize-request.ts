/**
 * The authorization request of `/connect`: Affix's query parameters (client_id, redirect_uri, mode, scope or
 * scopes, provider, sandbox, state, tags) plus OAuth's response_type and PKCE. Problems with the client or the
 * redirect URI can never be sent back (the URI is not trusted yet) and show an error page; every other problem goes
 * back to the redirect URI as an RFC 6749 §4.1.2.1 error.
 */
import type { Mode } from '../model/index.js';
import { getClient } from '../oauth/clients.js';
import type { AuthorizeErrorCode } from '../oauth/oauth-error.js';
import { isValidChallenge } from '../oauth/pkce.js';
import { grantableScopes, modeOfScope } from '../oauth/scopes.js';
import type { Services } from '../services.js';
import type { ClientRecord } from '../store/clients.js';

export type Display = 'page' | 'popup' | 'iframe';

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  redirectUriSent: boolean;
  mode: Mode;
  scopes: string[];
  provider: string | null;
  sandbox: boolean;
  state: string | null;
  tags: string[];
  codeChallenge: string | null;
  /** `web_message`: the result is posted to the opener/parent window (connect.js) instead of a redirect. */
  responseMode: 'query' | 'web_message';
  display: Display;
}

export type AuthorizeOutcome =
  | { kind: 'ok'; request: AuthorizeRequest; client: ClientRecord }
  | { kind: 'page'; status: number; code: string; detail: string }
  | {
      kind: 'redirect';
      client: ClientRecord;
      request: Pick<AuthorizeRequest, 'redirectUri' | 'state' | 'responseMode' | 'display'>;
      error: AuthorizeErrorCode;
      description: string;
    };

/**
 * The longest value each parameter may have: room for any honest client, and a bound on what a flow carries in its
 * forms and, once a sign-in is accepted, stores. `tags` counts all its values together; `q` is the picker's search.
 */
export const MAX_PARAM_LENGTH = {
  client_id: 64,
  redirect_uri: 2048,
  state: 2048,
  scope: 1024,
  scopes: 1024,
  tags: 256,
  provider: 64,
  mode: 16,
  response_type: 16,
  response_mode: 16,
  display: 16,
  code_challenge: 128,
  code_challenge_method: 16,
  sandbox: 8,
  q: 200,
} as const;

type Capped = keyof typeof MAX_PARAM_LENGTH;

/** The first parameter longer than its limit (all `tags` values counted together). */
function overLong(params: URLSearchParams): Capped | undefined {
  for (const name of Object.keys(MAX_PARAM_LENGTH) as Capped[]) {
    const length = params.getAll(name).reduce((n, v) => n + v.length, 0);
    if (length > MAX_PARAM_LENGTH[name]) return name;
  }
  return undefined;
}

/** Parses the raw query string (not Fastify's object, which would merge duplicates silently). */
export async function parseAuthorizeRequest(
  services: Pick<Services, 'store' | 'providers'>,
  rawQuery: string,
): Promise<AuthorizeOutcome> {
  const params = new URLSearchParams(rawQuery);
  const count = (k: string) => params.getAll(k).length;
  const one = (k: string) => {
    const v = params.get(k);
    return v === null || v === '' ? undefined : v;
  };

  const tooLong = overLong(params);
  if (count('client_id') > 1 || count('redirect_uri') > 1) {
    return page('the link repeats client_id or redirect_uri');
  }
  // Before any lookup: neither can match a registered value, and the redirect URI is not trusted yet.
  if (tooLong === 'client_id' || tooLong === 'redirect_uri') {
    return page(`${tooLong} is longer than ${MAX_PARAM_LENGTH[tooLong]} characters`);
  }
  const clientId = one('client_id');
  const client = clientId ? await getClient(services, clientId) : undefined;
  if (!client) return page('unknown client_id');
  const sentUri = one('redirect_uri');
  let redirectUri: string;
  if (sentUri !== undefined) {
    // Byte-for-byte: no normalisation of case, trailing slashes or query strings (RFC 9700 §4.1.3).
    if (!client.redirectUris.includes(sentUri)) {
      return page(`redirect_uri is not registered for client ${client.id}`);
    }
    redirectUri = sentUri;
  } else if (client.redirectUris.length === 1 && client.redirectUris[0]) {
    redirectUri = client.redirectUris[0];
  } else {
    return page('no redirect_uri, and the client registered several');
  }

  // An over-long state is not echoed back: the error reaches the client without the value it was refused for.
  const state = tooLong === 'state' ? null : (one('state') ?? null);
  const responseMode = one('response_mode') === 'web_message' ? 'web_message' : 'query';
  const displayParam = one('display');
  const display: Display = displayParam === 'popup' || displayParam === 'iframe' ? displayParam : 'page';
  const back = { redirectUri, state, responseMode, display } as const;
  const fail = (error: AuthorizeErrorCode, description: string): AuthorizeOutcome => ({
    kind: 'redirect',
    client,
    request: back,
    error,
    description,
  });

  for (const k of new Set(params.keys())) {
    if (count(k) > 1 && k !== 'tags') return fail('invalid_request', `parameter ${k} is repeated`);
  }
  if (tooLong) {
    return fail('invalid_request', `${tooLong} is longer than ${MAX_PARAM_LENGTH[tooLong]} characters`);
  }
  const responseType = one('response_type');
  if (responseType !== undefined && responseType !== 'code') {
    return fail('unsupported_response_type', 'only response_type=code is supported');
  }
  const rm = one('response_mode');
  if (rm !== undefined && rm !== 'query' && rm !== 'web_message') {
    return fail('invalid_request', 'response_mode must be query or web_message');
  }

  const challenge = one('code_challenge');
  const method = one('code_challenge_method');
  if (method !== undefined && method !== 'S256') {
    return fail('invalid_request', 'code_challenge_method must be S256');
  }
  if (method !== undefined && challenge === undefined) {
    return fail('invalid_request', 'code_challenge_method without code_challenge');
  }
  if (challenge !== undefined && !isValidChallenge(challenge)) {
    return fail('invalid_request', 'code_challenge must be 43 to 128 unreserved characters');
  }
  // RFC 7636 defaults the method to plain when omitted; plain is refused, so S256 must be said out loud.
  if (challenge !== undefined && method === undefined) {
    return fail('invalid_request', 'code_challenge_method=S256 is required with code_challenge');
  }
  if (client.isPublic && challenge === undefined) {
    return fail('invalid_request', 'public clients must send a PKCE code_challenge');
  }

  const modeParam = one('mode');
  if (modeParam !== undefined && modeParam !== 'xhr' && modeParam !== 'official') {
    return fail('invalid_request', 'mode must be xhr or official');
  }
  const scopeText = one('scope') ?? one('scopes');
  const scopes = [...new Set((scopeText ?? '').split(/[\s,]+/).filter(Boolean))];
  if (scopes.length === 0) return fail('invalid_scope', 'scope is required');
  const modes = new Set(scopes.map(modeOfScope));
  const mode = (modeParam ?? [...modes][0]) as Mode | undefined;
  if (!mode || modes.size !== 1 || !modes.has(mode)) {
    return fail('invalid_scope', 'every scope must belong to the requested mode');
  }
  const grantable = grantableScopes(mode);
  const unknown = scopes.find((s) => !grantable.includes(s));
  if (unknown) return fail('invalid_scope', `unknown scope ${unknown}`);
  // Scope order is irrelevant: keep the canonical order so equal requests grant equal tokens.
  const ordered = grantable.filter((s) => scopes.includes(s));

  const sandbox = ['true', '1', 'yes'].includes((one('sandbox') ?? '').toLowerCase());
  const provider = one('provider') ?? null;
  if (provider !== null) {
    const p = services.providers.find(provider);
    if (!p?.modes.includes(mode))
      return fail('invalid_request', `provider ${provider} does not offer ${mode}`);
    if (sandbox && provider !== 'sandbox')
      return fail('invalid_request', 'sandbox=true works with the sandbox provider');
  }
  const tags = params
    .getAll('tags')
    .flatMap((t) => t.split(/[\s,]+/))
    .filter(Boolean)
    .map((t) => t.toLowerCase());

  return {
    kind: 'ok',
    client,
    request: {
      clientId: client.id,
      redirectUri,
      redirectUriSent: sentUri !== undefined,
      mode,
      scopes: ordered,
      provider,
      sandbox,
      state,
      tags: [...new Set(tags)],
      codeChallenge: challenge ?? null,
      responseMode,
      display,
    },
  };
}

/**
 * A link that cannot be answered at its redirect URI. The person holding it learns only that the link is broken;
 * `detail` (what is wrong, in OAuth's terms) is for the app's developer and stays in the page's markup.
 */
function page(detail: string): AuthorizeOutcome {
  return { kind: 'page', status: 400, code: 'invalid_request', detail };
}

/** `redirect_uri` plus the response parameters, keeping any query the registered URI already has. */
export function callbackUrl(redirectUri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params))
    if (v !== null && v !== undefined) url.searchParams.append(k, v);
  return url.toString();
}
