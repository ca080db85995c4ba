/**
 * Security headers on every response, and `/.well-known/security.txt` (RFC 9116).
 *
 * Every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, HSTS in prod. Framing is
 * refused with `X-Frame-Options: DENY` unless the route already set a CSP with `frame-ancestors` (the connect
 * page's iframe mode lists the client's origins there; XFO cannot express that and would override it). JSON and
 * other non-HTML responses get a CSP that allows nothing, so a reflected value can never run as a page.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const HSTS = 'max-age=63072000; includeSubDomains';
/** security.txt says when it stops being valid; a rolling date keeps it fresh without a deploy. */
const SECURITY_TXT_VALIDITY_MS = 180 * 86_400_000;

/** The headers every response carries, also those written straight to the socket (src/http/client-errors.ts). */
export function baseSecurityHeaders(prod: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': API_CSP,
    'x-frame-options': 'DENY',
    ...(prod ? { 'strict-transport-security': HSTS } : {}),
  };
}

export function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'AFFIX_ENV'>): void {
  const prod = config.AFFIX_ENV === 'prod';
  // A plain (not async) hook: it runs on every response, and an async one costs a promise and a tick each time.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    let csp = reply.getHeader('content-security-policy');
    if (csp === undefined) {
      const type = String(reply.getHeader('content-type') ?? '');
      if (!type.startsWith('text/html')) {
        reply.header('content-security-policy', API_CSP);
        csp = API_CSP;
      }
    }
    const allowsFraming = csp !== API_CSP && /frame-ancestors\s+(?!'none')/.test(String(csp ?? ''));
    if (!allowsFraming && !reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    if (prod) reply.header('strict-transport-security', HSTS);
    done(null, payload);
  });
}

export function securityTxt(
  config: Pick<Config, 'PUBLIC_URL' | 'SECURITY_CONTACT'>,
  now = Date.now(),
): string {
  const contact = config.SECURITY_CONTACT ?? `mailto:security@${new URL(config.PUBLIC_URL).hostname}`;
  const expires = new Date(now + SECURITY_TXT_VALIDITY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    `Contact: ${contact}`,
    `Expires: ${expires}`,
    'Preferred-Languages: en',
    `Canonical: ${config.PUBLIC_URL}/.well-known/security.txt`,
    '',
  ].join('\n');
}

export function registerSecurityTxt(
  app: FastifyInstance,
  config: Pick<Config, 'PUBLIC_URL' | 'SECURITY_CONTACT'>,
): void {
  app.get('/.well-known/security.txt', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', 'text/plain; charset=utf-8');
    reply.header('cache-control', 'public, max-age=86400');
    return securityTxt(config);
  });
}
