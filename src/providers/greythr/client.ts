/**
 * greytHR's web app, as its pages call it: the browser sign-in (see README.md) and the portal's JSON endpoints,
 * through the session engine (cookies sealed per connection, re-login when the session ends).
 */
import type { Page } from 'playwright-core';
import { ProviderError } from '../errors.js';
import {
  type LoginCredentials,
  type WebLogin,
  type WebSession,
  browserTabSession,
  expiredBy,
  mfaCode,
} from '../session/web-session.js';
import type { ProviderClientOptions } from '../http.js';
import type { ProviderContext } from '../types.js';
import type { GreytDirectoryEntry, GreytDirectoryPage, GreytMonths, GreytUserInfo } from './raw.js';

export const LOGIN_PATH = '/uas/portal/auth/login';
const PAGE_SIZE = 100;

/** The sign-in app's error codes → the contract's. */
const OUTCOMES: Record<string, Parameters<typeof ProviderError.authentication>[0]> = {
  INVALID_CREDENTIALS: 'incorrect_username_or_password',
  ACCOUNT_LOCKED: 'incorrect_username_or_password',
  INVALID_OTP: 'incorrect_mfa_or_otp',
  CAPTCHA_REQUIRED: 'captcha_challenge',
  PASSWORD_EXPIRED: 'additional_account_setup_required',
  FIRST_LOGIN: 'additional_account_setup_required',
  NO_ACTIVE_COMPANY: 'no_valid_accounts',
};

/** After a submit: the home page, an error, or (after the password only) the MFA step. */
async function outcome(page: Page, step: 'password' | 'mfa'): Promise<'home' | 'mfa'> {
  await page.waitForSelector(step === 'password' ? '#home, .error, #otp' : '#home, .error');
  if (await page.$('#home')) return 'home';
  const error = await page.$('.error');
  if (!error && step === 'password' && (await page.$('#otp'))) return 'mfa';
  const code = (await page.getAttribute('.error', 'data-code')) ?? '';
  const mapped = OUTCOMES[code];
  if (mapped) throw ProviderError.authentication(mapped, `greytHR refused the sign-in (${code})`);
  // An error the login does not know: unexpected, so the page is kept for the operator.
  throw new Error(`greytHR sign-in error ${code || '(no code)'}`);
}

/** greytHR's Angular sign-in page needs JavaScript: the browser strategy. */
export const greytLogin: WebLogin = {
  strategy: 'browser',
  expired: expiredBy(/\/uas\/portal\/auth\/login/, /<app-login\b/),
  async signIn(page: Page, credentials: LoginCredentials, baseUrl: string): Promise<void> {
    await page.goto(new URL('/', baseUrl).toString());
    await page.waitForSelector('#username, #captcha, .g-recaptcha');
    if (await page.$('#captcha, .g-recaptcha')) {
      throw ProviderError.authentication('captcha_challenge', 'greytHR shows a captcha');
    }
    await page.fill('#username', credentials.username);
    await page.fill('#password', credentials.password ?? '');
    await page.click('button[type=submit]');
    if ((await outcome(page, 'password')) === 'home') return;
    const code = mfaCode(credentials);
    if (!code) throw new ProviderError('mfa_required', 'greytHR asks for an authenticator code');
    await page.fill('#otp', code);
    await page.click('button[type=submit]');
    await outcome(page, 'mfa');
  },
};

export function greytBaseUrl(ctx: ProviderContext): string {
  if (ctx.baseUrl) return ctx.baseUrl;
  const sub = ctx.credentials.subdomain ?? '';
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(sub)) {
    throw ProviderError.authentication('incorrect_username_or_password', 'not a greytHR company address');
  }
  return `https://${sub}.greythr.com`;
}

export class GreytClient {
  readonly session: WebSession;

  constructor(ctx: ProviderContext, options: ProviderClientOptions = {}) {
    this.session = browserTabSession({
      ctx,
      baseUrl: greytBaseUrl(ctx),
      login: greytLogin,
      // Unpublished limits: paced like a person's browser tab, whose portal pages call up to twenty a second.
      tab: { rateLimit: { requests: 20, perMs: 1_000 } },
      options,
    });
  }

  async userInfo(): Promise<GreytUserInfo> {
    return (await this.session.json<GreytUserInfo>({ path: '/v3/api/user-info' })).body;
  }

  async directory(): Promise<GreytDirectoryEntry[]> {
    const out: GreytDirectoryEntry[] = [];
    for (let page = 0; ; page++) {
      const { body } = await this.session.json<GreytDirectoryPage>({
        path: '/v3/api/empinfo/empdir',
        query: { page, size: PAGE_SIZE },
      });
      const rows = body.employees ?? [];
      out.push(...rows);
      const total = body.totalElements;
      if (total === undefined ? rows.length < PAGE_SIZE : out.length >= total) return out;
      // A page short of its size while the announced total says more follow: never a silent partial directory.
      if (total !== undefined && rows.length < PAGE_SIZE) {
        throw new ProviderError(
          'bad_response',
          `greytHR directory page ${page} has ${rows.length} of ${PAGE_SIZE} rows while ${total - out.length} more follow`,
        );
      }
    }
  }

  async months(profileId: number): Promise<GreytMonths> {
    return (
      await this.session.json<GreytMonths>({
        path: `/v3/api/payroll/months/${profileId}/published`,
        query: { type: 'payslip' },
      })
    ).body;
  }
}
