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
import { type AuthorizeRequest, callbackUrl } from './authorize-request.js';
import {
  type FormContext,
  consentPage,
  credentialsPage,
  errorPage,
  otpPage,
  pickerPage,
  webMessagePage,
} from './pages.js';
import { type ConnectSession, abandonSession, loadSession } from './session.js';

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

export function sendError(
  reply: FastifyReply,
  status: number,
  client: ClientRecord | null,
  title: string,
  message: string,
) {
  const nonce = newNonce();
  pageHeaders(reply, { nonce, client });
  return reply.code(status).send(errorPage({ client, nonce, title, message }));
}

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

/** The authorization request as query parameters again (the picker's search form re-sends them). */
function requestParams(r: AuthorizeRequest): Array<[string, string]> {
  const out: Array<[string, string]> = [['client_id', r.clientId]];
  if (r.redirectUriSent) out.push(['redirect_uri', r.redirectUri]);
  out.push(['response_type', 'code'], ['mode', r.mode], ['scope', r.scopes.join(' ')]);
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

/** What a step's page may add: the picker's search, a form error with the values to keep, the status. */
export interface StepExtra {
  query?: string;
  searchParams?: Array<[string, string]>;
  error?: string;
  values?: Record<string, string>;
  status?: number;
}

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
  const ctx: FormContext = { client, nonce, ...ids, withPicker: session.request.provider === null };
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
          fields: fieldsOf(provider, session.request),
          ...(extra.error ? { error: extra.error } : {}),
          ...(extra.values ? { values: extra.values } : {}),
          canGoBack: session.request.provider === null,
        }),
      );
    case 'otp':
      return reply.send(otpPage(ctx, { provider, ...(extra.error ? { error: extra.error } : {}) }));
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
    await sendError(reply, 400, null, 'This page is not valid', 'The form was not sent correctly.');
    return undefined;
  }
  const { fields } = formFields(req.body);
  if (crossSite(services, req)) {
    await sendError(reply, 403, null, 'Request refused', 'This form was sent from another site.');
    return undefined;
  }
  const session = await loadSession(services, fields.session, fields.csrf);
  const client = session ? await services.store.clients.find(session.request.clientId) : undefined;
  if (!session || !client) {
    await sendError(
      reply,
      403,
      null,
      'This page has expired',
      'Go back to the app that sent you here and start connecting again.',
    );
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
  return { fields, session, client, render };
}
