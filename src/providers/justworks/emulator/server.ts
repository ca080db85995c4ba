/**
 * A loopback Justworks (`secure.justworks.com`): a server-rendered sign-in page whose CSRF token is in a hydration
 * block, a form post of username and password with the `x-csrf-token` header, an optional authenticator step at
 * `/tfa`, the `_justworks_session` cookie with a lifetime, and signed-in pages that embed their data as hydration
 * JSON (a lost session redirects to `/login`). Switches: session lifetime, bot wall, changed password, role,
 * account setup, latency. Test tooling only: never imported by production code.
 *
 * Standalone: `node --import tsx src/providers/justworks/emulator/server.ts --port 4030 --employees 200`.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import { cookiesOf } from '../../../testing/request-cookies.js';
import { argValue, listenLoopback } from '../../emulator-http.js';
import { type JwData, generate } from './data.js';

export interface JwKnobs {
  password: string;
  totpSecret: string | null;
  sessionTtlMs: number;
  latencyMs: number;
  botWall: boolean;
  role: 'admin' | 'employee';
  /** `setup_required`: the account must finish onboarding before it can use the app. */
  account: 'ok' | 'setup_required';
}

export interface JwEmulator {
  url: string;
  username: string;
  data: JwData;
  knobs: JwKnobs;
  stats: { logins: number; failedLogins: number; pages: number; redirectedToLogin: number };
  expireSessions(): void;
  close(): Promise<void>;
}

/** JSON safe inside a `<script>` element. */
const embed = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const hydration = (key: string, value: unknown) =>
  `<script hydration-key="${key}" type="application/json">${embed(value)}</script>`;
const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title} | Justworks</title></head><body>${body}</body></html>`;

export async function startEmulator(
  options: { employees?: number; seed?: number; port?: number; knobs?: Partial<JwKnobs> } = {},
): Promise<JwEmulator> {
  const data = generate({ employees: options.employees ?? 30, seed: options.seed ?? 5 });
  const username = data.admin.email;
  const knobs: JwKnobs = {
    password: 'Justw0rks!',
    totpSecret: null,
    sessionTtlMs: 30 * 60_000,
    latencyMs: 0,
    botWall: false,
    role: 'admin',
    account: 'ok',
    ...options.knobs,
  };
  const stats = { logins: 0, failedLogins: 0, pages: 0, redirectedToLogin: 0 };
  /** Pre-login sessions: CSRF token, and whether the password step passed (awaiting the code). */
  const pre = new Map<string, { csrf: string; passwordOk: boolean }>();
  let sessions = new Map<string, number>();

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://justworks.local');
    const jar = cookiesOf(req);
    const send = (status: number, body: string, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(body);
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const preSession = pre.get(jar._jw_pre ?? '');
    const csrfOk = () => preSession !== undefined && req.headers['x-csrf-token'] === preSession.csrf;
    const signedIn = () => {
      stats.logins++;
      pre.delete(jar._jw_pre ?? '');
      const sid = randomBytes(24).toString('hex');
      sessions.set(sid, Date.now() + knobs.sessionTtlMs);
      return json(
        200,
        { redirect: '/dashboard' },
        { 'set-cookie': `_justworks_session=${sid}; Path=/; HttpOnly; SameSite=Lax` },
      );
    };

    if (url.pathname === '/login' && req.method === 'GET') {
      if (knobs.botWall) return send(200, page('Verify', '<div class="h-captcha" data-sitekey="x"></div>'));
      const id = randomBytes(12).toString('hex');
      const csrf = randomBytes(24).toString('base64');
      pre.set(id, { csrf, passwordOk: false });
      return send(
        200,
        page(
          'Log in',
          `${hydration('form_authenticity_token', csrf)}<div id="login-root"></div><noscript>` +
            '<form method="post" action="/login"><input name="username"><input type="password" name="password">' +
            '<button class="Button">Log in</button></form></noscript>',
        ),
        { 'set-cookie': `_jw_pre=${id}; Path=/; HttpOnly; SameSite=Lax` },
      );
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      if (!csrfOk()) return json(422, { error: 'invalid_authenticity_token' });
      if (form.get('username') !== username || form.get('password') !== knobs.password) {
        stats.failedLogins++;
        return json(401, { error: 'Invalid username or password' });
      }
      if (knobs.account === 'setup_required') return json(200, { redirect: '/onboarding' });
      if (knobs.totpSecret && preSession) {
        preSession.passwordOk = true;
        return json(200, { redirect: '/tfa' });
      }
      return signedIn();
    }
    if (url.pathname === '/tfa' && req.method === 'GET') {
      if (!preSession?.passwordOk) return send(302, '', { location: '/login' });
      return send(
        200,
        page('Two-factor', hydration('tfaInfo', { methods: ['app'], key: randomBytes(8).toString('hex') })),
      );
    }
    if (url.pathname === '/tfa' && req.method === 'POST') {
      if (!csrfOk() || !preSession?.passwordOk) return json(422, { error: 'invalid_authenticity_token' });
      const valid =
        knobs.totpSecret !== null &&
        new TOTP({ secret: Secret.fromBase32(knobs.totpSecret) }).validate({
          token: form.get('auth_code') ?? '',
          window: 1,
        }) !== null;
      if (form.get('method') !== 'app' || !valid) {
        stats.failedLogins++;
        return json(401, { error: 'Invalid authentication code' });
      }
      return signedIn();
    }
    if (url.pathname === '/onboarding')
      return send(200, page('Finish setting up', '<h1>Finish your account</h1>'));

    // Signed-in pages.
    const until = sessions.get(jar._justworks_session ?? '');
    if (until === undefined || until <= Date.now()) {
      stats.redirectedToLogin++;
      return send(302, '', { location: `/login?redirect_to=${encodeURIComponent(url.pathname)}` });
    }
    stats.pages++;
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    const current = hydration('currentMember', {
      member_uuid: data.admin.member_uuid,
      company_name: 'Acme Corp',
      role: knobs.role,
    });
    const admin = knobs.role === 'admin';
    if (url.pathname === '/dashboard') return send(200, page('Dashboard', `${current}<h1>Home</h1>`));
    if (!admin) return send(403, page('Forbidden', `${current}<h1>You do not have access</h1>`));
    if (url.pathname === '/directory') {
      return send(200, page('Directory', `${current}${hydration('members', data.members)}`));
    }
    if (url.pathname === '/payments') {
      return send(200, page('Payments', `${current}${hydration('payrolls', data.payrolls)}`));
    }
    const m = /^\/payments\/([\w-]+)\/paystubs$/.exec(url.pathname);
    if (m) {
      const stubs = data.paystubs.get(m[1] ?? '');
      if (!stubs) return send(404, page('Not found', '<h1>Not found</h1>'));
      const payroll = data.payrolls.find((p) => p.uuid === m[1]);
      return send(
        200,
        page('Pay stubs', `${current}${hydration('payroll', payroll)}${hydration('paystubs', stubs)}`),
      );
    }
    send(404, page('Not found', '<h1>Not found</h1>'));
  });

  const listening = await listenLoopback(server, options.port);
  return {
    url: listening.url,
    username,
    data,
    knobs,
    stats,
    expireSessions: () => {
      sessions = new Map();
    },
    close: listening.close,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const emu = await startEmulator({
    port: Number(argValue(args, '--port') ?? 4030),
    employees: Number(argValue(args, '--employees') ?? 30),
  });
  console.log(`Justworks emulator on ${emu.url}: login ${emu.username} / ${emu.knobs.password}`);
}
