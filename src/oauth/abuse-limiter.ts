/**
 * Counts failures (bad client secrets, rejected provider credentials) per key in a sliding window, and blocks a
 * key once it reaches its limit until the oldest failure leaves the window. In memory, per node (one set per
 * `Services`, so two test nodes in one process never share counters): a cluster gets N × the limit, which still
 * stops brute force (see the README's Security section).
 */
export interface LimitRule {
  /** Which keys this rule counts, e.g. `ip`, `client`, `client+ip`. */
  name: string;
  max: number;
  windowMs: number;
}

const MAX_KEYS = 50_000;

export class AbuseLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly rules: LimitRule[]) {}

  /** Seconds until every key is below its limit again; 0 when the attempt may go ahead. */
  retryAfter(keys: Record<string, string | undefined>, now = Date.now()): number {
    let wait = 0;
    for (const rule of this.rules) {
      const key = keys[rule.name];
      if (key === undefined) continue;
      const times = this.window(`${rule.name}:${key}`, rule.windowMs, now);
      if (times.length >= rule.max) {
        const oldest = times[times.length - rule.max] ?? now;
        wait = Math.max(wait, Math.ceil((oldest + rule.windowMs - now) / 1000));
      }
    }
    return wait > 0 ? Math.max(1, wait) : 0;
  }

  fail(keys: Record<string, string | undefined>, now = Date.now()): void {
    if (this.failures.size > MAX_KEYS) this.prune(now);
    for (const rule of this.rules) {
      const key = keys[rule.name];
      if (key === undefined) continue;
      const id = `${rule.name}:${key}`;
      const times = this.window(id, rule.windowMs, now);
      times.push(now);
      this.failures.set(id, times);
    }
  }

  private window(id: string, windowMs: number, now: number): number[] {
    const times = (this.failures.get(id) ?? []).filter((t) => t > now - windowMs);
    if (times.length === 0) this.failures.delete(id);
    else this.failures.set(id, times);
    return times;
  }

  private prune(now: number): void {
    const longest = Math.max(...this.rules.map((r) => r.windowMs));
    for (const [id, times] of this.failures) {
      if (!times.some((t) => t > now - longest)) this.failures.delete(id);
    }
  }
}

/** The node's limiters; `createServices` makes one set. */
export interface AbuseLimiters {
  /** Failed client authentications (token, introspection, revocation, management Basic). */
  clientAuth: AbuseLimiter;
  /** Credentials the provider refused on the connect page. */
  connectForm: AbuseLimiter;
}

/**
 * What the rules count and block, chosen so that an attacker can only lock out themselves:
 * - a client's secret is guessed per (client, IP): 10 failures block that client from that IP only, so a correct
 *   secret from any other address still works (no rule blocks a client everywhere);
 * - made-up client ids are counted per IP and block only further made-up ids from it: a known client with its
 *   right secret on the same IP is unaffected (ids are 128 random bits, so enumerating them is the only use);
 * - an end user's sign-in is counted per (client, account, IP), where the account is what the user typed to
 *   identify themselves (never the secret), plus a wider per-IP ceiling: one user's wrong passwords never lock out
 *   the other users of the app.
 */
export function createAbuseLimiters(): AbuseLimiters {
  return {
    clientAuth: new AbuseLimiter([
      { name: 'client+ip', max: 10, windowMs: 5 * 60_000 },
      { name: 'unknown-client-ip', max: 30, windowMs: 5 * 60_000 },
    ]),
    connectForm: new AbuseLimiter([
      { name: 'account+ip', max: 10, windowMs: 15 * 60_000 },
      { name: 'ip', max: 60, windowMs: 15 * 60_000 },
    ]),
  };
}

/** One client authentication attempt against the limits: how long to wait first, and how to count a failure. */
export interface Attempt {
  /** Seconds until this attempt may be made; 0 when it may go ahead now. */
  wait: number;
  fail(): void;
}

/** A client authentication by `clientId` from `ip`; `known` says whether such a client exists. */
export function clientAuthAttempt(
  limiter: AbuseLimiter,
  clientId: string | undefined,
  known: boolean,
  ip: string,
): Attempt {
  const keys =
    known && clientId !== undefined ? { 'client+ip': `${clientId}|${ip}` } : { 'unknown-client-ip': ip };
  return { wait: limiter.retryAfter(keys), fail: () => limiter.fail(keys) };
}

/** An end user's attempt on the connect form: `account` identifies who is signing in, never their secret. */
export function connectFormAttempt(
  limiter: AbuseLimiter,
  clientId: string,
  account: string,
  ip: string,
): Attempt {
  const keys = { 'account+ip': `${clientId}|${account}|${ip}`, ip };
  return { wait: limiter.retryAfter(keys), fail: () => limiter.fail(keys) };
}
