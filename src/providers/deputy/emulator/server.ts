/**
 * A loopback Deputy install (`{install}.{geo}.deputy.com`): a server-rendered sign-in form whose hidden `_csrf`
 * field is bound to a pre-session cookie, an optional authenticator step (`/my/login/2fa`), the `dp_session` cookie
 * with a lifetime, and the `/api/v1` JSON the web app's pages call (who am I, the Resource API's Employee and
 * Timesheet QUERY with joins and 500-row pages, operational units); a lost session answers those 401. Switches:
 * session lifetime, bot wall (a Turnstile challenge), changed password, role, account state, a slow sign-in, and
 * the shared fault knobs on the `/api/v1` answers (errors in Deputy's `{ error: { code, message } }`). Test tooling
 * only: never imported by production code.
 *
 * Standalone: `node --import tsx src/providers/deputy/emulator/server.ts --port 4040 --employees 200`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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
import type { DeputyQuery } from '../raw.js';
import { type DeputyData, generate } from './data.js';

export interface DeputyKnobs extends WebAppKnobs {
  role: 'System Administrator' | 'Supervisor' | 'Employee';
  /** `setup_required`: the account must finish its setup first; `no_workplace`: it belongs to no workplace. */
  account: 'ok' | 'setup_required' | 'no_workplace';
  /** A slow sign-in: the answer to a correct password (or code) waits this long. */
  loginDelayMs: number;
}

export type DeputyEmulator = WebAppEmulator<
  DeputyData,
  DeputyKnobs,
  { logins: number; failedLogins: number; api: number; unauthorized: number }
>;

/** The Resource API's page limit. */
export const DEPUTY_QUERY_MAX = 500;

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

const loginForm = (csrf: string, error = '') =>
  `${error ? `<div class="alert alert-danger" role="alert">${error}</div>` : ''}` +
  '<form id="login-form" method="post" action="/my/login">' +
  `<input type="hidden" name="_csrf" value="${attr(csrf)}">` +
  '<input type="email" name="email" autocomplete="username"><input type="password" name="password">' +
  '<button type="submit">Log in</button></form>';

const mfaForm = (csrf: string, error = '') =>
  `${error ? `<div class="alert alert-danger" role="alert">${error}</div>` : ''}` +
  '<form id="tfa-form" method="post" action="/my/login/2fa">' +
  `<input type="hidden" name="_csrf" value="${attr(csrf)}">` +
  '<input name="code" inputmode="numeric" autocomplete="one-time-code"><button type="submit">Verify</button></form>';

export async function startEmulator(
  options: {
    employees?: number;
    seed?: number;
    days?: number;
    port?: number;
    knobs?: Partial<DeputyKnobs>;
  } = {},
): Promise<DeputyEmulator> {
  const data = generate({
    employees: options.employees ?? 40,
    seed: options.seed ?? 13,
    ...(options.days !== undefined ? { days: options.days } : {}),
  });
  const knobs: DeputyKnobs = {
    ...DEFAULT_WEB_APP_KNOBS,
    password: 'Dep#uty2024',
    role: 'System Administrator',
    account: 'ok',
    loginDelayMs: 0,
    ...options.knobs,
  };
  const stats = { logins: 0, failedLogins: 0, api: 0, unauthorized: 0 };
  const username = data.admin.email;
  /** Pre-login sessions: the form's CSRF token, and whether the password step passed. */
  const pre = new Map<string, { csrf: string; passwordOk: boolean }>();

  return serveWebApp({
    site: 'Deputy',
    username,
    data,
    knobs,
    stats,
    ...(options.port !== undefined ? { port: options.port } : {}),
    faultBody: (status) => ({
      error: { code: status, message: status === 429 ? 'Too many requests' : 'Service unavailable' },
    }),
    async handle(x, { sessions, signedIn }) {
      const { url, cookies } = x;
      const preSession = pre.get(cookies.dp_pre ?? '');
      const csrfOk = () => preSession !== undefined && x.form().get('_csrf') === preSession.csrf;
      const open = async () => {
        if (knobs.loginDelayMs > 0) await sleep(knobs.loginDelayMs);
        pre.delete(cookies.dp_pre ?? '');
        x.redirect('/#/home', {
          'set-cookie': `dp_session=${sessions.open()}; Path=/; HttpOnly; SameSite=Lax`,
        });
      };

      if (url.pathname === '/my/login' && x.method === 'GET') {
        if (knobs.botWall) {
          return x.page(
            200,
            'Checking your browser',
            '<div class="cf-turnstile" data-sitekey="0x4AAA"></div>',
          );
        }
        const id = token(12);
        const csrf = token(24);
        pre.set(id, { csrf, passwordOk: false });
        return x.page(200, 'Log in', loginForm(csrf), {
          headers: { 'set-cookie': `dp_pre=${id}; Path=/my; HttpOnly; SameSite=Lax` },
        });
      }
      if (url.pathname === '/my/login' && x.method === 'POST') {
        if (!csrfOk() || !preSession) return x.page(403, 'Forbidden', '<p>Invalid CSRF token</p>');
        const form = x.form();
        if (form.get('email')?.toLowerCase() !== username || form.get('password') !== knobs.password) {
          stats.failedLogins++;
          return x.page(200, 'Log in', loginForm(preSession.csrf, 'Incorrect email or password.'));
        }
        if (knobs.account === 'setup_required') return x.redirect('/my/setup');
        if (knobs.totpSecret) {
          preSession.passwordOk = true;
          return x.redirect('/my/login/2fa');
        }
        return open();
      }
      if (url.pathname === '/my/login/2fa') {
        if (!preSession?.passwordOk) return x.redirect('/my/login');
        if (x.method === 'GET') return x.page(200, 'Two-step verification', mfaForm(preSession.csrf));
        if (!csrfOk()) return x.page(403, 'Forbidden', '<p>Invalid CSRF token</p>');
        if (!totpValid(knobs.totpSecret, x.form().get('code') ?? '')) {
          stats.failedLogins++;
          return x.page(200, 'Two-step verification', mfaForm(preSession.csrf, 'That code is not valid.'));
        }
        return open();
      }
      if (url.pathname === '/my/setup')
        return x.page(200, 'Finish setting up', '<h1>Set up your account</h1>');
      if (url.pathname === '/') {
        if (!sessions.live(cookies.dp_session)) return x.redirect('/my/login');
        return x.page(200, 'Home', `<div id="app" data-user="${data.admin.UserId}"></div>`);
      }
      if (url.pathname.startsWith('/api/v1/')) {
        if (!sessions.live(cookies.dp_session)) {
          stats.unauthorized++;
          return x.json(401, {
            error: { code: 401, message: 'Your session has expired. Please log in again.' },
          });
        }
        stats.api++;
        if (!(await signedIn())) return;
        return api(x);
      }
      x.page(404, 'Not found', '<h1>Page not found</h1>');
    },
  });

  function api(x: WebExchange) {
    const { url, json } = x;
    const admin = knobs.role !== 'Employee';
    const forbidden = () => json(403, { error: { code: 403, message: 'You do not have permission' } });
    if (url.pathname === '/api/v1/me') {
      return json(200, {
        Login: username,
        Name: data.admin.name,
        UserId: data.admin.UserId,
        EmployeeId: data.admin.EmployeeId,
        PrimaryEmail: username,
        Company: knobs.account === 'no_workplace' ? null : (data.companies[0]?.Id ?? null),
        Role: knobs.role,
        InProgressTS: null,
      });
    }
    if (url.pathname === '/api/v1/resource/OperationalUnit' && x.method === 'GET') {
      return admin ? json(200, data.units) : forbidden();
    }
    const m = /^\/api\/v1\/resource\/(Employee|Timesheet)\/QUERY$/.exec(url.pathname);
    if (m && x.method === 'POST') {
      if (!admin) return forbidden();
      const q = x.jsonBody() as DeputyQuery | undefined;
      if (!q) return json(400, { error: { code: 400, message: 'Invalid JSON' } });
      const start = Math.max(0, Number(q.start ?? 0));
      const max = Math.min(DEPUTY_QUERY_MAX, Math.max(1, Number(q.max ?? DEPUTY_QUERY_MAX)));
      let rows: Array<Record<string, unknown>> =
        m[1] === 'Employee' ? data.employees.map((e) => ({ ...e })) : data.timesheets.map((t) => ({ ...t }));
      for (const cond of Object.values(q.search ?? {})) {
        const value = (r: Record<string, unknown>) => r[cond.field] as string | number | boolean | null;
        const test: Record<string, (a: unknown, b: unknown) => boolean> = {
          eq: (a, b) => a === b,
          ne: (a, b) => a !== b,
          gt: (a, b) => String(a) > String(b),
          ge: (a, b) => String(a) >= String(b),
          lt: (a, b) => String(a) < String(b),
          le: (a, b) => String(a) <= String(b),
        };
        const fn = test[cond.type];
        if (!fn) return json(400, { error: { code: 400, message: `Unknown search type ${cond.type}` } });
        rows = rows.filter((r) => fn(value(r), cond.data));
      }
      const page = rows.slice(start, start + max);
      if (m[1] === 'Employee') {
        for (const r of page) {
          if (q.join?.includes('ContactObject'))
            r.ContactObject = data.contacts.get(Number(r.Contact)) ?? null;
          if (q.join?.includes('CompanyObject')) {
            r.CompanyObject = data.companies.find((c) => c.Id === r.Company) ?? null;
          }
        }
      }
      return json(200, page);
    }
    json(404, { error: { code: 404, message: 'Not found' } });
  }
}

await runWebAppStandalone(
  import.meta.url,
  'Deputy',
  'PROVIDER_DEPUTY_BASE_URL',
  { port: 4040, employees: 40 },
  startEmulator,
);
