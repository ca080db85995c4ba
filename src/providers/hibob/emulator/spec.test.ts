/**
 * The emulator answers as HiBob's PUBLISHED spec says: every response the adapter relies on, and the error bodies,
 * validated with Ajv against the schema the spec gives for that path, method and status.
 *
 * Object schemas are closed (`additionalProperties: false`) so the emulator cannot invent fields, except the people
 * search response: HiBob returns whatever fields were asked for (custom fields, categories the response schema does
 * not list), so there every top-level key must instead be one the emulator's own fields metadata lists, in nested
 * or flat (`/work/title`) form, or `humanReadable`.
 *
 * Where the spec contradicts its own examples, the test follows the examples and says so:
 * - `work.custom` is declared an array of strings; the machine-format example has an object of custom fields;
 * - nothing is declared nullable, yet the examples and descriptions send null (`secondName`,
 *   `employee.payrollManager`, custom fields; the bulk tables' last `cursor` "is `null` if there is no more data"):
 *   nulls are dropped from bodies before they are validated;
 * - who's out `employeeId` is declared `format: uuid`; HiBob's employee ids are numeric strings everywhere else,
 *   the spec's own examples included (`3332883884017713333`), so `uuid` accepts those too.
 */
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  providerSpec,
  readSpec,
  type SpecValidators,
  specValidators,
} from '../../../testing/provider-specs.js';
import { type HibobEmulator, startEmulator } from './server.js';

const SPEC = providerSpec('hibob', 'hibob-public-api.generated.yml');

type Json = Record<string, unknown>;

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

let spec: SpecValidators;

/** The validator of `method path status`; `open` keeps the spec's schema as published (not closed). */
function validator(path: string, method: 'get' | 'post', status: string, open = false): ValidateFunction {
  return spec.validator(path, method, status, { open });
}

describe('HiBob emulator vs the published spec', () => {
  let emu: HibobEmulator;
  let authorization: string;
  const call = async (
    path: string,
    init: { method?: string; body?: unknown; authorization?: string } = {},
  ) => {
    const res = await fetch(`${emu.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: init.authorization ?? authorization,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };
  const expectValid = (fn: ValidateFunction, body: unknown, label: string) => {
    expect(fn(withoutNulls(body)), `${label}: ${spec.errors(fn)}`).toBe(true);
  };
  const get = async (template: string, path: string, status = 200, statusKey = String(status)) => {
    const res = await call(path);
    expect(res.status, path).toBe(status);
    expectValid(validator(template, 'get', statusKey), res.body, `GET ${path}`);
    return res;
  };
  const searchBody = async (body: unknown, status = 200) => {
    const res = await call('/people/search', { method: 'POST', body });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
    return res.body as { employees: Json[] };
  };

  beforeAll(async () => {
    const doc = readSpec(SPEC);
    const search = (((doc['paths'] as Json)['/people/search'] as Json)['post'] as Json)['responses'] as Json;
    const items = (
      ((((search['200'] as Json)['content'] as Json)['application/json'] as Json)['schema'] as Json)[
        'properties'
      ] as Json
    )['employees'] as Json;
    const machine = ((items['items'] as Json)['oneOf'] as Json[])[1] as Json;
    const work = ((machine['properties'] as Json)['work'] as Json)['anyOf'] as Json[];
    ((work[0] as Json)['properties'] as Json)['custom'] = { type: 'object' };
    spec = specValidators(doc, {
      open: true,
      formats: {
        boolean: true,
        double: true,
        int64: true,
        string: true,
        uuid: /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i,
      },
    });
    emu = await startEmulator({ employees: 30, seed: 9, knobs: { ratePerMinute: 0 } });
    const { service_user_id: user, token } = emu.credentials;
    authorization = `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
  }, 60_000);
  afterAll(() => emu?.close());

  describe('POST /people/search', () => {
    const validate = () => validator('/people/search', 'post', '200', true);
    const fieldIds = () => new Set(emu.records.fields.map((f) => f.id ?? ''));
    /** Every top-level key is a known field's category or flat path, or humanReadable. */
    const expectKnownKeys = (employee: Json) => {
      const known = fieldIds();
      for (const key of Object.keys(employee)) {
        if (key === 'humanReadable') continue;
        if (key.startsWith('/')) expect(known, key).toContain(key.slice(1).split('/').join('.'));
        else
          expect(
            [...known].some((id) => id === `root.${key}` || id.startsWith(`${key}.`)),
            key,
          ).toBe(true);
      }
    };

    it('the id list (root fields only): every match, machine format', async () => {
      const body = await searchBody({ fields: ['root.id', 'root.companyId'], showInactive: true });
      expectValid(validate(), body, 'id list');
      expect(body.employees).toHaveLength(30);
      expect(body.employees[0]).toEqual({
        id: emu.records.employees[0]?.id,
        companyId: emu.records.companyId,
        '/root/id': { value: emu.records.employees[0]?.id },
        '/root/companyId': { value: emu.records.companyId },
      });
      const active = await searchBody({ fields: ['root.id', 'root.companyId'] });
      expect(active.employees.length).toBe(emu.records.employees.filter((e) => e.active).length);
    });

    it('a batch with every field we map, humanReadable APPEND, filtered by root.id', async () => {
      const ids = emu.records.employees.slice(0, 10).map((e) => e.id);
      const fields = emu.records.fields.map((f) => f.id ?? '');
      const body = await searchBody({
        fields,
        filters: [{ fieldPath: 'root.id', operator: 'equals', values: ids }],
        showInactive: true,
        humanReadable: 'APPEND',
      });
      expectValid(validate(), body, 'batch');
      expect(body.employees.map((e) => e['id'])).toEqual(ids);
      for (const e of body.employees) expectKnownKeys(e);
      const human = body.employees[0]?.['humanReadable'] as Json;
      expect((human['work'] as Json)['department']).toBe(emu.records.employees[0]?.human['work.department']);
    });

    it('without fields: the default set', async () => {
      const body = await searchBody({});
      expectValid(validate(), body, 'default fields');
      for (const e of body.employees) expectKnownKeys(e);
    });

    it('400 for what the People read API contract refuses', async () => {
      const values = ['1'];
      await searchBody({ filters: [{ fieldPath: 'work.title', operator: 'equals', values }] }, 400);
      await searchBody({ filters: [{ fieldPath: 'root.id', operator: 'contains', values }] }, 400);
      await searchBody({ filters: [{ fieldPath: 'root.id', operator: 'equals', values: [] }] }, 400);
      const two = { fieldPath: 'root.id', operator: 'equals', values };
      await searchBody({ filters: [two, two] }, 400);
      await searchBody({ fields: Array.from({ length: 401 }, (_, i) => `root.f${i}`) }, 400);
    });
  });

  it('GET /company/people/fields', async () => {
    await get('/company/people/fields', '/company/people/fields');
  });

  it('GET /company/named-lists/{listName}: department and site (and 404)', async () => {
    const dept = await get('/company/named-lists/{listName}', '/company/named-lists/department');
    const items = (dept.body as { items: Array<{ children: unknown[] }> }).items;
    expect(items.some((i) => i.children.length > 0)).toBe(true);
    await get('/company/named-lists/{listName}', '/company/named-lists/site');
    const missing = await call('/company/named-lists/nope');
    expect(missing.status).toBe(404);
  });

  it('GET /bulk/people/salaries: every cursor page, and the permission errors', async () => {
    const ids = emu.records.employees.slice(0, 7).map((e) => e.id);
    const first = await get(
      '/bulk/people/salaries',
      `/bulk/people/salaries?limit=5&employeeIds=${ids.join(',')}`,
    );
    const body = first.body as { results: unknown[]; response_metadata: { cursor: string | null } };
    expect(body.results).toHaveLength(5);
    const cursor = body.response_metadata.cursor ?? '';
    expect(cursor).not.toBe('');
    const second = await get(
      '/bulk/people/salaries',
      `/bulk/people/salaries?limit=5&employeeIds=${ids.join(',')}&cursor=${encodeURIComponent(cursor)}`,
    );
    expect((second.body as { response_metadata: { cursor: null } }).response_metadata.cursor).toBeNull();
    const denied = await get('/bulk/people/salaries', `/bulk/people/salaries?employeeIds=${ids[0]},42`);
    expect((denied.body as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it("GET /timeoff/whosout with hourly and pending requests (only the spec's fields)", async () => {
    const from = emu.records.today.slice(0, 4);
    const res = await get(
      '/timeoff/whosout',
      `/timeoff/whosout?from=${Number(from) - 1}-01-01&to=${Number(from) + 1}-12-31&includeHourly=true&includePending=true`,
    );
    const outs = (res.body as { outs: Array<{ type: string }> }).outs;
    expect(new Set(outs.map((o) => o.type))).toEqual(
      new Set(['days', 'portionOnRange', 'hours', 'hoursOnRange']),
    );
  });

  it('GET /timeoff/policy-types, /timeoff/policy-types/{policyType} (and 404)', async () => {
    await get('/timeoff/policy-types', '/timeoff/policy-types');
    await get('/timeoff/policy-types/{policyType}', '/timeoff/policy-types/Holiday');
    expect((await call('/timeoff/policy-types/Nope')).status).toBe(404);
  });

  it('GET /timeoff/employees/{id}/balance (and the default error body when there is none)', async () => {
    const id = emu.records.employees[0]?.id ?? '';
    await get(
      '/timeoff/employees/{id}/balance',
      `/timeoff/employees/${id}/balance?policyType=Holiday&date=2025-06-30`,
    );
    await get(
      '/timeoff/employees/{id}/balance',
      '/timeoff/employees/42/balance?policyType=Holiday&date=2025-06-30',
      404,
      'default',
    );
  });

  it('error bodies: 401, 403, 429 and 5xx in the documented default shape, with rate-limit headers', async () => {
    const wrong = `Basic ${Buffer.from('nobody:nothing').toString('base64')}`;
    const unauthorized = await call('/timeoff/policy-types', { authorization: wrong });
    expect(unauthorized.status).toBe(401);
    expectValid(validator('/timeoff/policy-types', 'get', 'default'), unauthorized.body, '401');
    Object.assign(emu.knobs, { forbidden: true });
    try {
      const forbidden = await call('/timeoff/whosout?from=2025-01-01&to=2025-01-31');
      expect(forbidden.status).toBe(403);
      expectValid(validator('/timeoff/whosout', 'get', 'default'), forbidden.body, '403');
    } finally {
      emu.knobs.forbidden = false;
    }
    emu.knobs.rateLimitEvery = 1;
    try {
      const limited = await call('/timeoff/policy-types');
      expect(limited.status).toBe(429);
      expectValid(validator('/timeoff/policy-types', 'get', 'default'), limited.body, '429');
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    } finally {
      emu.knobs.rateLimitEvery = 0;
    }
    Object.assign(emu.knobs, { failEvery: 1, status5xx: 500 });
    try {
      const failed = await call('/timeoff/policy-types');
      expect(failed.status).toBe(500);
      expectValid(validator('/timeoff/policy-types', 'get', 'default'), failed.body, '500');
    } finally {
      emu.knobs.failEvery = 0;
    }
  });

  it('the enforced limit: 50 a minute per endpoint, announced in X-RateLimit-*, then 429 without Retry-After', async () => {
    const own = await startEmulator({ employees: 3, seed: 2, knobs: { ratePerMinute: 3 } });
    try {
      const auth = `Basic ${Buffer.from(`${own.credentials.service_user_id}:${own.credentials.token}`).toString('base64')}`;
      const hit = () => fetch(`${own.baseUrl}/timeoff/policy-types`, { headers: { authorization: auth } });
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) remaining.push((await hit()).headers.get('x-ratelimit-remaining') ?? '');
      expect(remaining).toEqual(['2', '1', '0']);
      const limited = await hit();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeNull();
      expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      // Another endpoint has its own window.
      const other = await fetch(`${own.baseUrl}/company/named-lists/site`, {
        headers: { authorization: auth },
      });
      expect(other.status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('the closed-schema check can fail: an invented field is rejected', () => {
    const validate = validator('/timeoff/policy-types/{policyType}', 'get', '200');
    expect(validate({ name: 'Holiday', unit: 'days' })).toBe(true);
    expect(validate({ name: 'Holiday', unit: 'days', invented: true })).toBe(false);
  });
});
