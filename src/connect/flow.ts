/**
 * What every step of the connect flow shares: the page's security headers, rendering the session's current step,
 * the error page, ending the flow at the client, and the common start of every POST (form, cross-site check,
 * session and CSRF token, cancel). Kept in one place so each step's file holds only that step's decisions.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formFields } from '../oauth/form-body.js';
import { originOf } from '../oauth/redirect-uris.js';
import type { ConnectField, Provider } from '../providers/types.js';
import type { Services } from '../services.js';
import type { ClientRecord } from '../store/clients.js';
import { type AuthorizeRequest, callbackUrl, parseAuthorizeRequest } from './authorize-request.js';
import {
  type FormContext,
  consentPage,
  credentialsPage,
  errorPage,
  otpPage,
  pickerPage,
  webMessagePage,
} from './pages.js';
import { type ConnectSession, abandonSession, loadSession, unstoredSession } from './session.js';

export const PAGE_ROUTE = { schema: { hide: true }, compress: false } as const;

interface PageSecurity {
  nonce: string;
  client: ClientRecord | null;
  request?: Pick<AuthorizeRequest, 'redirectUri' | 'display'> | null;
}

function pageHeaders(reply: FastifyReply, s: PageSecurity): void {
  const frameAncestors =
    s.request?.display === 'iframe' && s.client
      ? [...new Set(s.client.redirectUris.map(originOf))].join(' ')
      : "'none'";
  const formAction = ["'self'", s.request ? originOf(s.request.redirectUri) : ''].filter(Boolean).join(' ');
  let logoSrc = '';
  if (s.client?.logoUrl?.startsWith('https://')) logoSrc = ` ${new URL(s.client.logoUrl).origin}`;
  reply.header(
    'content-security-policy',
    [
      "default-src 'none'",
      `style-src 'self' 'nonce-${s.nonce}'`,
      "script-src 'self'",
      `img-src 'self' data:${logoSrc}`,
      `form-action ${formAction}`,
      `frame-ancestors ${frameAncestors}`,
      "base-uri 'none'",
    ].join('; '),
  );
  reply.header('cache-control', 'no-store');
  reply.header('pragma', 'no-cache');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('content-type', 'text/html; charset=utf-8');
}

const newNonce = () => randomBytes(16).toString('base64');

/**
 * An error page. `title` and `message` are for the person in front of it; `code` (snake_case) and `detail` are for
 * the app's developer and stay in the markup, never in the visible text.
 */
export interface PageError {
  title: string;
  message: string;
  code: string;
  detail?: string;
}

export function sendError(
  reply: FastifyReply,
  status: number,
  client: ClientRecord | null,
  error: PageError,
) {
  const nonce = newNonce();
  pageHeaders(reply, { nonce, client });
  return reply.code(status).send(errorPage({ client, nonce, ...error }));
}

const EXPIRED: PageError = {
  title: 'This page has expired',
  message: 'Go back to the app that sent you here and start connecting again.',
  code: 'session_expired',
};

/** Ends the flow at the client: a 303 to the redirect URI, or the web-message page in popup/iframe mode. */
export function finish(
  services: Services,
  reply: FastifyReply,
  client: ClientRecord,
  request: Pick<AuthorizeRequest, 'redirectUri' | 'state' | 'responseMode' | 'display'>,
  result: { code: string } | { error: string; description: string },
) {
  const iss = services.config.PUBLIC_URL;
  const params: Record<string, string | null> =
    'code' in result
      ? { authorization_code: result.code, code: result.code, state: request.state, iss }
      : { error: result.error, error_description: result.description, state: request.state, iss };
  if (request.responseMode === 'web_message') {
    const message: Record<string, string> = { name: 'auth-message' };
    if ('code' in result) {
      message.authorizationCode = result.code;
      message.code = result.code;
    } else {
      message.error = result.error;
      message.error_description = result.description;
    }
    if (request.state !== null) message.state = request.state;
    message.iss = iss;
    const nonce = newNonce();
    pageHeaders(reply, { nonce, client, request });
    return reply.code(200).send(
      webMessagePage({
        client,
        nonce,
        targetOrigin: originOf(request.redirectUri),
        message,
        ok: 'code' in result,
      }),
    );
  }
  reply.header('cache-control', 'no-store');
  // 303, never 307: the browser must not re-POST the credentials to the client (RFC 9700 §4.11).
  return reply.code(303).redirect(callbackUrl(request.redirectUri, params), 303);
}

/**
 * Refuses cross-site form posts (defence in depth beside the synchronizer token). Fetch metadata decides when the
 * browser sends it; otherwise the Origin header. Our pages send `Referrer-Policy: no-referrer`, under which a
 * browser's same-origin form post carries `Origin: null`, so `null` alone proves nothing either way.
 */
function crossSite(services: Services, req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return false;
  const allowed = new Set([
    new URL(services.config.PUBLIC_URL).origin,
    `${req.protocol}://${req.headers.host}`,
  ]);
  return !allowed.has(origin);
}

/**
 * The authorization request as query parameters again: the picker's search form re-sends them, and a flow that is
 * not stored carries them in its forms.
 */
function requestParams(r: AuthorizeRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [['client_id', r.clientId]];
  if (r.redirectUriSent) out.push(['redirect_uri', r.redirectUri]);
  out.push(['response_type', 'code'], ['mode', r.mode], ['scope', r.scopes.join(' ')]);
  if (r.provider !== null) out.push(['provider', r.provider]);
  if (r.state !== null) out.push(['state', r.state]);
  if (r.sandbox) out.push(['sandbox', 'true']);
  if (r.tags.length) out.push(['tags', r.tags.join(' ')]);
  if (r.codeChallenge) out.push(['code_challenge', r.codeChallenge], ['code_challenge_method', 'S256']);
  if (r.responseMode !== 'query') out.push(['response_mode', r.responseMode]);
  if (r.display !== 'page') out.push(['display', r.display]);
  return out;
}

export function visibleProviders(services: Services, request: AuthorizeRequest, query = ''): Provider[] {
  const q = query.trim().toLowerCase();
  return services.providers.list.filter((p) => {
    if (!p.modes.includes(request.mode)) return false;
    if (request.sandbox && p.id !== 'sandbox') return false;
    if (request.tags.length && !p.tags.some((t) => request.tags.includes(t.toLowerCase()))) return false;
    if (q && !`${p.displayName} ${p.id} ${p.tags.join(' ')}`.toLowerCase().includes(q)) return false;
    return true;
  });
}

export function fieldsOf(provider: Provider, request: AuthorizeRequest): ConnectField[] {
  return provider.fields[request.mode] ?? [];
}

/**
 * What a step's page may add: the picker's search, a form error (its code for developers, the one field at fault
 * if there is one) with the values to keep, the status.
 */
export interface StepExtra {
  query?: string;
  searchParams?: Array<[string, string]>;
  error?: string;
  errorCode?: string;
  invalidField?: string;
  values?: Record<string, string>;
  status?: number;
}

/** What an unstored flow's forms carry: the request, and the provider when the user chose it. */
function carriedFields(session: ConnectSession): Array<[string, string]> {
  if (session.stored) return [];
  const out: Array<[string, string]> = [
    ['request', new URLSearchParams(requestParams(session.request)).toString()],
  ];
  if (session.provider && session.request.provider === null) out.push(['chosen_provider', session.provider]);
  return out;
}

const formError = (extra: StepExtra) =>
  extra.error
    ? {
        error: {
          message: extra.error,
          code: extra.errorCode ?? 'invalid_input',
          ...(extra.invalidField ? { field: extra.invalidField } : {}),
        },
      }
    : {};

/** The page of the session's current step (the picker when no provider is chosen yet). */
export function renderStep(
  services: Services,
  reply: FastifyReply,
  client: ClientRecord,
  session: ConnectSession,
  ids: { sessionId: string; csrf: string },
  extra: StepExtra = {},
) {
  const nonce = newNonce();
  pageHeaders(reply, { nonce, client, request: session.request });
  const ctx: FormContext = {
    client,
    nonce,
    ...ids,
    carried: carriedFields(session),
    withPicker: session.request.provider === null,
  };
  reply.code(extra.status ?? 200);
  const provider = session.provider ? services.providers.find(session.provider) : undefined;
  if (session.step === 'pick' || !provider) {
    const searchParams = extra.searchParams ?? requestParams(session.request);
    return reply.send(
      pickerPage(ctx, {
        providers: visibleProviders(services, session.request, extra.query),
        query: extra.query ?? '',
        searchParams,
      }),
    );
  }
  switch (session.step) {
    case 'credentials':
      return reply.send(
        credentialsPage(ctx, {
          provider,
          mode: session.request.mode,
          fields: fieldsOf(provider, session.request),
          ...formError(extra),
          ...(extra.values ? { values: extra.values } : {}),
          canGoBack: session.request.provider === null,
        }),
      );
    case 'otp':
      return reply.send(otpPage(ctx, { provider, mode: session.request.mode, ...formError(extra) }));
    case 'consent':
      return reply.send(
        consentPage(ctx, { provider, mode: session.request.mode, scopes: session.request.scopes }),
      );
  }
}

/**
 * Common start of every POST: form, CSRF, session, client; `cancel` ends the flow with access_denied. `render`
 * shows the session's current step.
 */
export async function beginStep(services: Services, req: FastifyRequest, reply: FastifyReply) {
  if (!(req.body instanceof URLSearchParams)) {
    await sendError(reply, 400, null, {
      title: 'This page is not valid',
      message: 'The form was not sent correctly. Go back and try again.',
      code: 'invalid_form',
    });
    return undefined;
  }
  const { fields } = formFields(req.body);
  if (crossSite(services, req)) {
    await sendError(reply, 403, null, {
      title: 'Request refused',
      message: 'This form was sent from another site.',
      code: 'cross_site_post',
    });
    return undefined;
  }
  const found = await loadSession(services, fields.session, fields.csrf);
  const session = found === 'absent' ? await carriedSession(services, fields) : found;
  const client = session ? await services.store.clients.find(session.request.clientId) : undefined;
  if (!session || !client) {
    await sendError(reply, 403, null, EXPIRED);
    return undefined;
  }
  const ids = { sessionId: fields.session as string, csrf: fields.csrf as string };
  if (fields.action === 'cancel' || fields.decision === 'deny') {
    await abandonSession(services, session);
    await finish(services, reply, client, session.request, {
      error: 'access_denied',
      description: fields.decision === 'deny' ? 'the user denied access' : 'the user cancelled',
    });
    return undefined;
  }
  const render = (extra?: StepExtra) => renderStep(services, reply, client, session, ids, extra);
  const expired = () => sendError(reply, 403, client, EXPIRED);
  return { fields, session, client, render, expired };
}

/**
 * The flow a form carries before anything is stored: its request is checked again exactly as `GET /connect`
 * checks it (so a changed one is just another authorization request), and the chosen provider must be one that
 * request may show. Undefined when either fails.
 */
async function carriedSession(
  services: Services,
  fields: Record<string, string | undefined>,
): Promise<ConnectSession | undefined> {
  const { session: sessionId, csrf, request: query, chosen_provider: chosen } = fields;
  if (!sessionId || !csrf || query === undefined) return undefined;
  const outcome = await parseAuthorizeRequest(services, query);
  if (outcome.kind !== 'ok') return undefined;
  const { request } = outcome;
  let provider = request.provider;
  if (provider === null && chosen !== undefined) {
    if (!visibleProviders(services, request).some((p) => p.id === chosen)) return undefined;
    provider = chosen;
  }
  return unstoredSession(sessionId, csrf, request, provider);
}
