/**
 * Justworks' web app as its pages use it (README.md has the sources): the HTTP sign-in (CSRF token from the login
 * page's hydration block, a form post, the `/tfa` authenticator step) and the signed-in pages whose hydration
 * blocks carry the data, through the session engine.
 */
import { ProviderError } from '../errors.js';
import {
  type HttpLoginTools,
  type LoginCredentials,
  type WebLogin,
  type WebSession,
  browserTabSession,
  expiredBy,
  failureOf,
  mfaCode,
} from '../session/web-session.js';
import type { ProviderClientOptions } from '../http.js';
import type { ProviderContext } from '../types.js';

export const JUSTWORKS_DEFAULT_BASE_URL = 'https://secure.justworks.com';

/** The JSON of a page's `<script hydration-key="key" type="application/json">` block; undefined when absent. */
export function hydration<T>(html: string, key: string): T | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`hydration-key="${escaped}"[^>]*>([^<]*)</script>`).exec(html);
  if (!m) return undefined;
  try {
    return JSON.parse(m[1] ?? '') as T;
  } catch {
    return undefined;
  }
}

function answer(text: string): { redirect?: string; error?: string } {
  try {
    return JSON.parse(text) as { redirect?: string; error?: string };
  } catch {
    return {};
  }
}

/** The sign-in is a server-rendered form (CSRF in the page): the HTTP strategy. */
export const justworksLogin: WebLogin = {
  strategy: 'http',
  expired: expiredBy(/\/login\b/, /hydration-key="form_authenticity_token"/),
  async signIn(tools: HttpLoginTools, credentials: LoginCredentials): Promise<void> {
    const page = await tools.get('/login');
    if (/h-captcha|g-recaptcha|cf-challenge/.test(page.text)) {
      throw ProviderError.authentication('captcha_challenge', 'Justworks shows a captcha');
    }
    const csrf = hydration<string>(page.text, 'form_authenticity_token');
    if (!csrf) throw new ProviderError('bad_response', 'the Justworks login page has no CSRF token');
    const headers = { 'x-csrf-token': csrf, accept: 'application/json' };
    const login = await tools.postForm(
      '/login',
      { username: credentials.username, password: credentials.password ?? '' },
      headers,
    );
    if (login.status === 401) {
      throw ProviderError.authentication('incorrect_username_or_password', 'Justworks refused the password');
    }
    let next = answer(login.text).redirect;
    if (login.status !== 200 || !next) {
      throw new ProviderError('bad_response', `Justworks answered the sign-in with ${login.status}`);
    }
    if (next === '/tfa') {
      const code = mfaCode(credentials);
      if (!code) throw new ProviderError('mfa_required', 'Justworks asks for an authenticator code');
      const tfa = await tools.get('/tfa');
      const info = hydration<{ key?: string }>(tfa.text, 'tfaInfo') ?? {};
      const verified = await tools.postForm(
        '/tfa',
        { method: 'app', auth_code: code, key: info.key ?? '', remember_this_device: 'false' },
        headers,
      );
      if (verified.status === 401) throw ProviderError.authentication('incorrect_mfa_or_otp', 'wrong code');
      next = answer(verified.text).redirect;
    }
    if (next === '/onboarding') {
      throw ProviderError.authentication(
        'additional_account_setup_required',
        'the account must finish onboarding',
      );
    }
    if (next !== '/dashboard')
      throw new ProviderError('bad_response', `Justworks sent the sign-in to ${next}`);
  },
};

export class JustworksClient {
  readonly session: WebSession;

  constructor(ctx: ProviderContext, options: ProviderClientOptions = {}) {
    // No published limits for the web app: paced like a person's browser tab.
    this.session = browserTabSession({
      ctx,
      baseUrl: ctx.baseUrl ?? JUSTWORKS_DEFAULT_BASE_URL,
      login: justworksLogin,
      options,
    });
  }

  /** The hydration block `key` of the page at `path`; null when the page does not exist (404). */
  async page<T>(path: string, key: string): Promise<T | null> {
    const res = await this.session.send({ path, headers: { accept: 'text/html' } });
    if (res.status === 404) return null;
    if (res.status === 403) {
      throw ProviderError.authentication(
        'insufficient_permission',
        'this Justworks login may not see this page',
      );
    }
    if (res.status !== 200) throw failureOf(res);
    const value = hydration<T>(res.text, key);
    if (value === undefined)
      throw new ProviderError('bad_response', `the Justworks page ${path} has no ${key}`);
    return value;
  }
}
