/** Bad input of every kind gets a clear 4xx in the contract's shape — never a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNode, startTestNode } from '../testing/node.js';

describe('bad input', () => {
  let node: TestNode;
  let auth: Record<string, string>;
  let official: Record<string, string>;

  beforeAll(async () => {
    node = await startTestNode({ env: { BODY_LIMIT: '2048' } });
    auth = { authorization: `Bearer ${await node.token({ employees: 5 })}` };
    official = { authorization: `Bearer ${await node.token({ employees: 5, mode: 'official' })}` };
  });
  afterAll(async () => node?.close());

  const get = (url: string) =>
    node.app.inject({ method: 'GET', url, headers: url.includes('/official/') ? official : auth });
  const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    node.app.inject({
      method: 'POST',
      url: '/2023-03-01/xhr/employee',
      headers: { ...auth, ...headers },
      payload,
    });

  function expect400(res: { statusCode: number; json(): unknown }, status = 400, match?: RegExp) {
    expect(res.statusCode).toBe(status);
    const body = res.json() as { message: string; validation_error: string };
    expect(typeof body.message).toBe('string');
    expect(typeof body.validation_error).toBe('string');
    if (match) expect(body.validation_error).toMatch(match);
  }

  it.each([
    ['/2023-03-01/xhr/payruns', /start_date/],
    ['/2023-03-01/xhr/payruns?start_date=2024-01-01', /end_date/],
    ['/2023-03-01/xhr/payruns?start_date=01/01/2024&end_date=2024-02-01', /start_date/],
    ['/2023-03-01/xhr/payruns?start_date=2024-13-01&end_date=2024-12-01', /start_date/],
    ['/2023-03-01/xhr/payruns?start_date=2024-03-01&end_date=2024-02-01', /before/],
    ['/2023-03-01/xhr/timesheets?start_date=2024-03-01', /end_date/],
    ['/2023-03-01/xhr/time-off-entries?start_date=x&end_date=y', /start_date/],
    ['/2023-03-01/official/timesheets?start_date=2024-03-01', /together/],
    ['/2023-03-01/xhr/employees?employment_status=retired', /employment_status/],
  ])('GET %s → 400', async (url, match) => {
    expect400(await get(url), 400, match);
  });

  it('official time endpoints take the period as optional', async () => {
    expect((await get('/2023-03-01/official/timesheets')).statusCode).toBe(200);
  });

  it('authentication comes before validation: no token and bad params → 401', async () => {
    const res = await node.app.inject({ method: 'GET', url: '/2023-03-01/xhr/payruns?start_date=x' });
    expect(res.statusCode).toBe(401);
  });

  it('malformed JSON → 400', async () => expect400(await post('{"first_name": "A",'), 400));
  it('empty JSON body → 400', async () => expect400(await post(''), 400));
  it('wrong content type → 415', async () =>
    expect400(await post('first_name=A', { 'content-type': 'text/plain' }), 415));
  it('oversized body → 413', async () =>
    expect400(await post(JSON.stringify({ first_name: 'A', last_name: 'x'.repeat(5000) })), 413));
  it('missing required field → 400 naming it', async () =>
    expect400(await post(JSON.stringify({ first_name: 'A' })), 400, /last_name/));
  it('unknown field → 400, never silently dropped', async () =>
    expect400(
      await post(JSON.stringify({ first_name: 'A', last_name: 'B', shoe_size: 44 })),
      400,
      /additional/,
    ));
  it('bad enum and bad date in the body → 400', async () => {
    expect400(
      await post(JSON.stringify({ first_name: 'A', last_name: 'B', gender: 'robot' })),
      400,
      /gender/,
    );
    expect400(
      await post(JSON.stringify({ first_name: 'A', last_name: 'B', start_date: '2024-02-31' })),
      400,
      /start_date/,
    );
  });

  it.each([
    ['a number where a string belongs', { first_name: 1, last_name: 'B' }, /first_name must be string/],
    ['an array where a string belongs', { first_name: ['b'], last_name: 'B' }, /first_name must be string/],
    [
      'a string where a boolean belongs',
      { first_name: 'A', last_name: 'B', bank_account: { account_number: 1 } },
      /bank_account/,
    ],
    [
      'an over-long field',
      { first_name: 'x'.repeat(256), last_name: 'B' },
      /first_name must NOT have more than 255/,
    ],
  ])('POST employee takes JSON types strictly: %s → 400', async (_name, body, match) => {
    const res = await post(JSON.stringify(body));
    expect400(res, 400, match);
  });

  it('unknown route → 404 {id, message}', async () => {
    const res = await get('/2023-03-01/xhr/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ id: '/2023-03-01/xhr/nothing-here', message: expect.any(String) });
  });

  it('health and readiness', async () => {
    expect((await node.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await node.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('serves its OpenAPI document with every data path in both modes', async () => {
    const doc = (await node.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: object };
    const paths = Object.keys(doc.paths);
    for (const mode of ['xhr', 'official']) {
      for (const p of [
        'company',
        'employees',
        'employee',
        'groups',
        'identity',
        'payruns',
        'payruns/{payrun_id}',
        'timesheets',
        'time-off-entries',
        'time-off-balances',
        'work-locations',
      ]) {
        expect(paths).toContain(`/2023-03-01/${mode}/${p}`);
      }
    }
  });
});
