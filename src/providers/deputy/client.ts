/**
 * Deputy's web app as its pages use it (README.md has the sources): the HTTP sign-in (a server-rendered form with a
 * hidden CSRF field, then an optional authenticator form) and the `/api/v1` JSON its pages fetch, through the
 * session engine (cookies sealed per connection, re-login when the session ends).
 */
import { ProviderError } from '../errors.js';
import {
  type HttpLoginTools,
  type LoginCredentials,
  type WebLogin,
  type WebSession,
  browserTabSession,
  expiredBy,
  mfaCode,
} from '../session/web-session.js';
import type { ProviderClientOptions } from '../http.js';
import type { ProviderContext } from '../types.js';
import type { DeputyMe, DeputyQuery } from './raw.js';

/** The Resource API's largest page. */
export const QUERY_PAGE = 500;

const CAPTCHA = /cf-turnstile|g-recaptcha|h-captcha/;

/** The sign-in is a plain form post (CSRF as a hidden field): the HTTP strategy. */
export const deputyLogin: WebLogin = {
  strategy: 'http',
  expired: expiredBy(/\/my\/login/, /id="login-form"/),
  async signIn(tools: HttpLoginTools, credentials: LoginCredentials): Promise<void> {
    const page = await tools.get('/my/login');
    if (CAPTCHA.test(page.text))
      throw ProviderError.authentication('captcha_challenge', 'Deputy shows a captcha');
    const form = page.forms.find((f) => f.passwordFields.length > 0);
    // No login form where one belongs: unexpected (the caller answers 502).
    if (!form) throw new ProviderError('bad_response', 'the Deputy login page has no form');
    let after = await tools.submit(form, {
      email: credentials.username,
      password: credentials.password ?? '',
    });
    if (after.forms.some((f) => f.passwordFields.length > 0)) {
      throw ProviderError.authentication('incorrect_username_or_password', 'Deputy refused the password');
    }
    if (new URL(after.url).pathname === '/my/login/2fa') {
      const code = mfaCode(credentials);
      if (!code) throw new ProviderError('mfa_required', 'Deputy asks for an authenticator code');
      const tfa = after.forms.find((f) => 'code' in f.fields || f.action.endsWith('/2fa'));
      if (!tfa) throw new ProviderError('bad_response', 'the Deputy verification page has no form');
      after = await tools.submit(tfa, { code });
      if (new URL(after.url).pathname === '/my/login/2fa') {
        throw ProviderError.authentication('incorrect_mfa_or_otp', 'Deputy refused the code');
      }
    }
    const path = new URL(after.url).pathname;
    if (path === '/my/setup') {
      throw ProviderError.authentication(
        'additional_account_setup_required',
        'the Deputy account needs setup',
      );
    }
    if (path !== '/' || after.status !== 200) {
      throw new ProviderError('bad_response', `Deputy sent the sign-in to ${path} (${after.status})`);
    }
  },
};

/** `https://{install}.{geo}.deputy.com` from the install name the user typed (`acme.au`), unless a base URL is set. */
export function deputyBaseUrl(ctx: ProviderContext): string {
  if (ctx.baseUrl) return ctx.baseUrl;
  const install = (ctx.credentials.install ?? '').toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,62}\.(au|uk|us|eu|na)$/.test(install)) {
    throw ProviderError.authentication('incorrect_username_or_password', 'not a Deputy install address');
  }
  return `https://${install}.deputy.com`;
}

export class DeputyClient {
  readonly session: WebSession;

  constructor(ctx: ProviderContext, options: ProviderClientOptions = {}) {
    // Deputy publishes no limit for its web app: paced like a browser tab.
    this.session = browserTabSession({
      ctx,
      baseUrl: deputyBaseUrl(ctx),
      login: deputyLogin,
      options,
    });
  }

  async me(): Promise<DeputyMe> {
    return (await this.session.json<DeputyMe>({ path: '/api/v1/me' })).body;
  }

  async list<T>(object: string): Promise<T[]> {
    return (await this.session.json<T[]>({ path: `/api/v1/resource/${object}` })).body;
  }

  /** Every row of a Resource API QUERY, 500 at a time. */
  async query<T>(object: string, query: Omit<DeputyQuery, 'start' | 'max'> = {}): Promise<T[]> {
    const out: T[] = [];
    for (let start = 0; ; start += QUERY_PAGE) {
      const { body } = await this.session.json<T[]>({
        method: 'POST',
        path: `/api/v1/resource/${object}/QUERY`,
        body: { ...query, start, max: QUERY_PAGE },
      });
      if (!Array.isArray(body))
        throw new ProviderError('bad_response', `Deputy ${object} QUERY is not a list`);
      out.push(...body);
      if (body.length < QUERY_PAGE) return out;
    }
  }
}
