/**
 * The emulator's responses against Personio's PUBLISHED specs (shared/reference/providers/personio), so it cannot
 * drift into a dialect of our own. Every endpoint the adapter uses is checked, error responses included.
 *
 * One relaxation, applied to an in-memory copy: the base `Response` envelope declares `data: {type: object}` while
 * every list response (`EmployeesResponse`, `AttendancePeriodsResponse` …) narrows `data` to an array through
 * `allOf`. JSON Schema cannot satisfy both, so `Response.properties.data` loses its `type` here. Error statuses the
 * spec does not list for a path (401/403/429/400 on most GETs) are checked against its generic `ErrorResponse`.
 */
import type { ValidateFunction } from 'ajv';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PersonioEmulator, startEmulator } from './server.js';
import { providerSpec, readSpec, specValidators } from '../../../testing/provider-specs.js';

const SPEC_DIR = providerSpec('personio');
type Doc = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
};

function load(file: string): Doc {
  return readSpec(`${SPEC_DIR}/${file}`) as Doc;
}

const personnel = load('personio-personnel-data-api-oa3.yaml');
const auth = load('personio-auth-api.yaml');
const responseEnvelope = personnel.components['schemas']?.['Response'] as {
  properties: { data: Record<string, unknown> };
};
delete responseEnvelope.properties.data['type'];
const authEnvelope = auth.components['schemas']?.['Response'] as {
  properties: { data: Record<string, unknown> };
};
delete authEnvelope.properties.data['type'];

// The specs as published (not closed); `datetime` is an OpenAPI-ism that is not a JSON Schema format.
const options = { prepare: (doc: unknown) => doc, formats: { datetime: true } } as const;
const specs = { personnel: specValidators(personnel, options), auth: specValidators(auth, options) };

/** The validator for the JSON body of `status` on `method path`, resolving `$ref`ed responses. */
function validatorFor(
  docName: 'personnel' | 'auth',
  path: string,
  method: string,
  status: string,
): ValidateFunction {
  const spec = specs[docName];
  if (spec.response(path, method, status)) return spec.validator(path, method, status);
  // Not listed for this path: the spec's generic error body.
  return specs.personnel.schema('#/components/schemas/ErrorResponse');
}

let emu: PersonioEmulator;
let token = '';

async function call(method: 'GET' | 'POST', path: string, body?: unknown, bearer = token) {
  const res = await request(`${emu.baseUrl}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.statusCode, body: (await res.body.json()) as unknown };
}

function expectValid(
  docName: 'personnel' | 'auth',
  specPath: string,
  method: string,
  res: { status: number; body: unknown },
  status: number,
) {
  expect(res.status).toBe(status);
  const validate = validatorFor(docName, specPath, method, String(status));
  const ok = validate(res.body);
  expect(ok ? [] : validate.errors?.slice(0, 5)).toEqual([]);
}

beforeAll(async () => {
  emu = await startEmulator({
    employees: 120,
    seed: 5,
    today: '2026-07-10',
    knobs: { enforceRateLimits: false },
  });
  const res = await call('POST', '/auth', emu.credentials, '');
  expectValid('auth', '/auth', 'post', res, 200);
  token = (res.body as { data: { token: string } }).data.token;
});
afterAll(() => emu.close());

describe('personio emulator vs the published spec', () => {
  it('POST /auth: 200 token response; bad credentials answer the generic error body', async () => {
    expectValid(
      'auth',
      '/auth',
      'post',
      await call('POST', '/auth', { ...emu.credentials, client_secret: 'nope' }, ''),
      401,
    );
  });

  it('GET /company/employees: full records, a projection, and every page of the list', async () => {
    for (let offset = 0; offset < 120; offset += 50) {
      expectValid(
        'personnel',
        '/company/employees',
        'get',
        await call('GET', `/company/employees?limit=50&offset=${offset}`),
        200,
      );
    }
    expectValid(
      'personnel',
      '/company/employees',
      'get',
      await call('GET', '/company/employees?limit=5&attributes[]=office&attributes[]=holiday_calendar'),
      200,
    );
  });

  it('GET /company/employees: 400, 401 (no header / bad token), 403 and 429 bodies', async () => {
    expectValid(
      'personnel',
      '/company/employees',
      'get',
      await call('GET', '/company/employees?limit=0'),
      400,
    );
    expectValid(
      'personnel',
      '/company/employees',
      'get',
      await call('GET', '/company/employees', undefined, ''),
      401,
    );
    expectValid(
      'personnel',
      '/company/employees',
      'get',
      await call('GET', '/company/employees', undefined, 'papi-bad'),
      401,
    );
    emu.knobs.forbidden = true;
    expectValid('personnel', '/company/employees', 'get', await call('GET', '/company/employees'), 403);
    emu.knobs.forbidden = false;
    emu.knobs.rateLimitEvery = 1;
    expectValid('personnel', '/company/employees', 'get', await call('GET', '/company/employees'), 429);
    emu.knobs.rateLimitEvery = 0;
  });

  it('GET /company/employees/{id} and its absence balance: 200 and 404', async () => {
    const id = emu.records.employees[3]?.attributes.id.value;
    expectValid(
      'personnel',
      '/company/employees/{employee_id}',
      'get',
      await call('GET', `/company/employees/${id}`),
      200,
    );
    expectValid(
      'personnel',
      '/company/employees/{employee_id}',
      'get',
      await call('GET', '/company/employees/1'),
      404,
    );
    const balance = '/company/employees/{employee_id}/absences/balance';
    expectValid(
      'personnel',
      balance,
      'get',
      await call('GET', `/company/employees/${id}/absences/balance`),
      200,
    );
    expectValid('personnel', balance, 'get', await call('GET', '/company/employees/1/absences/balance'), 404);
  });

  it('POST /company/employees: 200 with the new id, 422 for a missing supervisor; the new record is spec-valid', async () => {
    const created = await call('POST', '/company/employees', {
      employee: {
        email: 'new.hire@acme-demo.de',
        first_name: 'New',
        last_name: 'Hire',
        hire_date: '2026-08-01',
      },
    });
    expectValid('personnel', '/company/employees', 'post', created, 200);
    const id = (created.body as { data: { id: number } }).data.id;
    expectValid(
      'personnel',
      '/company/employees/{employee_id}',
      'get',
      await call('GET', `/company/employees/${id}`),
      200,
    );
    expectValid(
      'personnel',
      '/company/employees',
      'post',
      await call('POST', '/company/employees', {
        employee: { email: 'x@acme-demo.de', first_name: 'X', last_name: 'Y', supervisor_id: 1 },
      }),
      422,
    );
  });

  it('GET /company/attendances: 200 pages, 401 and 403 as the path lists them', async () => {
    const q = 'start_date=2026-06-01&end_date=2026-07-31';
    expectValid(
      'personnel',
      '/company/attendances',
      'get',
      await call('GET', `/company/attendances?${q}&limit=100`),
      200,
    );
    expectValid(
      'personnel',
      '/company/attendances',
      'get',
      await call('GET', `/company/attendances?${q}&includePending=true`),
      200,
    );
    expectValid(
      'personnel',
      '/company/attendances',
      'get',
      await call('GET', `/company/attendances?${q}`, undefined, ''),
      401,
    );
    emu.knobs.forbidden = true;
    expectValid(
      'personnel',
      '/company/attendances',
      'get',
      await call('GET', `/company/attendances?${q}`),
      403,
    );
    emu.knobs.forbidden = false;
  });

  it('GET /company/time-offs (page numbers) and /company/time-off-types', async () => {
    for (const page of [1, 2]) {
      expectValid(
        'personnel',
        '/company/time-offs',
        'get',
        await call('GET', `/company/time-offs?limit=100&offset=${page}`),
        200,
      );
    }
    expectValid(
      'personnel',
      '/company/time-off-types',
      'get',
      await call('GET', '/company/time-off-types'),
      200,
    );
  });
});
