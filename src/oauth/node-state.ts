/**
 * Per-node OAuth state that does not belong in the database: the abuse limiters. Keyed by the Services object so
 * two test nodes in one process never share counters.
 */
import type { Services } from '../services.js';
import { AbuseLimiter } from './abuse-limiter.js';

export interface OAuthNodeState {
  /** Failed client authentications (token, introspection, revocation, management Basic). */
  clientAuth: AbuseLimiter;
  /** Credentials the provider refused on the connect page. */
  connectForm: AbuseLimiter;
}

const states = new WeakMap<object, OAuthNodeState>();

export function oauthState(services: Pick<Services, 'config'>): OAuthNodeState {
  let s = states.get(services);
  if (!s) {
    s = {
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
    states.set(services, s);
  }
  return s;
}

export function limiterKeys(clientId: string | undefined, ip: string): Record<string, string | undefined> {
  return {
    ip,
    client: clientId,
    'client+ip': clientId === undefined ? undefined : `${clientId}|${ip}`,
  };
}
