/**
 * The hosted connect flow: picker → credentials (verified by the provider adapter, with an OTP step when the
 * provider asks) → consent → authorization code → 303 to the client's redirect URI (or, in popup/iframe mode, a
 * page that posts the result to the opener). Every page: `Cache-Control: no-store`, `Referrer-Policy: no-referrer`,
 * a CSP with `frame-ancestors`, no compression (BREACH: secrets beside reflected input).
 *
 * CSRF: every POST carries the flow's random session id and a CSRF token whose hashes are stored server-side once a
 * sign-in is accepted (synchronizer token), and cross-site POSTs are refused by `Origin` / `Sec-Fetch-Site`. Before
 * that the form carries the flow and nothing is stored (see session.ts). No cookies are used, so the iframe mode
 * works where third-party cookies are blocked.
 */
import type { FastifyInstance } from 'fastify';
import { registerFormParser } from '../oauth/form-body.js';
import type { Services } from '../services.js';
import { CONNECT_CSS, CONNECT_JS, CONNECT_PAGE_JS, WEB_MESSAGE_JS } from './assets.js';
import { parseAuthorizeRequest } from './authorize-request.js';
import { registerConsentStep } from './consent.js';
import { registerCredentialsStep } from './credentials.js';
import { PAGE_ROUTE, finish, renderStep, sendError } from './flow.js';
import { registerOtpStep } from './otp.js';
import { registerPickerStep } from './picker.js';
import { startSession } from './session.js';

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
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const outcome = await parseAuthorizeRequest(services, rawQuery);
    if (outcome.kind === 'page') {
      return sendError(reply, outcome.status, null, {
        title: 'This link is not valid',
        message: 'The link that brought you here is incomplete or out of date.',
        code: outcome.code,
        detail: outcome.detail,
      });
    }
    if (outcome.kind === 'redirect') {
      return finish(services, reply, outcome.client, outcome.request, {
        error: outcome.error,
        description: outcome.description,
      });
    }
    const { request, client } = outcome;
    const { session, sessionId, csrf } = startSession(request);
    const query = new URLSearchParams(rawQuery).get('q') ?? '';
    return renderStep(services, reply, client, session, { sessionId, csrf }, { query });
  });

  app.register(async (scope) => {
    registerFormParser(scope);
    registerPickerStep(scope, services);
    registerCredentialsStep(scope, services);
    registerOtpStep(scope, services);
    registerConsentStep(scope, services);
  });
}
