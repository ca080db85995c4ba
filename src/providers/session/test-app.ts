/**
 * A minimal form-login web app for the session engine's own tests (providers have their own emulators): a login
 * form with a CSRF token tied to a pre-session cookie, an optional TOTP step, a session cookie that can be expired,
 * and one JSON endpoint whose answer to a lost session is configurable (401, a redirect to the login page, or the
 * login form in a 200). Not imported by production code.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import { cookiesOf } from '../../testing/request-cookies.js';
import { listenLoopback } from '../emulator-http.js';
import { ProviderError } from '../errors.js';
import {
  type HttpLoginTools,
  type LoginCredentials,
  type WebLogin,
  expiredBy,
  mfaCode,
} from './web-session.js';

export interface FormApp {
  url: string;
  knobs: {
    password: string;
    totpSecret: string | null;
    lost: '401' | 'redirect' | 'form';
    loginDelayMs: number;
  };
  stats: { logins: number; failedLogins: number; data: number };
  /** Forgets every session: the next data call meets the `lost` answer. */
  expireSessions(): void;
  close(): Promise<void>;
}

const page = (body: string) => `<!doctype html><html><body>${body}</body></html>`;

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startFormApp(options: { username?: string; password?: string } = {}): Promise<FormApp> {
  const username = options.username ?? 'ada@example.com';
  const knobs: FormApp['knobs'] = {
    password: options.password ?? 'correct horse',
    totpSecret: null,
    lost: '401',
    loginDelayMs: 0,
  };
  const stats = { logins: 0, failedLogins: 0, data: 0 };
  const csrfByPre = new Map<string, string>();
  const pendingMfa = new Set<string>();
  let sessions = new Set<string>();
  const loginForm = (csrf: string, error = '') =>
    page(
      `${error ? `<p class="error">${error}</p>` : ''}<form method="post" action="/login">` +
        `<input type="hidden" name="_csrf" value="${csrf}"><input name="email"><input type="password" name="pass">` +
        '<button>Sign in</button></form>',
    );
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const jar = cookiesOf(req);
    const html = (status: number, body: string, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { 'content-type': 'text/html', ...headers });
      res.end(body);
    };
    if (url.pathname === '/login' && req.method === 'GET') {
      const pre = randomBytes(8).toString('hex');
      const csrf = randomBytes(8).toString('hex');
      csrfByPre.set(pre, csrf);
      return html(200, loginForm(csrf), { 'set-cookie': `pre=${pre}; Path=/; HttpOnly` });
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = await readForm(req);
      if (knobs.loginDelayMs) await sleep(knobs.loginDelayMs);
      const expected = csrfByPre.get(jar.pre ?? '');
      if (!expected || form.get('_csrf') !== expected) return html(403, page('<p>CSRF check failed</p>'));
      if (form.get('email') !== username || form.get('pass') !== knobs.password) {
        stats.failedLogins++;
        return html(200, loginForm(expected, 'Invalid email or password'));
      }
      if (knobs.totpSecret) {
        const pending = randomBytes(8).toString('hex');
        pendingMfa.add(pending);
        return html(302, '', { location: '/mfa', 'set-cookie': `mfa=${pending}; Path=/; HttpOnly` });
      }
      stats.logins++;
      const sid = randomBytes(12).toString('hex');
      sessions.add(sid);
      return html(302, '', { location: '/home', 'set-cookie': `sid=${sid}; Path=/; HttpOnly` });
    }
    if (url.pathname === '/mfa' && req.method === 'GET') {
      return html(
        200,
        page('<form method="post" action="/mfa"><input name="code"><button>Verify</button></form>'),
      );
    }
    if (url.pathname === '/mfa' && req.method === 'POST') {
      const form = await readForm(req);
      const totp = new TOTP({ secret: Secret.fromBase32(knobs.totpSecret ?? '') });
      if (
        !pendingMfa.has(jar.mfa ?? '') ||
        totp.validate({ token: form.get('code') ?? '', window: 1 }) === null
      ) {
        stats.failedLogins++;
        return html(
          200,
          page(
            '<p class="error">Invalid code</p><form method="post" action="/mfa"><input name="code"></form>',
          ),
        );
      }
      pendingMfa.delete(jar.mfa ?? '');
      stats.logins++;
      const sid = randomBytes(12).toString('hex');
      sessions.add(sid);
      return html(302, '', { location: '/home', 'set-cookie': `sid=${sid}; Path=/; HttpOnly` });
    }
    if (url.pathname === '/home') return html(200, page('<h1>Welcome</h1>'));
    if (url.pathname === '/api/data') {
      if (!sessions.has(jar.sid ?? '')) {
        if (knobs.lost === 'redirect') return html(302, '', { location: '/login?next=%2Fapi%2Fdata' });
        if (knobs.lost === 'form') return html(200, loginForm('stale'));
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"error":"unauthorized"}');
      }
      stats.data++;
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ items: [1, 2, 3] }));
    }
    html(404, page('not found'));
  });
  const listening = await listenLoopback(server);
  return {
    url: listening.url,
    knobs,
    stats,
    expireSessions: () => {
      sessions = new Set();
    },
    close: listening.close,
  };
}

/** The form app's login, as a provider would declare it (HTTP strategy). */
export const formAppLogin: WebLogin = {
  strategy: 'http',
  expired: expiredBy(/\/login/, /type="password"/),
  async signIn(tools: HttpLoginTools, credentials: LoginCredentials): Promise<void> {
    const login = await tools.get('/login');
    const form = login.forms[0];
    if (!form) throw new Error('no login form');
    let after = await tools.submit(form, { email: credentials.username, pass: credentials.password ?? '' });
    if (/Invalid email or password/.test(after.text)) {
      throw ProviderError.authentication('incorrect_username_or_password', 'wrong password');
    }
    if (new URL(after.url).pathname === '/mfa') {
      const code = mfaCode(credentials);
      if (!code) throw new ProviderError('mfa_required', 'a code is needed');
      const mfaForm = after.forms[0];
      if (!mfaForm) throw new Error('no MFA form');
      after = await tools.submit(mfaForm, { code });
      if (/Invalid code/.test(after.text))
        throw ProviderError.authentication('incorrect_mfa_or_otp', 'wrong code');
    }
    if (new URL(after.url).pathname !== '/home') throw new Error(`unexpected page ${after.url}`);
  },
};
