/**
 * The session engine (xhr mode), beside ProviderHttp which it builds on: a connection's provider web session kept
 * as a cookie jar in the sealed connection state, signed into by the provider's declared strategy (HTTP form login
 * or a Chromium page for logins that need JavaScript), and kept alive: a response the provider's `expired` test
 * recognises (a 401, a redirect to the login page, a login form where JSON was expected) triggers one re-login with
 * the stored credentials, after which the request is retried once. The re-login is single-flight per connection on
 * a node (the node's `WebSessionRegistry`) and across nodes (`ctx.exclusive`: a PostgreSQL advisory lock, inside
 * which a node first checks whether another one already signed in, and then only reloads the sealed cookie jar).
 *
 * When a re-login is impossible (no stored password: "keep me signed in" was not ticked; an MFA code that no stored
 * authenticator secret can produce) or refused (the password changed), the state remembers it, reads answer 401
 * `reauthentication_required` without trying again, and `ctx.reauthenticationRequired` is called once.
 */
import type { Page } from 'playwright-core';
import { CookieJar } from 'tough-cookie';
import { type Dispatcher, ProxyAgent, request } from 'undici';
import { ProviderError } from '../errors.js';
import {
  type HttpRequest,
  type ProviderClientOptions,
  ProviderHttp,
  type ProviderHttpOptions,
  parseRetryAfter,
} from '../http.js';
import type { ProviderContext } from '../types.js';
import { type LoginForm, parseForms } from './forms.js';
import { loadSession, saveSession, storeSetCookies } from './jar.js';
import { totpCode } from './totp.js';

/** What the connect form collects for a web login; `otp` only ever for one connect-time check. */
export interface LoginCredentials {
  username: string;
  password?: string;
  otp?: string;
  totp_secret?: string;
}

/** A provider answer as the session sees it. */
export interface WebResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * The error for a data answer that failed (after ProviderHttp's retries): 404 → not_found, 403 →
 * insufficient_permission, 429 → rate_limited and other statuses → unavailable, with the provider's `Retry-After`
 * passed on (30 s without one), as ProviderHttp maps an API's answers.
 */
export function failureOf(res: WebResponse): ProviderError {
  if (res.status === 404) return new ProviderError('not_found', 'provider resource not found');
  if (res.status === 403) {
    return ProviderError.authentication('insufficient_permission', 'the account may not read this');
  }
  return new ProviderError(
    res.status === 429 ? 'rate_limited' : 'unavailable',
    `provider answered ${res.status}`,
    {
      retryAfterSeconds: parseRetryAfter(res.headers['retry-after']) ?? 30,
    },
  );
}

/** A page the HTTP strategy reached, after following redirects. */
export interface FetchedPage extends WebResponse {
  url: string;
  forms: LoginForm[];
}

/** The HTTP strategy's browser-like tools: the connection's jar on every request, redirects followed hop by hop. */
export interface HttpLoginTools {
  get(pathOrUrl: string): Promise<FetchedPage>;
  /** Posts the form: its own fields (hidden ones: CSRF, challenges) overlaid with `values`. */
  submit(form: LoginForm, values: Record<string, string>): Promise<FetchedPage>;
  /** A form post to a path of the provider's own, with extra headers such as a CSRF token. */
  postForm(
    pathOrUrl: string,
    fields: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<FetchedPage>;
  /** A JSON post (SPA login endpoints), with extra headers such as a CSRF token. */
  postJson(pathOrUrl: string, body: unknown, headers?: Record<string, string>): Promise<FetchedPage>;
}

/**
 * How a provider's web app signs in, declared by the provider. The sign-in functions throw ProviderError for every
 * outcome the contract names (wrong password, captcha, no account…) and `mfa_required` when a code is needed and
 * none can be produced; anything else they throw is unexpected (a screenshot is kept, the caller gets 502).
 */
export type WebLogin =
  | {
      strategy: 'http';
      signIn(tools: HttpLoginTools, credentials: LoginCredentials): Promise<void>;
      expired(res: WebResponse): boolean;
    }
  | {
      strategy: 'browser';
      /** Drives `page` (already at nothing) through the login, starting from `baseUrl`. */
      signIn(page: Page, credentials: LoginCredentials, baseUrl: string): Promise<void>;
      expired(res: WebResponse): boolean;
    };

/** The code to answer an MFA step with: the one typed on the connect page, else the authenticator secret's. */
export function mfaCode(credentials: LoginCredentials): string | undefined {
  if (credentials.otp) return credentials.otp;
  if (credentials.totp_secret) return totpCode(credentials.totp_secret);
  return undefined;
}

/** The usual signs of a lost session: 401, a redirect whose target matches `loginPath`, or `loginMarker` in a 200. */
export function expiredBy(loginPath: RegExp, loginMarker?: RegExp): (res: WebResponse) => boolean {
  return (res) => {
    if (res.status === 401) return true;
    if (res.status >= 300 && res.status < 400) return loginPath.test(String(res.headers.location ?? ''));
    return res.status === 200 && loginMarker !== undefined && loginMarker.test(res.text);
  };
}

const proxies = new Map<string, ProxyAgent>();
/** One keep-alive agent per proxy URL, shared by every connection of the provider. */
export function proxyDispatcher(url: string): Dispatcher {
  let agent = proxies.get(url);
  if (!agent) {
    agent = new ProxyAgent({ uri: url });
    proxies.set(url, agent);
  }
  return agent;
}

/** A node's view of its connections' web sessions (on `Services`; per node, never shared between nodes). */
export class WebSessionRegistry {
  /** Re-logins running in this node, by connection. */
  readonly renewals = new Map<string, Promise<void>>();
  /** The newest session generation this node has seen, by connection. */
  readonly generations = new Map<string, number>();
}

/** For adapters built without a node (provider tests): one registry for the process. */
const processRegistry = new WebSessionRegistry();

/** Errors of a session marked "sign in again": its lifecycle event was sent once, when it was marked. */
const endedSessionErrors = new WeakSet<Error>();

const reauthentication = () => {
  const err = ProviderError.authentication(
    'reauthentication_required',
    'the provider session ended; sign in again',
  );
  endedSessionErrors.add(err);
  return err;
};

/** True for the error of a web session that ended (its `connection.reauthentication_required` event is sent). */
export const isEndedSessionError = (err: unknown): boolean =>
  err instanceof Error && endedSessionErrors.has(err);

const MAX_REDIRECTS = 10;

export interface WebSessionOptions {
  ctx: ProviderContext;
  baseUrl: string;
  login: WebLogin;
  /** Knobs of the ProviderHttp that carries the data calls (concurrency, pacing, timeouts). */
  http?: Omit<ProviderHttpOptions, 'baseUrl' | 'authHeaders' | 'dispatcher'>;
}

/** A person's browser tab: a handful of calls in flight, about ten a second. */
export const BROWSER_TAB_PACING = { concurrency: 4, rateLimit: { requests: 10, perMs: 1_000 } };

/**
 * A web app that publishes no limits, paced like a person's browser tab: `tab` changes the default pacing where a
 * provider's pages call more; the client options (tests) override it, and the read timeout falls back to the
 * connection's.
 */
export function browserTabSession(
  o: Omit<WebSessionOptions, 'http'> & {
    tab?: Partial<typeof BROWSER_TAB_PACING>;
    options: ProviderClientOptions;
  },
): WebSession {
  const { tab, options, ...session } = o;
  const pacing = { ...BROWSER_TAB_PACING, ...tab };
  return new WebSession({
    ...session,
    http: {
      concurrency: options.concurrency ?? pacing.concurrency,
      rateLimit: options.rateLimit ?? pacing.rateLimit,
      readTimeoutMs: options.readTimeoutMs ?? session.ctx.readTimeoutMs,
      retries: options.retries,
    },
  });
}

export class WebSession {
  private jar: CookieJar | undefined;
  private generation = 0;
  private readonly http: ProviderHttp;
  private readonly dispatcher: Dispatcher | undefined;

  constructor(private readonly options: WebSessionOptions) {
    const { ctx } = options;
    this.dispatcher = ctx.proxyUrl ? proxyDispatcher(ctx.proxyUrl) : undefined;
    this.http = new ProviderHttp({
      baseUrl: options.baseUrl,
      requireTls: ctx.requireTls,
      readTimeoutMs: ctx.readTimeoutMs,
      signal: ctx.signal,
      metrics: ctx.metrics,
      ...options.http,
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
    });
  }

  private get connectionId(): string {
    return this.options.ctx.connectionId;
  }

  private get registry(): WebSessionRegistry {
    return this.options.ctx.webSessions ?? processRegistry;
  }

  /**
   * A fresh sign-in with `credentials` (the connect page's check): outcomes surface as thrown ProviderErrors, the
   * session's cookies are stored, and any earlier "reauthentication required" mark is cleared.
   */
  async signIn(credentials: LoginCredentials = this.credentials()): Promise<void> {
    const stored = (await loadSession(this.options.ctx.state)).stored;
    const jar = await this.runLogin(credentials);
    const { generations } = this.registry;
    const generation = Math.max(stored?.generation ?? 0, generations.get(this.connectionId) ?? 0) + 1;
    await saveSession(this.options.ctx.state, jar, { generation, reauthenticationRequired: false });
    generations.set(this.connectionId, generation);
    this.jar = jar;
    this.generation = generation;
  }

  /** A data call with the session's cookies; signs in again once if the provider says the session is gone. */
  async send(req: HttpRequest): Promise<WebResponse> {
    await this.load();
    for (let attempt = 0; ; attempt++) {
      const used = this.generation;
      const res = await this.once(req);
      if (!this.options.login.expired(res)) return res;
      if (attempt >= 1) {
        throw new ProviderError('bad_response', 'the provider refused a session it had just opened');
      }
      await this.renew(used);
    }
  }

  /** `send`, then the body as JSON; other failures map as ProviderHttp maps them. */
  async json<T>(req: HttpRequest, accept: number[] = []): Promise<{ status: number; body: T }> {
    const res = await this.send({ ...req, headers: { accept: 'application/json', ...req.headers } });
    if ((res.status < 200 || res.status >= 300) && !accept.includes(res.status)) throw failureOf(res);
    try {
      return { status: res.status, body: JSON.parse(res.text) as T };
    } catch (cause) {
      throw new ProviderError('bad_response', 'provider returned malformed JSON', { cause });
    }
  }

  private credentials(): LoginCredentials {
    const c = this.options.ctx.credentials;
    return {
      username: c.username ?? '',
      ...(c.password ? { password: c.password } : {}),
      ...(c.otp ? { otp: c.otp } : {}),
      ...(c.totp_secret ? { totp_secret: c.totp_secret } : {}),
    };
  }

  private async load(): Promise<void> {
    if (this.jar) return;
    const { jar, stored } = await loadSession(this.options.ctx.state);
    if (stored?.reauthenticationRequired) throw reauthentication();
    this.jar = jar;
    this.generation = stored?.generation ?? 0;
  }

  private async once(req: HttpRequest): Promise<WebResponse> {
    const jar = this.jar as CookieJar;
    const url = this.http.url(req.path, req.query).toString();
    const cookie = await jar.getCookieString(url);
    const res = await this.http.send({ ...req, headers: { ...req.headers, ...(cookie ? { cookie } : {}) } });
    await storeSetCookies(jar, url, res.headers['set-cookie']);
    return res;
  }

  /**
   * The session used by a request sent at generation `used` is gone: adopt a newer one (another adapter or node
   * signed in meanwhile), join this node's re-login of the connection, or start it.
   */
  private async renew(used: number): Promise<void> {
    const id = this.connectionId;
    const { renewals, generations } = this.registry;
    if ((generations.get(id) ?? 0) <= used) {
      let run = renewals.get(id);
      if (!run) {
        run = this.reloginOnce(used).finally(() => renewals.delete(id));
        renewals.set(id, run);
      }
      await run;
    }
    const { jar, stored } = await loadSession(this.options.ctx.state);
    if (stored?.reauthenticationRequired) throw reauthentication();
    this.jar = jar;
    this.generation = stored?.generation ?? this.generation;
  }

  /** The re-login under the connection's cluster-wide lock, when the node has one. */
  private async reloginOnce(used: number): Promise<void> {
    const { exclusive } = this.options.ctx;
    if (!exclusive) return this.relogin(used);
    try {
      return await exclusive('session.web/relogin', () => this.relogin(used));
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      // The lock was not free in time (another node's sign-in hangs) or the database failed: retry later.
      throw new ProviderError('unavailable', 'the provider session is being renewed elsewhere', {
        cause: err,
        retryAfterSeconds: 30,
      });
    }
  }

  private async relogin(used: number): Promise<void> {
    const { state } = this.options.ctx;
    const { stored } = await loadSession(state);
    if (stored?.reauthenticationRequired) throw reauthentication();
    if ((stored?.generation ?? 0) > used) {
      // Another node signed in since our request went out: its sealed jar is reloaded by the caller.
      this.registry.generations.set(this.connectionId, stored?.generation ?? 0);
      return;
    }
    const { otp: _once, ...credentials } = this.credentials();
    if (!credentials.password) return this.giveUp();
    try {
      await this.signIn(credentials);
    } catch (err) {
      // Refused (password changed), or an MFA step we cannot answer: only the user can sign in now.
      if (err instanceof ProviderError && (err.kind === 'authentication' || err.kind === 'mfa_required')) {
        return this.giveUp();
      }
      throw err;
    }
  }

  private async giveUp(): Promise<never> {
    const { state } = this.options.ctx;
    const { jar, stored } = await loadSession(state);
    await saveSession(state, jar, { generation: stored?.generation ?? 0, reauthenticationRequired: true });
    await this.options.ctx.reauthenticationRequired?.();
    throw reauthentication();
  }

  private async runLogin(credentials: LoginCredentials): Promise<CookieJar> {
    const jar = new CookieJar();
    const { login, ctx } = this.options;
    if (login.strategy === 'http') {
      await login.signIn(this.httpTools(jar), credentials);
      return jar;
    }
    if (!ctx.browsers) throw new ProviderError('unavailable', 'no browser is configured for web logins');
    try {
      await this.browserLogin(ctx.browsers, jar, credentials);
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      // The pool had no free page in time, or Chromium would not start: ours, not the provider's.
      throw new ProviderError('unavailable', 'no browser page is free for the sign-in', {
        cause: err,
        retryAfterSeconds: 30,
      });
    }
    return jar;
  }

  private async browserLogin(
    browsers: NonNullable<ProviderContext['browsers']>,
    jar: CookieJar,
    credentials: LoginCredentials,
  ): Promise<void> {
    const { login, baseUrl, ctx } = this.options;
    if (login.strategy !== 'browser') return;
    await browsers.withPage(
      async (page, context) => {
        try {
          await login.signIn(page, credentials, baseUrl);
        } catch (err) {
          if (err instanceof ProviderError) throw err;
          // Unexpected: the page did not look as the login expects. Kept (sealed, 5 days) for the operator.
          const png = await page.screenshot({ fullPage: true }).catch(() => undefined);
          if (png) await ctx.screenshot?.(png);
          throw new ProviderError('bad_response', 'the sign-in page did not look as expected', {
            cause: err,
          });
        }
        for (const c of await context.cookies()) {
          const parts = [`${c.name}=${c.value}`, `Path=${c.path}`];
          if (c.expires > 0) parts.push(`Expires=${new Date(c.expires * 1000).toUTCString()}`);
          if (c.httpOnly) parts.push('HttpOnly');
          if (c.secure) parts.push('Secure');
          const host = c.domain.replace(/^\./, '');
          const origin = new URL(baseUrl);
          await jar.setCookie(
            parts.join('; '),
            `${origin.protocol}//${host}${origin.port ? `:${origin.port}` : ''}/`,
            {
              ignoreError: true,
            },
          );
        }
      },
      // A page step waits at most the provider read timeout (15 s by default).
      {
        timeoutMs: Math.min(ctx.readTimeoutMs ?? 15_000, 15_000),
        ...(ctx.proxyUrl ? { proxy: ctx.proxyUrl } : {}),
      },
    );
  }

  private httpTools(jar: CookieJar): HttpLoginTools {
    const { baseUrl, ctx } = this.options;
    const go = async (
      start: string,
      init: { method: 'GET' | 'POST'; body?: string; headers?: Record<string, string> },
    ): Promise<FetchedPage> => {
      let url = new URL(start, baseUrl).toString();
      let { method, body, headers } = init;
      for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        if (ctx.requireTls && !url.startsWith('https://')) {
          throw new ProviderError('bad_response', 'the sign-in redirected to a plain-http page');
        }
        const cookie = await jar.getCookieString(url);
        let res: Dispatcher.ResponseData;
        try {
          res = await request(url, {
            method,
            headers: { accept: 'text/html,application/json', ...headers, ...(cookie ? { cookie } : {}) },
            body,
            headersTimeout: ctx.readTimeoutMs ?? 30_000,
            bodyTimeout: ctx.readTimeoutMs ?? 30_000,
            ...(ctx.signal ? { signal: ctx.signal } : {}),
            ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
          });
        } catch (cause) {
          throw new ProviderError('unavailable', 'the sign-in page did not answer', {
            cause,
            retryAfterSeconds: 30,
          });
        }
        const text = await res.body.text();
        await storeSetCookies(jar, url, res.headers['set-cookie']);
        const location = res.headers.location;
        if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
          url = new URL(location, url).toString();
          // 307/308 repeat the request; the others turn into a GET, as browsers do.
          if (res.statusCode !== 307 && res.statusCode !== 308) {
            method = 'GET';
            body = undefined;
            headers = undefined;
          }
          continue;
        }
        return { status: res.statusCode, headers: res.headers, text, url, forms: parseForms(text, url) };
      }
      throw new ProviderError('bad_response', 'the sign-in redirected too many times');
    };
    return {
      get: (pathOrUrl) => go(pathOrUrl, { method: 'GET' }),
      submit: (form, values) => {
        const fields = new URLSearchParams({ ...form.fields, ...values }).toString();
        return form.method === 'GET'
          ? go(`${form.action.split('?')[0]}?${fields}`, { method: 'GET' })
          : go(form.action, {
              method: 'POST',
              body: fields,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            });
      },
      postForm: (pathOrUrl, fields, headers = {}) =>
        go(pathOrUrl, {
          method: 'POST',
          body: new URLSearchParams(fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        }),
      postJson: (pathOrUrl, payload, headers = {}) =>
        go(pathOrUrl, {
          method: 'POST',
          body: JSON.stringify(payload),
          headers: { 'content-type': 'application/json', ...headers },
        }),
    };
  }
}
