/**
 * Security headers on every response (JSON, errors, 404s, HTML pages that frame themselves) and
 * `/.well-known/security.txt` per RFC 9116.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { API_CSP, registerSecurityHeaders, registerSecurityTxt, securityTxt } from './security.js';

async function app(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ PUBLIC_URL: 'https://affix.test', ...env });
  const a = Fastify();
  registerSecurityHeaders(a, config);
  registerSecurityTxt(a, config);
  a.get('/json', async () => ({ ok: true }));
  a.get('/boom', async () => {
    throw new Error('x');
  });
  a.get('/page', async (_req, reply) => reply.type('text/html').send('<p>hi</p>'));
  a.get('/iframe', async (_req, reply) =>
    reply
      .header('content-security-policy', "default-src 'self'; frame-ancestors https://app.example")
      .type('text/html')
      .send('<p>embedded</p>'),
  );
  await a.ready();
  return a;
}

describe('security headers', () => {
  let a: FastifyInstance;
  afterEach(async () => {
    await a?.close();
  });

  it.each(['/json', '/boom', '/nope'])(
    '%s: nosniff, no-referrer, DENY framing, locked-down CSP, request id',
    async (url) => {
      a = await app();
      const res = await a.inject({ url });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toBe(API_CSP);
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.headers['strict-transport-security']).toBeUndefined(); // dev
    },
  );

  it('HSTS in prod', async () => {
    a = await app({ AFFIX_ENV: 'prod' });
    const res = await a.inject({ url: '/json' });
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });

  it('HTML pages keep their own CSP; a page that allows framers gets no X-Frame-Options (it would override)', async () => {
    a = await app();
    const page = await a.inject({ url: '/page' });
    expect(page.headers['content-security-policy']).toBeUndefined();
    expect(page.headers['x-frame-options']).toBe('DENY');
    const iframe = await a.inject({ url: '/iframe' });
    expect(iframe.headers['content-security-policy']).toContain('frame-ancestors https://app.example');
    expect(iframe.headers['x-frame-options']).toBeUndefined();
  });
});

describe('/.well-known/security.txt (RFC 9116)', () => {
  let a: FastifyInstance;
  afterEach(async () => {
    await a?.close();
  });

  it('serves Contact, Expires (< 1 year, ISO), Preferred-Languages and Canonical as text/plain', async () => {
    a = await app({ SECURITY_CONTACT: 'mailto:security@affix.example' });
    const res = await a.inject({ url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const fields = Object.fromEntries(
      res.body
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    );
    expect(fields.Contact).toBe('mailto:security@affix.example');
    expect(fields['Preferred-Languages']).toBe('en');
    expect(fields.Canonical).toBe('https://affix.test/.well-known/security.txt');
    const expires = Date.parse(fields.Expires ?? '');
    expect(fields.Expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(expires).toBeGreaterThan(Date.now());
    expect(expires - Date.now()).toBeLessThan(365 * 86_400_000);
  });

  it('defaults the contact to security@ the public host; refuses a contact that is not a URI', () => {
    expect(securityTxt(loadConfig({ PUBLIC_URL: 'https://api.acme.io' }))).toContain(
      'Contact: mailto:security@api.acme.io',
    );
    expect(() => loadConfig({ SECURITY_CONTACT: 'security@acme.io' })).toThrow('SECURITY_CONTACT');
  });
});
