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

export function createAbuseLimiters(): AbuseLimiters {
  return {
    clientAuth: new AbuseLimiter([
      { name: 'client+ip', max: 10, windowMs: 5 * 60_000 },
      { name: 'ip', max: 30, windowMs: 5 * 60_000 },
      { name: 'client', max: 100, windowMs: 5 * 60_000 },
    ]),
    connectForm: new AbuseLimiter([
      { name: 'client+ip', max: 10, windowMs: 15 * 60_000 },
      { name: 'ip', max: 30, windowMs: 15 * 60_000 },
      { name: 'client', max: 200, windowMs: 15 * 60_000 },
    ]),
  };
}

/** The keys the rules above count: the IP, the client, and the two together. */
export function limiterKeys(clientId: string | undefined, ip: string): Record<string, string | undefined> {
  return {
    ip,
    client: clientId,
    'client+ip': clientId === undefined ? undefined : `${clientId}|${ip}`,
  };
}
