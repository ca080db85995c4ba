/**
 * Every data endpoint, in both modes, answers bodies that validate against the Affix contract's own component
 * schemas (spec/affix). Runs on SQLite and, when DATABASE_URL is set, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mode } from '../../model/index.js';
import { testStoreKinds } from '../../store/testing.js';
import {
  assertValid,
  dataSchemaName as schemaFor,
  responseSchemaName,
  withOfficial,
} from '../../testing/affix-spec.js';
import { type TestNode, startTestNode } from '../../testing/node.js';

const RANGE = 'start_date=2020-01-01&end_date=2030-12-31';

/** Our path (after /2023-03-01/{mode}) → the contract's path template and the query we send. */
const GETS: Array<{ path: string; specPath: string; query?: string }> = [
  { path: '/company', specPath: '/company' },
  { path: '/employees', specPath: '/employees' },
  { path: '/employees', specPath: '/employees', query: 'employment_status=active' },
  { path: '/groups', specPath: '/groups' },
  { path: '/identity', specPath: '/identity' },
  { path: '/payruns', specPath: '/payruns', query: RANGE },
  { path: '/timesheets', specPath: '/timesheets', query: RANGE },
  { path: '/time-off-entries', specPath: '/time-off-entries', query: RANGE },
  { path: '/time-off-balances', specPath: '/time-off-balances' },
  { path: '/work-locations', specPath: '/work-locations' },
];

describe.each(testStoreKinds)('contract on $name', (kind) => {
  let node: TestNode;
  const tokens: Partial<Record<Mode, string>> = {};

  beforeAll(async () => {
    node = await startTestNode({ store: kind.name });
    tokens.xhr = await node.token({ mode: 'xhr', employees: 60 });
    tokens.official = await node.token({ mode: 'official', employees: 60 });
  });
  afterAll(async () => node?.close());

  const get = (mode: Mode, url: string) =>
    node.app.inject({
      method: 'GET',
      url: `/2023-03-01/${mode}${url}`,
      headers: { authorization: `Bearer ${tokens[mode]}` },
    });

  for (const mode of ['xhr', 'official'] as const) {
    for (const c of GETS) {
      it(`${mode} GET ${c.path}${c.query ? `?${c.query}` : ''} matches the contract`, async () => {
        const res = await get(mode, `${c.path}${c.query ? `?${c.query}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        assertValid(schemaFor(mode, c.specPath, 'get', '200'), body);
        if (Array.isArray(body)) expect(body.length).toBeGreaterThan(0);
      });
    }

    it(`${mode} GET /payruns/:payrun_id matches the contract and 404s for an unknown payrun`, async () => {
      const runs = (await get(mode, `/payruns?${RANGE}`)).json() as Array<{ id: string }>;
      const res = await get(mode, `/payruns/${encodeURIComponent(runs[0]!.id)}`);
      expect(res.statusCode, res.body).toBe(200);
      assertValid(schemaFor(mode, '/payruns/{payrun_id}', 'get', '200'), res.json());
      expect(res.json().length).toBeGreaterThan(0);
      const missing = await get(mode, '/payruns/no-such-payrun');
      expect(missing.statusCode).toBe(404);
      assertValid('IdAndMessageResponse', missing.json());
      expect(missing.json().id).toBe('no-such-payrun');
    });

    it(`${mode} POST /employee answers 201 with a contract Employee, then lists it`, async () => {
      const res = await node.app.inject({
        method: 'POST',
        url: `/2023-03-01/${mode}/employee`,
        headers: { authorization: `Bearer ${tokens[mode]}` },
        payload: {
          first_name: 'Ada',
          last_name: 'Lovelace',
          work_email: 'ada@example.com',
          employment_status: 'active',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      assertValid(
        responseSchemaName(withOfficial, `/2023-03-01/${mode}/employee`, 'post', '201'),
        res.json(),
      );
      const list = (await get(mode, '/employees')).json() as Array<{ id: string }>;
      expect(list.some((e) => e.id === res.json().id)).toBe(true);
    });

    it(`${mode} error bodies have the contract's shapes`, async () => {
      const noToken = await node.app.inject({ method: 'GET', url: `/2023-03-01/${mode}/employees` });
      expect(noToken.statusCode).toBe(401);
      assertValid(schemaFor(mode, '/employees', 'get', '401'), noToken.json());
      const badDate = await get(mode, '/payruns?start_date=2024-02-30&end_date=2024-03-01');
      expect(badDate.statusCode).toBe(400);
      assertValid('inline_response_400', badDate.json());
      expect(badDate.json().validation_error).toMatch(/start_date/);
    });
  }

  it('GET /providers matches the contract', async () => {
    const res = await node.app.inject({ method: 'GET', url: '/providers' });
    expect(res.statusCode).toBe(200);
    assertValid('ProvidersResponse', res.json());
    expect(res.json().map((m: { mode: string }) => m.mode)).toEqual(['official', 'xhr']);
    // Every real provider of issue 15 is offered in official mode.
    const official = (res.json() as Array<{ mode: string; providers: string[] }>)[0]?.providers ?? [];
    expect(official).toEqual(
      expect.arrayContaining([
        'personio.de',
        'bamboohr',
        'deel',
        'hibob',
        'gusto',
        'remote.com',
        'xero uk',
        'factorialhr',
      ]),
    );
  });
});
