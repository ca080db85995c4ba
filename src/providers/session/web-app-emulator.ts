/**
 * What the xhr providers' emulators share: a loopback web app whose requests arrive with their URL, cookies and
 * body read, a store of session cookies with a lifetime that a test may shorten or end, the authenticator (TOTP)
 * check, the switches every web login has (password, MFA secret, session lifetime, bot wall), the fault knobs every
 * provider emulator has (emulator-faults.ts: latency, 429 / 5xx every N with Retry-After, hang, malformed JSON) on
 * the signed-in data answers, and the standalone runner. Each provider's emulator supplies only its own pages,
 * endpoints and outcome shapes. Test tooling only: never imported by production code.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import { cookiesOf } from '../../testing/request-cookies.js';
import {
  DEFAULT_FAULT_KNOBS,
  type FaultKnobs,
  faultReply,
  injectedFault,
  truncatedJson,
} from '../emulator-faults.js';
import { listenLoopback, runStandalone, type StandaloneStart } from '../emulator-http.js';

/**
 * The switches of every web-app emulator; a provider's knobs extend them. Read on every request. The fault knobs
 * (FaultKnobs) act on the signed-in data answers only, as the official emulators' act on their data API and not on
 * their token endpoint: the sign-in pages and posts are never delayed, failed or cut.
 */
export interface WebAppKnobs extends FaultKnobs {
  /** The account's password; changing it is the "password changed" switch. */
  password: string;
  /** Base32 TOTP secret; null = no MFA step. */
  totpSecret: string | null;
  /** Lifetime of a session opened from now on. */
  sessionTtlMs: number;
  /** The login page shows a captcha instead of the form. */
  botWall: boolean;
}

/** The knobs every web-app emulator starts with, besides its account's password. */
export const DEFAULT_WEB_APP_KNOBS: Omit<WebAppKnobs, 'password'> = {
  ...DEFAULT_FAULT_KNOBS,
  totpSecret: null,
  sessionTtlMs: 30 * 60_000,
  botWall: false,
};

export type Headers = Record<string, string | string[]>;

/** One request, read, with the ways to answer it. */
export interface WebExchange {
  req: IncomingMessage;
  method: string;
  url: URL;
  cookies: Record<string, string>;
  /** The whole request body as text. */
  body: string;
  send(status: number, type: string, body: string, headers?: Headers): void;
  json(status: number, body: unknown, headers?: Headers): void;
  /** A page: `head` goes inside `<head>` after the title, `body` inside `<body>`. */
  page(status: number, title: string, body: string, options?: { head?: string; headers?: Headers }): void;
  redirect(location: string, headers?: Headers): void;
  /** The request body as a form (`application/x-www-form-urlencoded`). */
  form(): URLSearchParams;
  /** The request body as a JSON object; undefined when it is not one. */
  jsonBody(): Record<string, unknown> | undefined;
  /**
   * `value` as JSON text for a data answer (safe inside a `<script>` element), cut in half under the malformed-JSON
   * knob once the request passed `signedIn`: for data a page embeds. `json` answers with it too.
   */
  data(value: unknown): string;
}

/** Session cookies by value, each with the time it ends. */
export interface WebAppSessions {
  /** Opens a session of `knobs.sessionTtlMs` (counted in `stats.logins`): the cookie value. */
  open(): string;
  /** Whether the cookie value names a session that has not ended. */
  live(id: string | undefined): boolean;
  /** Ends every session now (as if their lifetime had passed). */
  expireAll(): void;
}

/** What a test gets back from any web-app emulator. */
export interface WebAppEmulator<D, K extends WebAppKnobs, S extends { logins: number }> {
  url: string;
  username: string;
  data: D;
  knobs: K;
  stats: S;
  /** Signed-in data requests counted so far (the ones the fault knobs count; sign-in traffic is not). */
  requests(): number;
  /** Ends every session now (as if their lifetime had passed). */
  expireSessions(): void;
  close(): Promise<void>;
}

/** Whether `code` is the current (±1 step) code of `secret`; false without a secret. */
export function totpValid(secret: string | null, code: string): boolean {
  if (!secret) return false;
  return new TOTP({ secret: Secret.fromBase32(secret) }).validate({ token: code, window: 1 }) !== null;
}

/** A random token of `bytes` bytes (hex), for CSRF tokens, pre-session ids and challenges. */
export const token = (bytes = 16): string => randomBytes(bytes).toString('hex');

/** JSON safe inside a `<script>` element. */
export const embedJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function exchange(
  req: IncomingMessage,
  res: http.ServerResponse,
  body: string,
  site: string,
  /** Whether the malformed-JSON knob cuts this request's data (it passed `signedIn` with the knob on). */
  malformed: () => boolean,
): WebExchange {
  const send = (status: number, type: string, text: string, headers: Headers = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
    res.end(text);
  };
  const data = (value: unknown) => {
    const text = embedJson(value);
    return malformed() ? truncatedJson(text) : text;
  };
  return {
    req,
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', 'http://emulator.local'),
    cookies: cookiesOf(req),
    body,
    send,
    json: (status, value, headers) =>
      send(status, 'application/json', status === 200 ? data(value) : JSON.stringify(value), headers),
    data,
    page: (status, title, html, options = {}) =>
      send(
        status,
        'text/html; charset=utf-8',
        `<!doctype html><html><head><title>${title} | ${site}</title>${options.head ?? ''}</head>` +
          `<body>${html}</body></html>`,
        options.headers,
      ),
    redirect: (location, headers = {}) => send(302, 'text/plain', '', { location, ...headers }),
    form: () => new URLSearchParams(body),
    jsonBody: () => {
      try {
        const value = JSON.parse(body) as unknown;
        return value && typeof value === 'object' && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Starts a web-app emulator on loopback `port` (0: any free one). `handle` answers each request; it is given the
 * session store, and `signedIn` to call once a data request's session is found live, before answering it: it
 * counts the request and applies the fault knobs (the latency; a hang; a 429 or 5xx with `Retry-After`, its body
 * `faultBody(status)` in the provider's error shape), and resolves false when the fault answered (the handler then
 * returns). A handler that throws answers 500, as a web app's own bug would.
 */
export async function serveWebApp<D, K extends WebAppKnobs, S extends { logins: number }>(options: {
  /** The product name in page titles. */
  site: string;
  username: string;
  data: D;
  knobs: K;
  stats: S;
  port?: number;
  /** The body of an injected 429 / 5xx in the provider's error shape (default `{ error, message }`). */
  faultBody?: (status: number) => unknown;
  handle(
    x: WebExchange,
    app: { sessions: WebAppSessions; signedIn(): Promise<boolean> },
  ): void | Promise<void>;
}): Promise<WebAppEmulator<D, K, S>> {
  const { knobs, stats } = options;
  const faultBody =
    options.faultBody ??
    ((status: number) => ({
      error: status === 429 ? 'too_many_requests' : 'server_error',
      message: `${status}`,
    }));
  let requests = 0;
  let sessions = new Map<string, number>();
  const store: WebAppSessions = {
    open() {
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, Date.now() + knobs.sessionTtlMs);
      stats.logins++;
      return id;
    },
    live(id) {
      const until = sessions.get(id ?? '');
      return until !== undefined && until > Date.now();
    },
    expireAll() {
      sessions = new Map();
    },
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let gated = false;
    const x = exchange(
      req,
      res,
      Buffer.concat(chunks).toString('utf8'),
      options.site,
      () => gated && knobs.malformedJson,
    );
    const app = {
      sessions: store,
      async signedIn(): Promise<boolean> {
        const n = ++requests;
        // Never answered: the socket stays open until the client gives up or the emulator closes.
        if (knobs.hang) return false;
        if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
        const fault = injectedFault(knobs, n);
        if (fault) {
          const reply = faultReply(fault, knobs, faultBody);
          x.send(reply.status, 'application/json', JSON.stringify(reply.body), reply.headers);
          return false;
        }
        gated = true;
        return true;
      },
    };
    try {
      await options.handle(x, app);
    } catch (err) {
      if (!res.headersSent) x.json(500, { error: 'internal', message: String(err) });
    }
  });
  const listening = await listenLoopback(server, options.port);
  return {
    url: listening.url,
    username: options.username,
    data: options.data,
    knobs,
    stats,
    requests: () => requests,
    expireSessions: store.expireAll,
    close: listening.close,
  };
}

/** Runs a web-app emulator standalone when `moduleUrl` is the script node was started with (`--port`, `--employees`, `--seed`, `--latency`). */
export function runWebAppStandalone(
  moduleUrl: string,
  name: string,
  baseUrlVar: string,
  defaults: { port: number; employees: number },
  start: (
    options: Omit<StandaloneStart, 'args'>,
  ) => Promise<WebAppEmulator<unknown, WebAppKnobs, { logins: number }>>,
): Promise<void> {
  return runStandalone(
    moduleUrl,
    ({ port, employees, seed, knobs }) => start({ port, employees, seed, knobs }),
    (e) => ({
      name,
      url: e.url,
      baseUrl: e.url,
      baseUrlVar,
      lines: { username: e.username, password: e.knobs.password },
    }),
    defaults,
  );
}
