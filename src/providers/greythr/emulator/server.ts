/**
 * A loopback greytHR: the sign-in app at `/uas/portal/auth/login?login_challenge=…` is rendered by JavaScript (as
 * greytHR's Angular `app-login` is), posts JSON with a CSRF header, may ask for an authenticator code, and sets the
 * `access_token` session cookie; the portal's JSON endpoints answer 401 without a live session. Switches: session
 * lifetime, a bot wall (captcha), a changed password, a broken login page (for screenshot tests), the account's
 * role and setup state, the short-page knob, and the shared fault knobs on the `/v3/api` answers. Test tooling
 * only: never imported by production code.
 *
 * Standalone: `node --import tsx src/providers/greythr/emulator/server.ts --port 4020 --employees 200`.
 */
import type { PagedListKnobs } from '../../emulator-faults.js';
import {
  DEFAULT_WEB_APP_KNOBS,
  type WebAppEmulator,
  type WebAppKnobs,
  type WebExchange,
  runWebAppStandalone,
  serveWebApp,
  token,
  totpValid,
} from '../../session/web-app-emulator.js';
import { type GreytData, generate } from './data.js';

export interface GreytKnobs extends WebAppKnobs, Pick<PagedListKnobs, 'shortPage'> {
  brokenLoginPage: boolean;
  role: 'admin' | 'ess';
  /** `password_expired`: the user must set a new password first; `no_company`: no active company. */
  account: 'ok' | 'password_expired' | 'no_company';
}

export type GreytEmulator = WebAppEmulator<
  GreytData,
  GreytKnobs,
  { logins: number; failedLogins: number; api: number; unauthorized: number }
>;

const LOGIN_PATH = '/uas/portal/auth/login';

const LOGIN_SCRIPT = `(() => {
  const root = document.querySelector('app-login');
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const challenge = new URLSearchParams(location.search).get('login_challenge');
  const post = (url, body) => fetch(url, { method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) })
    .then(async (r) => ({ status: r.status, body: await r.json().catch(() => ({})) }));
  const error = (code, text) => { let e = root.querySelector('.error'); if (!e) { e = document.createElement('p');
    e.className = 'error'; root.appendChild(e); } e.dataset.code = code; e.textContent = text; };
  const handle = (res) => {
    if (res.body.status === 'OK') { location.assign(res.body.redirect); return; }
    if (res.body.status === 'MFA') { mfa(); return; }
    error(res.body.code || 'UNKNOWN', res.body.message || 'Sign-in failed');
  };
  const mfa = () => {
    root.innerHTML = '<form id="mfa"><label for="otp">Authenticator code</label>' +
      '<input id="otp" name="otp" autocomplete="one-time-code"><button type="submit">Verify</button></form>';
    root.querySelector('#mfa').addEventListener('submit', (ev) => { ev.preventDefault();
      post('/uas/v1/login/mfa', { otp: root.querySelector('#otp').value, loginChallenge: challenge }).then(handle); });
  };
  setTimeout(() => {
    root.innerHTML = '<form id="login"><input id="username" name="username" placeholder="Employee No / Login ID">' +
      '<input id="password" name="password" type="password" placeholder="Password">' +
      '<button type="submit">Login</button></form>';
    root.querySelector('#login').addEventListener('submit', (ev) => { ev.preventDefault();
      post('/uas/v1/login', { userName: root.querySelector('#username').value,
        password: root.querySelector('#password').value, loginChallenge: challenge }).then(handle); });
  }, 50);
})();`;

export async function startEmulator(
  options: { employees?: number; seed?: number; port?: number; knobs?: Partial<GreytKnobs> } = {},
): Promise<GreytEmulator> {
  const data = generate({ employees: options.employees ?? 40, seed: options.seed ?? 7 });
  const knobs: GreytKnobs = {
    ...DEFAULT_WEB_APP_KNOBS,
    password: 'Greyt#2024',
    shortPage: false,
    brokenLoginPage: false,
    role: 'admin',
    account: 'ok',
    ...options.knobs,
  };
  const stats = { logins: 0, failedLogins: 0, api: 0, unauthorized: 0 };
  const username = data.admin.employeeNo;
  /** CSRF token by pre-session cookie; login challenges waiting for their MFA step. */
  const csrf = new Map<string, string>();
  const awaitingMfa = new Set<string>();

  return serveWebApp({
    site: 'greytHR',
    username,
    data,
    knobs,
    stats,
    ...(options.port !== undefined ? { port: options.port } : {}),
    async handle(x, { sessions, signedIn }) {
      const { url, cookies } = x;
      const live = () => sessions.live(cookies.access_token?.replace(/^ory_at_/, ''));
      const startSession = () =>
        x.json(
          200,
          { status: 'OK', redirect: '/v3/portal/ess/home' },
          { 'set-cookie': `access_token=ory_at_${sessions.open()}; Path=/; HttpOnly; SameSite=Lax` },
        );

      if (url.pathname === '/' || url.pathname === '/v3/portal/ess/home') {
        if (!live()) return x.redirect(`${LOGIN_PATH}?login_challenge=${token()}`);
        return x.page(200, 'Home', `<h1 id="home">Welcome, ${data.admin.name}</h1>`);
      }
      if (url.pathname === LOGIN_PATH) {
        if (knobs.botWall) {
          return x.page(200, 'Login', '<div id="captcha" class="g-recaptcha">Verify you are human</div>');
        }
        if (knobs.brokenLoginPage) return x.page(200, 'Login', '<app-root>Something went wrong</app-root>');
        const pre = token(12);
        const csrfToken = token();
        csrf.set(pre, csrfToken);
        return x.page(
          200,
          'Login',
          '<app-login></app-login><script src="/uas/portal/auth/main.js"></script>',
          {
            head: `<meta name="csrf-token" content="${csrfToken}">`,
            headers: { 'set-cookie': `_csrf=${pre}; Path=/uas; HttpOnly; SameSite=Strict` },
          },
        );
      }
      if (url.pathname === '/uas/portal/auth/main.js') return x.send(200, 'text/javascript', LOGIN_SCRIPT);
      if (url.pathname === '/uas/v1/login' || url.pathname === '/uas/v1/login/mfa') {
        if (x.method !== 'POST') return x.json(405, { status: 'ERROR', code: 'METHOD_NOT_ALLOWED' });
        const expected = csrf.get(cookies._csrf ?? '');
        if (!expected || x.req.headers['x-csrf-token'] !== expected) {
          return x.json(403, { status: 'ERROR', code: 'CSRF', message: 'Session expired, reload the page' });
        }
        const body = x.jsonBody();
        if (!body) return x.json(400, { status: 'ERROR', code: 'BAD_REQUEST' });
        const challenge = String(body.loginChallenge ?? '');
        if (url.pathname === '/uas/v1/login/mfa') {
          if (!awaitingMfa.has(challenge) || !totpValid(knobs.totpSecret, String(body.otp ?? ''))) {
            stats.failedLogins++;
            return x.json(200, { status: 'ERROR', code: 'INVALID_OTP', message: 'Invalid code' });
          }
          awaitingMfa.delete(challenge);
          return startSession();
        }
        if (body.userName !== username || body.password !== knobs.password) {
          stats.failedLogins++;
          return x.json(200, {
            status: 'ERROR',
            code: 'INVALID_CREDENTIALS',
            message: 'Invalid login ID or password',
          });
        }
        if (knobs.account === 'password_expired') {
          return x.json(200, { status: 'ERROR', code: 'PASSWORD_EXPIRED', message: 'Set a new password' });
        }
        if (knobs.account === 'no_company') {
          return x.json(200, { status: 'ERROR', code: 'NO_ACTIVE_COMPANY', message: 'No active company' });
        }
        if (knobs.totpSecret) {
          awaitingMfa.add(challenge);
          return x.json(200, { status: 'MFA' });
        }
        return startSession();
      }
      if (url.pathname.startsWith('/v3/api/')) {
        if (!live()) {
          stats.unauthorized++;
          return x.json(401, { error: 'unauthorized', message: 'Session expired' });
        }
        stats.api++;
        if (!(await signedIn())) return;
        return api(x);
      }
      x.send(404, 'text/plain', 'not found');
    },
  });

  function api({ url, json }: WebExchange) {
    const admin = knobs.role === 'admin';
    if (url.pathname === '/v3/api/user-info') {
      return json(200, {
        ...data.admin,
        companyName: 'Acme Technologies Pvt Ltd',
        roles: admin ? ['ESS', 'HR_ADMIN', 'PAYROLL_ADMIN'] : ['ESS'],
      });
    }
    if (url.pathname === '/v3/api/empinfo/empdir') {
      if (!admin) return json(403, { error: 'forbidden' });
      const page = Math.max(0, Number(url.searchParams.get('page') ?? 0));
      const size = Math.min(100, Math.max(1, Number(url.searchParams.get('size') ?? 25)));
      const rows = data.employees.slice(page * size, (page + 1) * size);
      // The short-page knob: the second page of a multi-page directory lacks its last row.
      const short = knobs.shortPage && page === 1 && data.employees.length > 2 * size;
      return json(200, {
        employees: short ? rows.slice(0, -1) : rows,
        totalElements: data.employees.length,
        page,
        size,
      });
    }
    let m = /^\/v3\/api\/payroll\/months\/(\d+)\/published$/.exec(url.pathname);
    if (m) {
      const id = Number(m[1]);
      if (!admin && id !== data.admin.employeeId) return json(403, { error: 'forbidden' });
      return json(200, { months: data.months, employeeInfo: { employeeId: id } });
    }
    m = /^\/v3\/api\/payroll\/payslip\/(\d+)\/(\d+)\/published$/.exec(url.pathname);
    if (m) {
      if (!admin && Number(m[1]) !== data.admin.employeeId) return json(403, { error: 'forbidden' });
      const slip = data.payslips.get(`${m[1]}/${m[2]}`);
      return slip ? json(200, slip) : json(404, { error: 'not_found', message: 'Payslip not released' });
    }
    json(404, { error: 'not_found' });
  }
}

await runWebAppStandalone(
  import.meta.url,
  'greytHR',
  'PROVIDER_GREYTHR_BASE_URL',
  { port: 4020, employees: 40 },
  startEmulator,
);
