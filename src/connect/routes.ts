/**
 * The hosted connect flow: picker → credentials (verified by the provider adapter, with an OTP step when the
 * provider asks) → consent → authorization code → 303 to the client's redirect URI (or, in popup/iframe mode, a
 * page that posts the result to the opener). Every page: `Cache-Control: no-store`, `Referrer-Policy: no-referrer`,
 * a CSP with `frame-ancestors`, no compression (BREACH: secrets beside reflected input).
 *
 * CSRF: every POST carries the flow's random session id and a CSRF token whose hashes are stored server-side
 * (synchronizer token), and cross-site POSTs are refused by `Origin` / `Sec-Fetch-Site`. No cookies are used, so
 * the iframe mode works where third-party cookies are blocked.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthenticationErrorCode } from '../model/index.js';
import { limiterKeys, oauthState } from '../oauth/node-state.js';
import { issueAuthorizationCode } from '../oauth/codes.js';
import { formFields, registerFormParser } from '../oauth/form-body.js';
import { originOf } from '../oauth/redirect-uris.js';
import { ProviderError } from '../providers/errors.js';
import type { ConnectField, Provider } from '../providers/types.js';
import type { Services } from '../services.js';
import type { ClientRecord } from '../store/clients.js';
import { findClient } from '../store/clients.js';
import { findConnection } from '../store/connections.js';
import { activateConnection } from '../store/oauth-tokens.js';
import { adapterFor, storeCredentials, loadCredentials } from '../sync/connections.js';
import { CONNECT_CSS, CONNECT_JS, CONNECT_PAGE_JS, WEB_MESSAGE_JS } from './assets.js';
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
import {
  type ConnectSession,
  abandonSession,
  createSession,
  endSession,
  insertPendingConnection,
  loadSession,
  saveStep,
  sweepExpiredSessions,
} from './session.js';

const PAGE_ROUTE = { schema: { hide: true }, compress: false } as const;

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

function sendError(
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
function finish(
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

function visibleProviders(services: Services, request: AuthorizeRequest, query = ''): Provider[] {
  const q = query.trim().toLowerCase();
  return services.providers.list.filter((p) => {
    if (!p.modes.includes(request.mode)) return false;
    if (request.sandbox && p.id !== 'sandbox') return false;
    if (request.tags.length && !p.tags.some((t) => request.tags.includes(t.toLowerCase()))) return false;
    if (q && !`${p.displayName} ${p.id} ${p.tags.join(' ')}`.toLowerCase().includes(q)) return false;
    return true;
  });
}

function fieldsOf(provider: Provider, request: AuthorizeRequest): ConnectField[] {
  return provider.fields[request.mode] ?? [];
}

/** "Client ID and Client secret": the form's own labels, so an API-key form is not told about a password. */
function fieldNames(fields: ConnectField[]): string {
  const labels = fields.map((f) => f.label);
  if (labels.length < 2) return labels[0] ?? 'sign-in details';
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

function authMessage(
  code: AuthenticationErrorCode | undefined,
  provider: Provider,
  fields: ConnectField[] = [],
): string {
  const name = provider.displayName;
  let text: string;
  switch (code) {
    case 'incorrect_username_or_password':
      text = fields.some((f) => /password/i.test(f.name))
        ? 'The username or password is incorrect.'
        : `${name} did not accept these details. Check the ${fieldNames(fields)}.`;
      break;
    case 'incorrect_mfa_or_otp':
      text = 'That verification code is not correct. Try again.';
      break;
    case 'captcha_challenge':
      text = `${name} asked for a captcha check. Sign in to ${name} in your browser once, then try again.`;
      break;
    case 'no_valid_accounts':
      text = 'This login has no company account that can be connected.';
      break;
    case 'insufficient_permission':
      text = 'This account may not read employee data. Ask an administrator to connect instead.';
      break;
    case 'additional_account_setup_required':
      text = `Your ${name} account needs more setup first. Sign in to ${name} to finish it, then try again.`;
      break;
    case 'reauthentication_required':
      text = 'Your sign-in expired. Try again.';
      break;
    default:
      text = `${name} refused the sign-in.`;
  }
  return `${text} (error code: ${code ?? 'authentication_error'})`;
}

export function registerConnectRoutes(app: FastifyInstance, services: Services): void {
  const asset = (path: string, type: string, body: string) =>
    app.get(path, { schema: { hide: true } }, async (_req, reply) => {
      reply.header('content-type', type);
      reply.header('cache-control', 'public, max-age=300');
      // connect.js is loaded by the client's own pages, on their origin.
      reply.header('cross-origin-resource-policy', 'cross-origin');
      return body;
    });
  asset('/connect/assets/connect.css', 'text/css; charset=utf-8', CONNECT_CSS);
  asset('/connect/assets/connect-page.js', 'text/javascript; charset=utf-8', CONNECT_PAGE_JS);
  asset('/connect/assets/web-message.js', 'text/javascript; charset=utf-8', WEB_MESSAGE_JS);
  asset('/connect.js', 'text/javascript; charset=utf-8', CONNECT_JS);

  app.get('/connect', PAGE_ROUTE, async (req, reply) => {
    await sweepExpiredSessions(services);
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const outcome = await parseAuthorizeRequest(services, rawQuery);
    if (outcome.kind === 'page')
      return sendError(reply, outcome.status, null, outcome.title, outcome.message);
    if (outcome.kind === 'redirect') {
      return finish(services, reply, outcome.client, outcome.request, {
        error: outcome.error,
        description: outcome.description,
      });
    }
    const { request, client } = outcome;
    const { session, sessionId, csrf } = await createSession(services, request);
    const query = new URLSearchParams(rawQuery).get('q') ?? '';
    return renderStep(reply, client, session, { sessionId, csrf }, { query });
  });

  function renderStep(
    reply: FastifyReply,
    client: ClientRecord,
    session: ConnectSession,
    ids: { sessionId: string; csrf: string },
    extra: {
      query?: string;
      searchParams?: Array<[string, string]>;
      error?: string;
      values?: Record<string, string>;
      status?: number;
    } = {},
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

  app.register(async (scope) => {
    registerFormParser(scope);

    /** Common start of every POST: form, CSRF, session, client; `cancel` ends the flow with access_denied. */
    async function begin(req: FastifyRequest, reply: FastifyReply) {
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
      const client = session ? await findClient(services.store, session.request.clientId) : undefined;
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
      return { fields, session, client, ids };
    }

    scope.post('/connect/provider', PAGE_ROUTE, async (req, reply) => {
      const ctx = await begin(req, reply);
      if (!ctx) return reply;
      const { fields, session, client, ids } = ctx;
      if (session.step !== 'pick') return renderStep(reply, client, session, ids);
      const chosen = visibleProviders(services, session.request).find((p) => p.id === fields.provider);
      if (!chosen) return renderStep(reply, client, session, ids, { status: 400 });
      await saveStep(services, session, { step: 'credentials', provider: chosen.id });
      return renderStep(reply, client, session, ids);
    });

    scope.post('/connect/credentials', PAGE_ROUTE, async (req, reply) => {
      const ctx = await begin(req, reply);
      if (!ctx) return reply;
      const { fields, session, client, ids } = ctx;
      if (session.step !== 'credentials') return renderStep(reply, client, session, ids);
      const provider = session.provider ? services.providers.find(session.provider) : undefined;
      if (!provider) return renderStep(reply, client, session, ids);
      if (fields.action === 'back' && session.request.provider === null) {
        await saveStep(services, session, { step: 'pick', provider: null });
        return renderStep(reply, client, session, ids);
      }

      const limiter = oauthState(services).connectForm;
      const keys = limiterKeys(client.id, req.ip);
      const wait = limiter.retryAfter(keys);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return sendError(
          reply,
          429,
          client,
          'Too many attempts',
          `Too many sign-in attempts. Wait ${Math.ceil(wait / 60)} minute(s) and try again.`,
        );
      }

      const declared = fieldsOf(provider, session.request);
      const credentials: Record<string, string> = {};
      const values: Record<string, string> = {};
      for (const f of declared) {
        const v = fields[f.name];
        if (v === undefined) {
          if (f.required) {
            return renderStep(reply, client, session, ids, {
              status: 422,
              error: `${f.label} is required.`,
              values,
            });
          }
          continue;
        }
        if (v.length > 4096 || (f.pattern && !new RegExp(`^(?:${f.pattern})$`).test(v))) {
          return renderStep(reply, client, session, ids, {
            status: 422,
            error: `${f.label} is not valid.`,
            values,
          });
        }
        credentials[f.name] = v;
        if (!f.secret) values[f.name] = v;
      }

      let connectionId = session.connectionId;
      if (!connectionId) {
        connectionId = await insertPendingConnection(services, {
          clientId: client.id,
          provider: provider.id,
          mode: session.request.mode,
          tags: session.request.tags,
        });
        await saveStep(services, session, { connectionId });
      }
      await storeCredentials(services, connectionId, credentials);
      const outcome = await verify(provider, connectionId, credentials);
      if (outcome === 'ok') {
        await saveStep(services, session, { step: 'consent' });
        return renderStep(reply, client, session, ids);
      }
      if (outcome === 'mfa') {
        await saveStep(services, session, { step: 'otp' });
        return renderStep(reply, client, session, ids);
      }
      if (outcome.counts) limiter.fail(keys);
      return renderStep(reply, client, session, ids, {
        status: outcome.status,
        error: outcome.message,
        values,
      });
    });

    scope.post('/connect/otp', PAGE_ROUTE, async (req, reply) => {
      const ctx = await begin(req, reply);
      if (!ctx) return reply;
      const { fields, session, client, ids } = ctx;
      if (session.step !== 'otp' || !session.connectionId) return renderStep(reply, client, session, ids);
      const provider = session.provider ? services.providers.find(session.provider) : undefined;
      if (!provider) return renderStep(reply, client, session, ids);
      const limiter = oauthState(services).connectForm;
      const keys = limiterKeys(client.id, req.ip);
      const wait = limiter.retryAfter(keys);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        return sendError(
          reply,
          429,
          client,
          'Too many attempts',
          'Too many attempts. Wait a few minutes and try again.',
        );
      }
      const otp = fields.otp?.trim();
      if (!otp || otp.length > 12) {
        return renderStep(reply, client, session, ids, {
          status: 422,
          error: 'Enter the verification code.',
        });
      }
      const connection = await findConnection(services.store, session.connectionId);
      if (!connection) return renderStep(reply, client, session, ids);
      const stored = await loadCredentials(services, connection);
      // The one-time code is used for this check only and never stored.
      const outcome = await verify(provider, session.connectionId, { ...stored, otp });
      if (outcome === 'ok') {
        await saveStep(services, session, { step: 'consent' });
        return renderStep(reply, client, session, ids);
      }
      if (outcome === 'mfa') {
        limiter.fail(keys);
        return renderStep(reply, client, session, ids, {
          status: 401,
          error: authMessage('incorrect_mfa_or_otp', provider),
        });
      }
      if (outcome.counts) limiter.fail(keys);
      return renderStep(reply, client, session, ids, { status: outcome.status, error: outcome.message });
    });

    scope.post('/connect/consent', PAGE_ROUTE, async (req, reply) => {
      const ctx = await begin(req, reply);
      if (!ctx) return reply;
      const { fields, session, client, ids } = ctx;
      if (session.step !== 'consent' || !session.connectionId || fields.decision !== 'allow') {
        return renderStep(reply, client, session, ids);
      }
      await activateConnection(services.store, session.connectionId);
      const code = await issueAuthorizationCode(services, {
        clientId: client.id,
        connectionId: session.connectionId,
        redirectUri: session.request.redirectUri,
        redirectUriSent: session.request.redirectUriSent,
        codeChallenge: session.request.codeChallenge,
        scopes: session.request.scopes,
      });
      await endSession(services, session);
      return finish(services, reply, client, session.request, { code });
    });
  });

  type VerifyOutcome = 'ok' | 'mfa' | { status: number; message: string; counts: boolean };

  async function verify(
    provider: Provider,
    connectionId: string,
    credentials: Record<string, string>,
  ): Promise<VerifyOutcome> {
    const connection = await findConnection(services.store, connectionId);
    if (!connection)
      return { status: 410, message: 'This connection attempt expired. Start again.', counts: false };
    try {
      await adapterFor(services, provider, connection, credentials).verify();
      return 'ok';
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      switch (err.kind) {
        case 'mfa_required':
          return 'mfa';
        case 'authentication':
          return {
            status: 401,
            message: authMessage(err.options.code, provider, provider.fields[connection.mode] ?? []),
            counts: true,
          };
        case 'rate_limited':
        case 'unavailable':
          return {
            status: 503,
            message: `${provider.displayName} is not reachable right now. Try again in a minute.`,
            counts: false,
          };
        default:
          return {
            status: 502,
            message: `${provider.displayName} answered in a way we did not understand. Try again later.`,
            counts: false,
          };
      }
    }
  }
}
