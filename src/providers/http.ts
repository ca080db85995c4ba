/**
 * Provider HTTP through undici: connect/read timeouts, bounded concurrency per connection, retries with backoff on
 * 429/5xx honouring `Retry-After`, a client-side rate limit so we never exceed the provider's documented limit, and
 * no blind redirects. Maps failures to ProviderError so routes answer the contract's codes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { ProviderError } from './errors.js';
import type { PassthroughRequest, PassthroughResponse, ProviderContext } from './types.js';

export interface ProviderHttpOptions {
  baseUrl: string;
  /** Called before each request (and after a 401 with `refreshed=true` once) to add auth headers. */
  authHeaders?: (refreshed: boolean) => Promise<Record<string, string>> | Record<string, string>;
  /** Most requests in flight at once for this connection. */
  concurrency?: number;
  /** Client-side limit: at most `requests` per `perMs`. */
  rateLimit?: { requests: number; perMs: number };
  connectTimeoutMs?: number;
  /** Time to first byte and between body chunks. */
  readTimeoutMs?: number;
  retries?: number;
  /** Longest Retry-After we are willing to wait before giving up with 503. */
  maxRetryAfterMs?: number;
  /** Require https (prod). Loopback emulators are plain http in tests. */
  requireTls?: boolean;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  /** Told about every request sent (retries each count), with its outcome and how long it took. */
  metrics?: ProviderCallSink;
  /**
   * How the provider's `X-RateLimit-Reset` reads, for a 429 without `Retry-After`: its documented unit (default
   * `guess`, see `RateLimitResetUnit`) and a margin added to the wait so the retry lands inside the new window.
   */
  rateLimitReset?: { unit: RateLimitResetUnit; marginMs?: number };
}

/**
 * The unit of a provider's numeric `X-RateLimit-Reset`: a moment (`epoch-seconds`, `epoch-milliseconds`) or a wait
 * (`seconds`, `milliseconds`); `guess` reads a number as epoch milliseconds or seconds when it is that large, else as
 * seconds from now. A date is read as a date whatever the unit.
 */
export type RateLimitResetUnit =
  | 'guess'
  | 'epoch-seconds'
  | 'epoch-milliseconds'
  | 'seconds'
  | 'milliseconds';

/** How one request to a provider ended: its status class, or `network_error` when no answer came. */
export type ProviderCallOutcome =
  | 'success'
  | 'client_error'
  | 'rate_limited'
  | 'server_error'
  | 'network_error';

/**
 * Where ProviderHttp reports its calls; the platform binds one to the provider's id (ProviderContext.metrics), so
 * provider code passes it on and never names a metrics library.
 */
export interface ProviderCallSink {
  providerCall(outcome: ProviderCallOutcome, seconds: number): void;
}

function callOutcome(status: number): ProviderCallOutcome {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'success';
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Send body as application/x-www-form-urlencoded instead of JSON. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /**
   * Goes ahead of the requests waiting for a concurrency slot: the next page of a cursor chain that everything else
   * follows from (one at a time, so it cannot starve the others).
   */
  urgent?: boolean;
}

/** Per-call knobs of `send`. */
export interface SendOptions {
  /** Refuse (502) a response body larger than this many bytes instead of buffering it. */
  maxBytes?: number;
  /** Statuses worth retrying; default 429, 502, 503, 504. Non-idempotent passthrough calls retry only 429. */
  retryStatuses?: readonly number[];
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

/** Tiny semaphore; bounds concurrency for one connection's client. */
class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly max: number) {}
  /** `first`: ahead of those already waiting. */
  async acquire(first = false): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) =>
      first ? this.waiters.unshift(resolve) : this.waiters.push(resolve),
    );
    this.active++;
  }
  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }
}

/**
 * A signal of one call's own that aborts when `signal` does. A connection's signal is shared by every call of a
 * fetch, and each wait or request in flight listens on the signal it is given: handing them the shared one piles
 * one listener per parallel call onto it (Node warns past 10). `AbortSignal.any` links without a listener.
 */
export function callSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  return signal && AbortSignal.any([signal]);
}

/** Waits `ms`; rejects with `unavailable` if `signal` aborts first (listening on a signal of the wait's own). */
export async function waitUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal: callSignal(signal) });
  } catch (cause) {
    throw new ProviderError('unavailable', 'request aborted', { cause });
  }
}

/**
 * Sliding-window limiter: waits until a slot within the window is free. ProviderHttp keeps one for its `rateLimit`;
 * a client whose provider documents several limits (per second and per minute, shared by several endpoints) keeps
 * more and takes them itself.
 */
export class WindowLimiter {
  /** When each request in the window was counted, oldest first (every write is "now", so the order holds). */
  private readonly stamps: Array<{ at: number }> = [];
  constructor(
    private readonly requests: number,
    private readonly perMs: number,
  ) {}

  /**
   * Resolves once a request may go, with its slot; rejects with `unavailable` if `signal` aborts the wait. Call
   * `settle()` on the slot when the provider's answer has arrived: the slot then counts from that moment, which is
   * no earlier than the provider counted the request however long it spent on the way (a busy machine or network
   * delays some requests of a burst more than the next burst's, and a window counted from the send times alone
   * then lets the next burst in early). Unsettled slots count from when they were taken.
   */
  async take(signal?: AbortSignal): Promise<WindowSlot> {
    for (;;) {
      const now = Date.now();
      while (this.stamps.length > 0 && (this.stamps[0]?.at ?? 0) <= now - this.perMs) this.stamps.shift();
      if (this.stamps.length < this.requests) {
        const stamp = { at: now };
        this.stamps.push(stamp);
        return { settle: () => this.settle(stamp) };
      }
      await waitUnlessAborted((this.stamps[0]?.at ?? now) + this.perMs - now + 1, signal);
    }
  }

  private settle(stamp: { at: number }): void {
    const index = this.stamps.indexOf(stamp);
    if (index >= 0) this.stamps.splice(index, 1);
    stamp.at = Date.now();
    this.stamps.push(stamp);
  }
}

/** A request's place in a `WindowLimiter`'s window. */
export interface WindowSlot {
  /** The provider has answered: the slot counts from now. */
  settle(): void;
}

/** The largest provider response a passthrough call buffers (→ 502 beyond it). */
export const PASSTHROUGH_MAX_BYTES = 10 * 1024 * 1024;

/** Response headers a passthrough caller gets back: the content type and the provider's rate-limit signals. */
const PASSTHROUGH_RESPONSE_HEADERS =
  /^(content-type|content-language|retry-after|(x-)?rate-?limit(-[a-z-]+)?)$/i;

/**
 * Why a passthrough `path` is refused, or undefined when it is fine. Stricter than `ProviderHttp.url`: besides
 * leaving the base, it refuses anything a provider or proxy might decode into traversal later — backslashes,
 * control characters, `.`/`..` segments in any percent-decoded form (`%2e%2e`, `%252e%252e`, `..%2f`), a leading
 * `//` (a host) and a scheme-like first segment (`/http:…`).
 */
export function passthroughPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'path must start with /';
  const [rawPath = ''] = path.split('?', 1);
  if (path.includes('#')) return 'path must not contain a fragment (#)';
  let decoded = rawPath;
  for (let round = 0; ; round++) {
    if (hasBackslashOrControl(decoded)) {
      return 'path must not contain backslashes or control characters, encoded or not';
    }
    if (decoded.startsWith('//')) return 'path must not start with // (a host), encoded or not';
    if (/^\/[^/]*:/.test(decoded)) return 'path must not be an absolute URL, encoded or not';
    // `..;x` counts too: some servers (Tomcat) drop `;` parameters before resolving dot segments.
    const dots = (seg: string) => /^\.{1,2}(;.*)?$/.test(seg);
    if (decoded.split('/').some(dots)) {
      return 'path must not contain . or .. segments, encoded or not';
    }
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return 'path has a malformed percent-encoding';
    }
    if (next === decoded) return undefined;
    if (round >= 3) return 'path is percent-encoded too many times';
    decoded = next;
  }
}

function hasBackslashOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c || c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** The passthrough-safe subset of provider response headers, one string each. */
export function passthroughHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || !PASSTHROUGH_RESPONSE_HEADERS.test(name)) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Parsed JSON when the content type says JSON (text if it does not parse), else the text; null when empty. */
function passthroughBody(text: string, contentType: string | string[] | undefined): unknown {
  if (text.length === 0) return null;
  if (!/[/+]json\b/i.test(String(contentType ?? ''))) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); undefined when absent/invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Milliseconds until an `X-RateLimit-Reset` header's moment, read in the provider's declared `unit` (providers
 * disagree: Unix epoch seconds for HiBob and GitHub, milliseconds to wait for Remote, a date for Gusto). Undefined
 * when absent or unreadable.
 */
export function rateLimitResetMs(
  value: string | string[] | undefined,
  now = Date.now(),
  unit: RateLimitResetUnit = 'guess',
): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const n = Number(v);
    const read =
      unit === 'guess' ? (n >= 1e12 ? 'epoch-milliseconds' : n >= 1e9 ? 'epoch-seconds' : 'seconds') : unit;
    switch (read) {
      case 'epoch-milliseconds':
        return Math.max(0, n - now);
      case 'epoch-seconds':
        return Math.max(0, n * 1000 - now);
      case 'seconds':
        return n * 1000;
      case 'milliseconds':
        return n;
    }
  }
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `rateLimitResetMs` in whole seconds (rounded up). */
export function parseRateLimitReset(
  value: string | string[] | undefined,
  now = Date.now(),
  unit: RateLimitResetUnit = 'guess',
): number | undefined {
  const ms = rateLimitResetMs(value, now, unit);
  return ms === undefined ? undefined : Math.ceil(Math.round(ms) / 1000);
}

/**
 * Resolves after a full turn of the event loop: by then a request just made has reached its socket, unless a rate
 * limiter or the concurrency cap holds it. Call it between asking for a page and doing CPU work on the previous one,
 * or the request waits for that work (measured: a 10,000-employee BambooHR walk about 90 ms slower): undici reuses
 * a keep-alive socket only from a `setImmediate` scheduled when the last response ended, so one `setImmediate` of ours
 * can run first; the second runs in the next turn's check phase, after it.
 */
export function requestWritten(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** The transport options every provider client takes on top of its own (tests shorten timeouts and pacing). */
export interface ProviderClientOptions {
  /** Override for tests; production paces to the provider's documented limit. */
  rateLimit?: { requests: number; perMs: number };
  concurrency?: number;
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  retries?: number;
  maxRetryAfterMs?: number;
}

/**
 * The ProviderHttp options every provider client takes the same way from its connection and its client options:
 * timeouts and retries (the client's own first, then PROVIDER_READ_TIMEOUT), TLS, the abort signal and the metrics.
 */
export function connectionHttpOptions(
  ctx: Pick<ProviderContext, 'readTimeoutMs' | 'requireTls' | 'signal' | 'metrics'>,
  options: ProviderClientOptions,
) {
  return {
    readTimeoutMs: options.readTimeoutMs ?? ctx.readTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    retries: options.retries,
    maxRetryAfterMs: options.maxRetryAfterMs,
    requireTls: ctx.requireTls,
    signal: ctx.signal,
    metrics: ctx.metrics,
  };
}

export class ProviderHttp {
  private readonly sem: Semaphore;
  private readonly limiter: WindowLimiter | undefined;
  private readonly opts: Required<
    Pick<ProviderHttpOptions, 'connectTimeoutMs' | 'readTimeoutMs' | 'retries' | 'maxRetryAfterMs'>
  > &
    ProviderHttpOptions;

  constructor(options: ProviderHttpOptions) {
    // Clients forward their own optional settings as `key: undefined`; a plain spread would let those erase the
    // defaults (no read timeout, unbounded retries), so only defined values override.
    const given = Object.fromEntries(
      Object.entries(options).filter(([, v]) => v !== undefined),
    ) as ProviderHttpOptions;
    this.opts = {
      connectTimeoutMs: 5_000,
      readTimeoutMs: 30_000,
      retries: 3,
      maxRetryAfterMs: 30_000,
      ...given,
    };
    if (this.opts.requireTls && !options.baseUrl.startsWith('https://')) {
      throw new ProviderError('unavailable', 'provider base URL must use https');
    }
    this.sem = new Semaphore(options.concurrency ?? 4);
    this.limiter = options.rateLimit
      ? new WindowLimiter(options.rateLimit.requests, options.rateLimit.perMs)
      : undefined;
  }

  /**
   * How long an answer asks us to wait, in ms: `Retry-After`, else (a 429) the rate-limit window's
   * `X-RateLimit-Reset` in the provider's declared unit, plus its margin.
   */
  private retryAfterMs(status: number, headers: HttpResponse['headers']): number | undefined {
    const retryAfter = parseRetryAfter(headers['retry-after']);
    if (retryAfter !== undefined || status !== 429)
      return retryAfter === undefined ? undefined : retryAfter * 1000;
    const reset = this.opts.rateLimitReset;
    const ms = rateLimitResetMs(headers['x-ratelimit-reset'], Date.now(), reset?.unit);
    return ms === undefined ? undefined : ms + (reset?.marginMs ?? 0);
  }

  /** Resolves `path` under the base URL; refuses anything that would escape it (passthrough safety). */
  url(path: string, query?: HttpRequest['query']): URL {
    const base = new URL(this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : `${this.opts.baseUrl}/`);
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
      throw new ProviderError('invalid_request', 'absolute URLs are not allowed');
    }
    const url = new URL(path.replace(/^\/+/, ''), base);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new ProviderError('invalid_request', 'path escapes the provider API base');
    }
    const given = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
    if (given.length > 0) {
      // Set on a detached copy and written back once: each `url.searchParams.set` re-serializes the whole query,
      // which for a path carrying a long filter (a hundred ids) costs more than the request's own work.
      const params = new URLSearchParams(url.search);
      for (const [k, v] of given) params.set(k, String(v));
      url.search = params.toString();
    }
    return url;
  }

  /** JSON request with retries; throws ProviderError on failure statuses other than those in `accept`. */
  async json<T = unknown>(req: HttpRequest, accept: number[] = []): Promise<HttpResponse<T>> {
    const res = await this.send(req);
    const okStatus = (res.status >= 200 && res.status < 300) || accept.includes(res.status);
    if (!okStatus) throw this.errorFor(res.status, res.headers);
    if (res.text.length === 0) return { status: res.status, headers: res.headers, body: undefined as T };
    try {
      return { status: res.status, headers: res.headers, body: JSON.parse(res.text) as T };
    } catch (cause) {
      throw new ProviderError('bad_response', 'provider returned malformed JSON', { cause });
    }
  }

  /**
   * Passthrough: `req.path` checked by `passthroughPathProblem` (→ `invalid_request`) before anything is sent,
   * `auth` headers over the caller's, the body capped at `PASSTHROUGH_MAX_BYTES` (→ `bad_response`). Answers the
   * provider's status, safe headers and body; only a 401 throws (the credentials are unusable, as for every
   * route). `observe` sees the full response first (e.g. to adopt a rotated token).
   */
  async passthrough(
    req: PassthroughRequest,
    options: {
      auth?: Record<string, string>;
      observe?: (res: HttpResponse<never>) => Promise<void> | void;
      maxBytes?: number;
    } = {},
  ): Promise<PassthroughResponse> {
    const problem = passthroughPathProblem(req.path);
    if (problem) throw new ProviderError('invalid_request', problem);
    const method = req.method ?? 'GET';
    const idempotent = method === 'GET' || method === 'PUT' || method === 'DELETE';
    const res = await this.send(
      {
        method,
        path: req.path,
        query: req.query,
        body: req.body,
        headers: { ...req.headers, ...options.auth },
      },
      { maxBytes: options.maxBytes ?? PASSTHROUGH_MAX_BYTES, retryStatuses: idempotent ? undefined : [429] },
    );
    if (res.status === 401) throw this.errorFor(res.status, res.headers);
    await options.observe?.(res);
    return {
      status: res.status,
      headers: passthroughHeaders(res.headers),
      body: passthroughBody(res.text, res.headers['content-type']),
    };
  }

  /** Raw request: status, headers and text, after retries; never throws on HTTP status. */
  async send(req: HttpRequest, options: SendOptions = {}): Promise<HttpResponse<never> & { text: string }> {
    const retryStatuses = options.retryStatuses ?? [429, 502, 503, 504];
    let refreshed = false;
    const signal = callSignal(this.opts.signal);
    for (let attempt = 0; ; attempt++) {
      const res = await this.once(req, refreshed, signal, options.maxBytes);
      if (res.status === 401 && this.opts.authHeaders && !refreshed) {
        refreshed = true;
        continue;
      }
      const retryable = retryStatuses.includes(res.status);
      if (!retryable || attempt >= this.opts.retries) return res;
      const retryAfter = this.retryAfterMs(res.status, res.headers);
      const backoff = Math.min(8_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
      const wait = retryAfter ?? backoff;
      if (wait > this.opts.maxRetryAfterMs) return res;
      await sleep(wait, undefined, { signal });
    }
  }

  private async once(
    req: HttpRequest,
    refreshed: boolean,
    signal: AbortSignal | undefined,
    maxBytes?: number,
  ): Promise<HttpResponse<never> & { text: string }> {
    await this.sem.acquire(req.urgent === true);
    // Timed from here: waits for the limiter and the concurrency cap are ours, not the provider's.
    const started = performance.now();
    const report = (outcome: ProviderCallOutcome) =>
      this.opts.metrics?.providerCall(outcome, (performance.now() - started) / 1000);
    let status: number | undefined;
    let slot: WindowSlot | undefined;
    try {
      // Stamped in the window once a slot is free, right before sending: a request stamped earlier and then held
      // by the concurrency cap reaches the provider later than its stamp says, into the provider's next window.
      slot = await this.limiter?.take(signal);
      const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
      if (this.opts.authHeaders) Object.assign(headers, await this.opts.authHeaders(refreshed));
      let body: string | undefined;
      if (req.form) {
        body = new URLSearchParams(req.form).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else if (req.body !== undefined) {
        body = JSON.stringify(req.body);
        headers['content-type'] = 'application/json';
      }
      const res = await request(this.url(req.path, req.query), {
        method: req.method ?? 'GET',
        headers,
        body,
        dispatcher: this.opts.dispatcher ?? sharedAgent,
        headersTimeout: this.opts.readTimeoutMs,
        bodyTimeout: this.opts.readTimeoutMs,
        signal,
      });
      status = res.statusCode;
      // Capped (a passthrough): the bytes as sent. Else JSON to parse: as undici's `text()` reads it.
      const text = await readBody(
        res.body,
        res.headers['content-length'],
        maxBytes ?? Number.POSITIVE_INFINITY,
        maxBytes === undefined,
      );
      report(callOutcome(res.statusCode));
      return { status: res.statusCode, headers: res.headers, body: undefined as never, text };
    } catch (cause) {
      if (cause instanceof ProviderError) {
        // An answer over the size cap still had its status; a refused path or failed login never left.
        if (status !== undefined) report(callOutcome(status));
        throw cause;
      }
      report('network_error');
      throw new ProviderError('unavailable', 'provider did not answer in time', {
        cause,
        retryAfterSeconds: 30,
      });
    } finally {
      slot?.settle();
      this.sem.release();
    }
  }

  private errorFor(status: number, headers: HttpResponse['headers']): ProviderError {
    if (status === 401) {
      return ProviderError.authentication(
        'reauthentication_required',
        'provider refused the stored credentials',
      );
    }
    if (status === 403) {
      return ProviderError.authentication(
        'insufficient_permission',
        'provider credentials lack a permission',
      );
    }
    if (status === 404) return new ProviderError('not_found', 'provider resource not found');
    if (status === 429) {
      const wait = this.retryAfterMs(status, headers);
      return new ProviderError('rate_limited', 'provider rate limit reached', {
        retryAfterSeconds: wait === undefined ? 60 : Math.max(1, Math.ceil(wait / 1000)),
      });
    }
    if (status >= 300 && status < 400)
      return new ProviderError('bad_response', 'provider redirected unexpectedly');
    return new ProviderError('unavailable', `provider answered ${status}`, {
      retryAfterSeconds: parseRetryAfter(headers['retry-after']) ?? 30,
    });
  }
}

/**
 * The body as UTF-8 text, decoded once: its bytes copied as they arrive into one buffer sized by the declared
 * `content-length` (undici checks the body against it), else joined at the end. `bad_response` (the stream torn
 * down) as soon as it exceeds `maxBytes`. `dropBom`: a leading UTF-8 byte order mark is not part of the text (as
 * undici's `text()` has it; JSON.parse refuses one), else it stays (a passthrough hands on the bytes as sent).
 */
function readBody(
  body: Dispatcher.ResponseData['body'],
  contentLength: string | string[] | undefined,
  maxBytes: number,
  dropBom: boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = typeof contentLength === 'string' ? Number(contentLength) : Number.NaN;
    let buf: Buffer | undefined =
      Number.isSafeInteger(declared) && declared > 0 && declared <= maxBytes
        ? Buffer.allocUnsafe(declared)
        : undefined;
    // Without a usable length (or past it): the chunks, joined once at the end.
    let chunks: Buffer[] | undefined = buf ? undefined : [];
    let size = 0;
    let settled = false;
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (size + chunk.length > maxBytes) {
        settled = true;
        body.destroy();
        reject(new ProviderError('bad_response', `provider response exceeds ${maxBytes} bytes`));
        return;
      }
      if (buf && size + chunk.length <= buf.length) {
        chunk.copy(buf, size);
      } else {
        if (buf) chunks = [buf.subarray(0, size)];
        buf = undefined;
        chunks?.push(chunk);
      }
      size += chunk.length;
    });
    body.once('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    body.once('end', () => {
      if (settled) return;
      settled = true;
      const bytes = buf ?? Buffer.concat(chunks ?? [], size);
      const bom = dropBom && size >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      resolve(bytes.toString('utf8', bom ? 3 : 0, size));
    });
  });
}
