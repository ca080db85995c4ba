/**
 * Provider HTTP through undici: connect/read timeouts, bounded concurrency per connection, retries with backoff on
 * 429/5xx honouring `Retry-After`, a client-side rate limit so we never exceed the provider's documented limit, and
 * no blind redirects. Maps failures to ProviderError so routes answer the contract's codes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import { ProviderError } from './errors.js';

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
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Send body as application/x-www-form-urlencoded instead of JSON. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
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
  async acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active++;
  }
  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }
}

/** Sliding-window limiter: waits until a slot within the window is free. */
class WindowLimiter {
  private readonly stamps: number[] = [];
  constructor(
    private readonly requests: number,
    private readonly perMs: number,
  ) {}
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.perMs) this.stamps.shift();
      if (this.stamps.length < this.requests) {
        this.stamps.push(now);
        return;
      }
      await sleep((this.stamps[0] ?? now) + this.perMs - now + 1);
    }
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

  /** Resolves `path` under the base URL; refuses anything that would escape it (passthrough safety). */
  url(path: string, query?: HttpRequest['query']): URL {
    const base = new URL(this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : `${this.opts.baseUrl}/`);
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
      throw new ProviderError('bad_response', 'absolute URLs are not allowed');
    }
    const url = new URL(path.replace(/^\/+/, ''), base);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new ProviderError('bad_response', 'path escapes the provider API base');
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
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

  /** Raw request (passthrough): status, headers and text, after retries; never throws on HTTP status. */
  async send(req: HttpRequest): Promise<HttpResponse<never> & { text: string }> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const res = await this.once(req, refreshed);
      if (res.status === 401 && this.opts.authHeaders && !refreshed) {
        refreshed = true;
        continue;
      }
      const retryable = res.status === 429 || res.status === 502 || res.status === 503 || res.status === 504;
      if (!retryable || attempt >= this.opts.retries) return res;
      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      const backoff = Math.min(8_000, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
      const wait = retryAfter !== undefined ? retryAfter * 1000 : backoff;
      if (wait > this.opts.maxRetryAfterMs) return res;
      await sleep(wait, undefined, { signal: this.opts.signal });
    }
  }

  private async once(req: HttpRequest, refreshed: boolean): Promise<HttpResponse<never> & { text: string }> {
    await this.limiter?.take();
    await this.sem.acquire();
    try {
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
        signal: this.opts.signal,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers, body: undefined as never, text };
    } catch (cause) {
      if (cause instanceof ProviderError) throw cause;
      throw new ProviderError('unavailable', 'provider did not answer in time', {
        cause,
        retryAfterSeconds: 30,
      });
    } finally {
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
      return new ProviderError('rate_limited', 'provider rate limit reached', {
        retryAfterSeconds: parseRetryAfter(headers['retry-after']) ?? 60,
      });
    }
    if (status >= 300 && status < 400)
      return new ProviderError('bad_response', 'provider redirected unexpectedly');
    return new ProviderError('unavailable', `provider answered ${status}`, {
      retryAfterSeconds: parseRetryAfter(headers['retry-after']) ?? 30,
    });
  }
}
