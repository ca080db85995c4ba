/**
 * The emulator's answers, for every endpoint the adapter uses (success and error statuses), validated against
 * BambooHR's PUBLISHED spec (reference/providers/bamboohr/public.yaml, unmodified): the status must be one the spec
 * declares for that operation, and the body must match that status's JSON schema when the spec gives one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KNOBS, type Emulator, startEmulator } from './server.js';
import { providerSpec, readSpec, specValidators } from '../../../testing/provider-specs.js';

const specFile = process.env.BAMBOOHR_SPEC ?? providerSpec('bamboohr', 'public.yaml');
// The spec as published (not closed).
const spec = specValidators(readSpec(specFile), { prepare: (doc) => doc });

function expectMatchesSpec(specPath: string, method: string, res: { status: number; body: string }) {
  expect(spec.operation(specPath, method), `${method} ${specPath} is in the spec`).toBeDefined();
  const declared = spec.response(specPath, method, res.status);
  expect(declared, `${method.toUpperCase()} ${specPath} declares status ${res.status}`).toBeDefined();
  const content = declared?.['content'] as Record<string, { schema?: unknown }> | undefined;
  if (!content?.['application/json']?.schema) return;
  const validate = spec.validator(specPath, method, res.status);
  const ok = validate(JSON.parse(res.body));
  expect(ok, `${method} ${specPath} ${res.status}: ${spec.errors(validate)}`).toBe(true);
}

let emu: Emulator;
let basic: string;
beforeAll(async () => {
  emu = await startEmulator({ employees: 150, seed: 5 });
  basic = `Basic ${Buffer.from(`${emu.credentials.api_key}:x`).toString('base64')}`;
});
afterAll(async () => {
  await emu.close();
});

async function call(path: string, init: { method?: string; body?: unknown; auth?: string | null } = {}) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.auth !== null) headers.authorization = init.auth ?? basic;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const FIELDS =
  'workEmail,homeEmail,middleName,workPhone,mobilePhone,birthDate,hireDate,divisionName,divisionId,departmentName,' +
  'departmentId,locationName,locationId,employmentStatusName,reportsToId,reportsToName,jobTitleId,employmentStatusId';
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('bamboohr emulator conforms to the published spec', () => {
  it('GET /api/v1/employees: first, middle and last cursor pages', async () => {
    let after: string | null = null;
    let pages = 0;
    do {
      const q = new URLSearchParams({ fields: FIELDS, 'page[limit]': '100' });
      if (after) q.set('page[after]', after);
      const res = await call(`/api/v1/employees?${q}`);
      expect(res.status).toBe(200);
      expectMatchesSpec('/api/v1/employees', 'get', res);
      after = (JSON.parse(res.body) as { meta: { page: { nextCursor: string | null } } }).meta.page
        .nextCursor;
      pages++;
    } while (after);
    expect(pages).toBe(2);
  });

  it('GET /api/v1/employees errors: 400 BadPage, 400 BadRequest, 401, 429', async () => {
    const badPage = await call('/api/v1/employees?page%5Bafter%5D=not-a-cursor');
    expect(badPage.status).toBe(400);
    expectMatchesSpec('/api/v1/employees', 'get', badPage);
    expect(JSON.parse(badPage.body)).toMatchObject({ error: { code: 'BadPage' } });
    const badLimit = await call('/api/v1/employees?page%5Blimit%5D=500');
    expect(badLimit.status).toBe(400);
    expectMatchesSpec('/api/v1/employees', 'get', badLimit);
    const unauthorized = await call('/api/v1/employees', { auth: null });
    expectMatchesSpec('/api/v1/employees', 'get', unauthorized);
    emu.knobs.rateLimitEvery = 1;
    try {
      const limited = await call('/api/v1/employees');
      expectMatchesSpec('/api/v1/employees', 'get', limited);
      expect(limited.headers.get('retry-after')).toBe('1');
    } finally {
      Object.assign(emu.knobs, DEFAULT_KNOBS);
    }
  });

  it('POST /api/v1/employees: 201 with Location, 400 and 409', async () => {
    const created = await call('/api/v1/employees', {
      method: 'POST',
      body: {
        firstName: 'Panda',
        lastName: 'Bear',
        jobTitle: 'Software Engineer',
        department: 'Engineering',
      },
    });
    expect(created.status).toBe(201);
    expectMatchesSpec('/api/v1/employees', 'post', created);
    expect(created.headers.get('location')).toMatch(/employee\.php\?id=\d+$/);
    expect(created.body).toBe('');
    const missing = await call('/api/v1/employees', { method: 'POST', body: { firstName: 'Only' } });
    expect(missing.status).toBe(400);
    expectMatchesSpec('/api/v1/employees', 'post', missing);
    const invalid = await call('/api/v1/employees', {
      method: 'POST',
      body: { firstName: 'A', lastName: 'B', department: 'Nope' },
    });
    expect(invalid.status).toBe(409);
    expectMatchesSpec('/api/v1/employees', 'post', invalid);
  });

  it('GET /api/v1/company_information', async () => {
    const res = await call('/api/v1/company_information');
    expect(res.status).toBe(200);
    expectMatchesSpec('/api/v1/company_information', 'get', res);
  });

  it('GET /api/v1/meta/lists', async () => {
    const res = await call('/api/v1/meta/lists');
    expect(res.status).toBe(200);
    expectMatchesSpec('/api/v1/meta/lists', 'get', res);
  });

  it('GET /api/v1/hris/org/locations: 200 (with and without expand), 401, 422, 429, 500', async () => {
    for (const q of ['?pageSize=500&expand=state,country', '', '?pageSize=2&page=2']) {
      const res = await call(`/api/v1/hris/org/locations${q}`);
      expect(res.status).toBe(200);
      expectMatchesSpec('/api/v1/hris/org/locations', 'get', res);
    }
    expectMatchesSpec(
      '/api/v1/hris/org/locations',
      'get',
      await call('/api/v1/hris/org/locations', { auth: null }),
    );
    const invalid = await call('/api/v1/hris/org/locations?pageSize=-1');
    expect(invalid.status).toBe(422);
    expectMatchesSpec('/api/v1/hris/org/locations', 'get', invalid);
    emu.knobs.rateLimitEvery = 1;
    try {
      expectMatchesSpec('/api/v1/hris/org/locations', 'get', await call('/api/v1/hris/org/locations'));
    } finally {
      Object.assign(emu.knobs, DEFAULT_KNOBS);
    }
    emu.knobs.failEvery = 1;
    try {
      const failed = await call('/api/v1/hris/org/locations');
      expect(failed.status).toBe(500);
      expectMatchesSpec('/api/v1/hris/org/locations', 'get', failed);
    } finally {
      Object.assign(emu.knobs, DEFAULT_KNOBS);
    }
  });

  it('GET /api/v1/time_off/requests: 200, 400, 401', async () => {
    const res = await call(`/api/v1/time_off/requests?start=${daysAgo(365)}&end=${today}`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as unknown[]).length).toBeGreaterThan(10);
    expectMatchesSpec('/api/v1/time_off/requests', 'get', res);
    const missing = await call('/api/v1/time_off/requests?start=2025-01-01');
    expect(missing.status).toBe(400);
    expectMatchesSpec('/api/v1/time_off/requests', 'get', missing);
    expectMatchesSpec(
      '/api/v1/time_off/requests',
      'get',
      await call('/api/v1/time_off/requests', { auth: 'Basic eDp4' }),
    );
  });

  it('GET /api/v1/employees/{employeeId}/time_off/calculator: 200, 404, 401', async () => {
    const id = emu.records.employees[0]?.employeeId;
    const res = await call(`/api/v1/employees/${id}/time_off/calculator`);
    expect(res.status).toBe(200);
    expectMatchesSpec('/api/v1/employees/{employeeId}/time_off/calculator', 'get', res);
    const missing = await call('/api/v1/employees/999999/time_off/calculator');
    expect(missing.status).toBe(404);
    expectMatchesSpec('/api/v1/employees/{employeeId}/time_off/calculator', 'get', missing);
    expectMatchesSpec(
      '/api/v1/employees/{employeeId}/time_off/calculator',
      'get',
      await call(`/api/v1/employees/${id}/time_off/calculator`, { auth: null }),
    );
  });

  it('GET /api/v1/time_tracking/timesheet_entries: 200, 400, 401, 500', async () => {
    const path = '/api/v1/time_tracking/timesheet_entries';
    const res = await call(`${path}?start=${daysAgo(300)}&end=${today}`);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as unknown[]).length).toBeGreaterThan(100);
    expectMatchesSpec(path, 'get', res);
    const tooOld = await call(`${path}?start=2001-01-01&end=${today}`);
    expect(tooOld.status).toBe(400);
    expectMatchesSpec(path, 'get', tooOld);
    const unauthorized = await call(`${path}?start=${today}&end=${today}`, { auth: null });
    expect(unauthorized.status).toBe(401);
    expectMatchesSpec(path, 'get', unauthorized);
    emu.knobs.failEvery = 1;
    try {
      const failed = await call(`${path}?start=${today}&end=${today}`);
      expect(failed.status).toBe(500);
      expectMatchesSpec(path, 'get', failed);
    } finally {
      Object.assign(emu.knobs, DEFAULT_KNOBS);
    }
  });

  it('a body the spec does not allow is caught (the check can fail)', () => {
    expect(() =>
      expectMatchesSpec('/api/v1/time_tracking/timesheet_entries', 'get', {
        status: 200,
        body: JSON.stringify([{ id: 'not-an-integer', employeeId: 1 }]),
      }),
    ).toThrow();
    expect(() =>
      expectMatchesSpec('/api/v1/company_information', 'get', { status: 418, body: '{}' }),
    ).toThrow();
    expect(() =>
      expectMatchesSpec('/api/v1/employees', 'get', {
        status: 200,
        body: JSON.stringify({
          data: [],
          meta: { total: 'many', page: { limit: 1, nextCursor: null, prevCursor: null } },
          _links: {},
        }),
      }),
    ).toThrow(/total/);
    expect(() =>
      expectMatchesSpec('/api/v1/employees', 'get', {
        status: 200,
        body: JSON.stringify({
          data: [{ employeeId: '1', workEmail: 5 }],
          meta: { total: 1, page: { limit: 1, nextCursor: null, prevCursor: null } },
          _links: {},
        }),
      }),
    ).toThrow(/workEmail/);
  });
});
