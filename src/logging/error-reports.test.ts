/**
 * Error reports: the real @sentry/node client with SENTRY_DSN pointed at a loopback receiver that accepts Sentry
 * envelopes; what arrives must carry the error type and route, and none of the secrets the error, the request or
 * the breadcrumbs held (headers, cookies, bodies, query secrets, JWT signatures, IPs, user e-mail).
 */
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushErrorReports, initErrorReports, reportError } from './error-reports.js';
import { startSentryReceiver } from './sentry-receiver.js';

const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjb25fMSJ9.SENTRYSIGcanaryQ1w2e3r4t5y6';
const CANARIES = [
  'pw-canary-8812',
  'cookie-canary-5521',
  'SENTRYSIGcanary',
  'body-canary-7',
  'hdr-canary-3',
  'q-canary-9',
  'user@canary.example',
];

describe('error reports to a loopback Sentry', () => {
  let receiver: Awaited<ReturnType<typeof startSentryReceiver>>;
  beforeAll(async () => {
    receiver = await startSentryReceiver();
    expect(await initErrorReports({ SENTRY_DSN: receiver.dsn, AFFIX_ENV: 'dev' })).toBe(true);
  });
  afterAll(async () => {
    await Sentry.close(2000);
    await receiver.close();
  });

  it('sends the error, scrubbed of secrets, JWT signatures and IPs', async () => {
    Sentry.addBreadcrumb({
      category: 'http',
      message: `GET https://provider.example/api?password=pw-canary-8812 Authorization: Bearer ${JWT}`,
      data: {
        url: 'https://provider.example/x?code=q-canary-9',
        headers: { cookie: 'sid=cookie-canary-5521' },
      },
    });
    Sentry.setUser({ id: 'cli_1', email: 'user@canary.example', ip_address: '203.0.113.9' });
    const err = new Error(
      `login failed: password=pw-canary-8812 Cookie: sid=cookie-canary-5521 from 198.51.100.23 token ${JWT}`,
    );
    reportError(err, {
      requestId: 'req_abc',
      method: 'GET',
      route: '/2023-03-01/:mode/employees',
      status: 500,
    });
    Sentry.captureEvent({
      message: 'event with a request',
      request: {
        url: 'https://affix.test/2023-03-01/xhr/employees?code=q-canary-9',
        method: 'POST',
        headers: { authorization: `Bearer ${JWT}`, 'x-secret': 'hdr-canary-3' },
        cookies: { sid: 'cookie-canary-5521' },
        data: '{"password":"body-canary-7"}',
        query_string: 'code=q-canary-9',
      },
      extra: { client_secret: 'pw-canary-8812', note: `Basic dXNlcjpwdy1jYW5hcnktODgxMg==` },
    });
    expect(await flushErrorReports(5000)).toBe(true);
    const all = receiver.envelopes.join('\n');
    expect(receiver.envelopes.length).toBeGreaterThanOrEqual(2);
    expect(all).toContain('login failed');
    expect(all).toContain('req_abc');
    expect(all).toContain('/2023-03-01/:mode/employees');
    for (const c of CANARIES) {
      expect(all).not.toContain(c);
      expect(all).not.toContain(Buffer.from(c).toString('base64'));
      expect(all).not.toContain(Buffer.from(c).toString('hex'));
    }
    expect(all).not.toContain('198.51.100.23');
    expect(all).not.toContain('203.0.113.9');
    expect(all).toContain('https://affix.test/2023-03-01/xhr/employees');
    expect(all).not.toContain('dXNlcjpwdy1jYW5hcnktODgxMg');
  });
});
