/**
 * The HiBob client on a scripted loopback server: the Basic header it sends, the bulk table's cursor walk (both
 * entry forms, permission errors, a repeated cursor refused), the search answer checked, and the id cap.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HibobClient } from './client.js';
import { providerContext, UNPACED } from './test-support.js';

describe('HibobClient', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ method: string; url: string; authorization: string; body: string }> = [];
  let answer: (req: IncomingMessage, n: number) => { status: number; body: unknown } = () => ({
    status: 200,
    body: {},
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization ?? '',
          body,
        });
        const reply = answer(req, seen.length);
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    seen.length = 0;
  });

  const client = () =>
    new HibobClient(
      providerContext({
        baseUrl,
        credentials: { service_user_id: 'SERVICE-42', token: 'tok:en with spaces' },
      }),
      { ...UNPACED, retries: 0 },
    );

  it('sends HTTP Basic with the service user id and token, and the search body as given', async () => {
    answer = () => ({ status: 200, body: { employees: [{ id: '1' }, 'junk', null] } });
    const rows = await client().search({ fields: ['root.id'], showInactive: true });
    expect(rows).toEqual([{ id: '1' }]);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/people/search',
      authorization: `Basic ${Buffer.from('SERVICE-42:tok:en with spaces').toString('base64')}`,
    });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ fields: ['root.id'], showInactive: true });
  });

  it('a search answer without an employees list → bad_response', async () => {
    answer = () => ({ status: 200, body: { people: [] } });
    await expect(client().search({})).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('walks the salaries cursor, reads both entry forms and the denied ids', async () => {
    answer = (req) => {
      const url = new URL(req.url ?? '', 'http://x');
      if (!url.searchParams.get('cursor')) {
        return {
          status: 200,
          body: {
            results: [{ employeeId: '1', values: [{ values: [{ id: 1, payPeriod: 'Annual' }] }] }],
            response_metadata: { cursor: 'next+page/1' },
            errors: [
              { employeeId: { error: 'MISSING_PERMISSION', message: 'no access to employees with ids: 3' } },
            ],
          },
        };
      }
      return {
        status: 200,
        body: {
          results: [{ employeeId: '2', values: [{ id: 2, payPeriod: 'Hourly' }] }],
          response_metadata: { cursor: null },
        },
      };
    };
    const table = await client().salaries(['1', '2', '3']);
    expect([...(table?.byEmployee ?? [])]).toEqual([
      ['1', [{ id: 1, payPeriod: 'Annual' }]],
      ['2', [{ id: 2, payPeriod: 'Hourly' }]],
    ]);
    expect(seen.map((s) => new URL(s.url, 'http://x').searchParams.get('cursor'))).toEqual([
      null,
      'next+page/1',
    ]);
    expect(new URL(seen[0]?.url ?? '', 'http://x').searchParams.get('employeeIds')).toBe('1,2,3');
    expect(new URL(seen[0]?.url ?? '', 'http://x').searchParams.get('limit')).toBe('200');
    expect([...(table?.denied ?? [])]).toEqual(['3']);
  });

  it('a cursor HiBob repeats is refused instead of looping', async () => {
    answer = () => ({ status: 200, body: { results: [], response_metadata: { cursor: 'same' } } });
    await expect(client().salaries(['a'])).rejects.toMatchObject({
      kind: 'bad_response',
      message: expect.stringMatching(/repeated a cursor/),
    });
    expect(seen).toHaveLength(2);
  });

  it('403 on the salaries table → null (compensation unknown), not an error', async () => {
    answer = () => ({ status: 403, body: { key: 'forbidden', error: 'no' } });
    expect(await client().salaries(['a'])).toBeNull();
  });

  it('at most 200 employee ids per bulk request', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => String(i));
    await expect(client().salaries(ids)).rejects.toThrow(/at most 200/);
    expect(seen).toHaveLength(0);
  });

  it('missing credentials fail before anything is sent', async () => {
    const noCreds = new HibobClient(
      providerContext({ baseUrl, credentials: { service_user_id: 'x' } }),
      UNPACED,
    );
    await expect(noCreds.search({})).rejects.toMatchObject({
      kind: 'authentication',
      options: { code: 'incorrect_username_or_password' },
    });
    expect(seen).toHaveLength(0);
  });

  it('requireTls refuses a plain-http base URL', () => {
    expect(
      () =>
        new HibobClient(
          providerContext({ baseUrl, credentials: { service_user_id: 'x', token: 'y' }, requireTls: true }),
        ),
    ).toThrow(/https/);
  });
});
