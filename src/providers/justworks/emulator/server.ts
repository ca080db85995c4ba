/**
 * A loopback Justworks (`secure.justworks.com`): a server-rendered sign-in page whose CSRF token is in a hydration
 * block, a form post of username and password with the `x-csrf-token` header, an optional authenticator step at
 * `/tfa`, the `_justworks_session` cookie with a lifetime, and signed-in pages that embed their data as hydration
 * JSON (a lost session redirects to `/login`). Switches: session lifetime, bot wall, changed password, role,
 * account setup, and the shared fault knobs on the signed-in pages (a cut hydration block for malformed JSON). Test tooling only: never imported by production code.
 *
 * Standalone: `node --import tsx src/providers/justworks/emulator/server.ts --port 4030 --employees 200`.
 */
import {
  DEFAULT_WEB_APP_KNOBS,
  type WebAppEmulator,
  type WebAppKnobs,
  embedJson,
  runWebAppStandalone,
  serveWebApp,
  token,
  totpValid,
} from '../../session/web-app-emulator.js';
import { type JwData, generate } from './data.js';

export interface JwKnobs extends WebAppKnobs {
  role: 'admin' | 'employee';
  /** `setup_required`: the account must finish onboarding before it can use the app. */
  account: 'ok' | 'setup_required';
}

export type JwEmulator = WebAppEmulator<
  JwData,
  JwKnobs,
  { logins: number; failedLogins: number; pages: number; redirectedToLogin: number }
>;

/** A hydration block; `json` is the value's JSON text (the exchange's `data` for signed-in data, so faults cut it). */
const hydration = (key: string, value: unknown, json: (value: unknown) => string = embedJson) =>
  `<script hydration-key="${key}" type="application/json">${json(value)}</script>`;

export async function startEmulator(
  options: { employees?: number; seed?: number; port?: number; knobs?: Partial<JwKnobs> } = {},
): Promise<JwEmulator> {
  const data = generate({ employees: options.employees ?? 30, seed: options.seed ?? 5 });
  const knobs: JwKnobs = {
    ...DEFAULT_WEB_APP_KNOBS,
    password: 'Justw0rks!',
    role: 'admin',
    account: 'ok',
    ...options.knobs,
  };
  const stats = { logins: 0, failedLogins: 0, pages: 0, redirectedToLogin: 0 };
  const username = data.admin.email;
  /** Pre-login sessions: CSRF token, and whether the password step passed (awaiting the code). */
  const pre = new Map<string, { csrf: string; passwordOk: boolean }>();

  return serveWebApp({
    site: 'Justworks',
    username,
    data,
    knobs,
    stats,
    ...(options.port !== undefined ? { port: options.port } : {}),
    async handle(x, { sessions, signedIn: delay }) {
      const { url, cookies } = x;
      const page = (title: string, body: string, headers: Record<string, string> = {}) =>
        x.page(200, title, body, { headers });
      const form = x.form();
      const preSession = pre.get(cookies._jw_pre ?? '');
      const csrfOk = () => preSession !== undefined && x.req.headers['x-csrf-token'] === preSession.csrf;
      const signedIn = () => {
        pre.delete(cookies._jw_pre ?? '');
        return x.json(
          200,
          { redirect: '/dashboard' },
          { 'set-cookie': `_justworks_session=${sessions.open()}; Path=/; HttpOnly; SameSite=Lax` },
        );
      };

      if (url.pathname === '/login' && x.method === 'GET') {
        if (knobs.botWall) return page('Verify', '<div class="h-captcha" data-sitekey="x"></div>');
        const id = token(12);
        const csrf = token(24);
        pre.set(id, { csrf, passwordOk: false });
        return page(
          'Log in',
          `${hydration('form_authenticity_token', csrf)}<div id="login-root"></div><noscript>` +
            '<form method="post" action="/login"><input name="username"><input type="password" name="password">' +
            '<button class="Button">Log in</button></form></noscript>',
          { 'set-cookie': `_jw_pre=${id}; Path=/; HttpOnly; SameSite=Lax` },
        );
      }
      if (url.pathname === '/login' && x.method === 'POST') {
        if (!csrfOk()) return x.json(422, { error: 'invalid_authenticity_token' });
        if (form.get('username') !== username || form.get('password') !== knobs.password) {
          stats.failedLogins++;
          return x.json(401, { error: 'Invalid username or password' });
        }
        if (knobs.account === 'setup_required') return x.json(200, { redirect: '/onboarding' });
        if (knobs.totpSecret && preSession) {
          preSession.passwordOk = true;
          return x.json(200, { redirect: '/tfa' });
        }
        return signedIn();
      }
      if (url.pathname === '/tfa' && x.method === 'GET') {
        if (!preSession?.passwordOk) return x.redirect('/login');
        return page('Two-factor', hydration('tfaInfo', { methods: ['app'], key: token(8) }));
      }
      if (url.pathname === '/tfa' && x.method === 'POST') {
        if (!csrfOk() || !preSession?.passwordOk) return x.json(422, { error: 'invalid_authenticity_token' });
        if (form.get('method') !== 'app' || !totpValid(knobs.totpSecret, form.get('auth_code') ?? '')) {
          stats.failedLogins++;
          return x.json(401, { error: 'Invalid authentication code' });
        }
        return signedIn();
      }
      if (url.pathname === '/onboarding') return page('Finish setting up', '<h1>Finish your account</h1>');

      // Signed-in pages.
      if (!sessions.live(cookies._justworks_session)) {
        stats.redirectedToLogin++;
        return x.redirect(`/login?redirect_to=${encodeURIComponent(url.pathname)}`);
      }
      stats.pages++;
      if (!(await delay())) return;
      const embed = (key: string, value: unknown) => hydration(key, value, x.data);
      const current = embed('currentMember', {
        member_uuid: data.admin.member_uuid,
        company_name: 'Acme Corp',
        role: knobs.role,
      });
      const admin = knobs.role === 'admin';
      if (url.pathname === '/dashboard') return page('Dashboard', `${current}<h1>Home</h1>`);
      if (!admin) return x.page(403, 'Forbidden', `${current}<h1>You do not have access</h1>`);
      if (url.pathname === '/directory') {
        return page('Directory', `${current}${embed('members', data.members)}`);
      }
      if (url.pathname === '/payments') {
        return page('Payments', `${current}${embed('payrolls', data.payrolls)}`);
      }
      const m = /^\/payments\/([\w-]+)\/paystubs$/.exec(url.pathname);
      if (m) {
        const stubs = data.paystubs.get(m[1] ?? '');
        if (!stubs) return x.page(404, 'Not found', '<h1>Not found</h1>');
        const payroll = data.payrolls.find((p) => p.uuid === m[1]);
        return page('Pay stubs', `${current}${embed('payroll', payroll)}${embed('paystubs', stubs)}`);
      }
      x.page(404, 'Not found', '<h1>Not found</h1>');
    },
  });
}

await runWebAppStandalone(
  import.meta.url,
  'Justworks',
  'PROVIDER_JUSTWORKS_BASE_URL',
  { port: 4030, employees: 30 },
  startEmulator,
);
