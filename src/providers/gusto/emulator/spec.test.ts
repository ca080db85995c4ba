/**
 * The emulator answers as Gusto's PUBLISHED spec says: every response the adapter relies on (and the documented
 * errors) is validated with Ajv (JSON Schema 2020-12, as OpenAPI 3.1 is) against the schema the spec gives for that
 * path, method and status. Object schemas are closed for this check (`unevaluatedProperties: false`, which sees
 * through `allOf`), so the emulator cannot invent fields either.
 *
 * The spec is parsed after the in-memory repair described in test-support.ts (closing quotes at column 0).
 *
 * Not the shared `closedSchemas` (src/testing/provider-specs.ts): it closes every plain object schema with
 * `additionalProperties: false`, including the parts of an `allOf`, and Gusto's spec builds employees and payroll
 * compensations from `allOf` parts, each of which would refuse the other's fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpecValidators, specValidators } from '../../../testing/provider-specs.js';
import { gustoSpec, refreshGrant } from '../test-support.js';
import { type GustoEmulator, startEmulator } from './server.js';

type Json = Record<string, unknown>;
const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * Component schemas that are a part of an `allOf`: closing them would refuse their siblings' fields (a `oneOf` or
 * `anyOf` member is a whole alternative and is closed like any object).
 */
function composedNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) composedNames(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'x-examples' || k === 'examples' || k === 'example') continue;
      if (k === 'allOf' && Array.isArray(v)) {
        for (const member of v as Json[]) {
          const ref = member?.['$ref'];
          if (typeof ref === 'string') out.add(ref.split('/').pop() ?? '');
        }
      }
      composedNames(v, out);
    }
  }
  return out;
}

/** A copy where every object schema that is not a part of an `allOf` refuses properties nobody declared. */
function close(node: unknown, open: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => close(n, open));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  const src = node as Json;
  const composed = COMPOSITIONS.some((c) => Array.isArray(src[c]));
  for (const [k, v] of Object.entries(src)) {
    if (k === 'x-examples' || k === 'examples' || k === 'example') out[k] = v;
    else if (k === 'allOf') out[k] = close(v, true);
    else if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, s]) => [name, close(s, false)]));
    } else out[k] = close(v, false);
  }
  const objectLike = src['properties'] !== undefined || composed;
  if (objectLike && !open && src['additionalProperties'] === undefined) out['unevaluatedProperties'] = false;
  return out;
}

/** The closed copy of the spec the validators check against. */
function closedSpec(doc: Json): Json {
  const closed = structuredClone(doc);
  const composed = composedNames(closed);
  const schemas = (closed['components'] as { schemas: Json }).schemas;
  for (const name of Object.keys(schemas)) schemas[name] = close(schemas[name], composed.has(name));
  const paths = closed['paths'] as Json;
  for (const p of Object.keys(paths)) paths[p] = close(paths[p], false);
  const responses = (closed['components'] as { responses: Json }).responses;
  for (const r of Object.keys(responses)) responses[r] = close(responses[r], false);
  return closed;
}

let spec: SpecValidators;
const validator = (template: string, method: string, status: number) =>
  spec.validator(template, method, status);
const componentValidator = (name: string) => spec.schema(`#/components/schemas/${name}`);

describe('Gusto emulator vs the published spec', () => {
  let emu: GustoEmulator;
  let company = '';

  const call = async (
    path: string,
    init: { headers?: Record<string, string>; method?: string; body?: string } = {},
  ) => {
    const res = await fetch(`${emu.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${emu.currentPair().access_token}`,
        'x-gusto-api-version': '2025-06-15',
        ...init.headers,
      },
      body: init.body,
    });
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };
  const expectValid = async (
    template: string,
    path: string,
    status = 200,
    init: { headers?: Record<string, string>; method?: string; body?: string } = {},
  ) => {
    const res = await call(path, init);
    expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(status);
    const validate = validator(template, (init.method ?? 'get').toLowerCase(), status);
    const ok = validate(res.body);
    expect(ok, `${template} ${status}: ${spec.errors(validate)}`).toBe(true);
    return res;
  };

  beforeAll(async () => {
    spec = specValidators(gustoSpec(), {
      draft: '2020',
      prepare: closedSpec,
      formats: { float: true, double: true, int32: true, int64: true, binary: true },
    });
    emu = await startEmulator({ employees: 60, seed: 9, knobs: { rateLimitPerMinute: 0 } });
    company = emu.records.company.uuid ?? '';
  }, 60_000);
  afterAll(() => emu?.close());

  it('POST /oauth/token (refresh grant) and GET /v1/token_info', async () => {
    const spent = emu.currentPair().refresh_token;
    const res = await refreshGrant(emu, spent);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    // The operation answers `Authentication`, a oneOf of Create- and Refresh-Token-Authentication; the first is a
    // member of the second's allOf, so it stays open and both always match: the spec's oneOf cannot pick one. A
    // refresh grant answers the Refresh variant, which is checked (closed) here.
    const validate = componentValidator('Refresh-Token-Authentication');
    expect(validate(body), spec.errors(validate)).toBe(true);
    expect(body['refresh_token']).toBe(emu.currentPair().refresh_token);
    expect(emu.currentPair().refresh_token).not.toBe(spent);
    await expectValid('/v1/token_info', '/v1/token_info');
  });

  it('GET /v1/companies/{company_id}, its locations and admins (paged)', async () => {
    await expectValid('/v1/companies/{company_id}', `/v1/companies/${company}`);
    const locations = await expectValid(
      '/v1/companies/{company_id}/locations',
      `/v1/companies/${company}/locations?page=1&per=2`,
    );
    expect(locations.headers.get('x-total-count')).toBe('4');
    await expectValid('/v1/companies/{company_id}/admins', `/v1/companies/${company}/admins`);
  });

  it('GET /v1/companies/{company_id}/employees, with and without the includes, both pages', async () => {
    const include = 'all_compensations,current_home_address,custom_fields';
    const first = await expectValid(
      '/v1/companies/{company_id}/employees',
      `/v1/companies/${company}/employees?page=1&per=40&include=${include}`,
    );
    expect(first.headers.get('x-total-pages')).toBe('2');
    await expectValid(
      '/v1/companies/{company_id}/employees',
      `/v1/companies/${company}/employees?page=2&per=40&include=${include}`,
    );
    await expectValid('/v1/companies/{company_id}/employees', `/v1/companies/${company}/employees`);
  });

  it('departments, time off policies, requests and balances', async () => {
    await expectValid('/v1/companies/{company_uuid}/departments', `/v1/companies/${company}/departments`);
    await expectValid(
      '/v1/companies/{company_uuid}/time_off_policies',
      `/v1/companies/${company}/time_off_policies`,
    );
    const requests = await expectValid(
      '/v1/companies/{company_uuid}/time_off/requests',
      `/v1/companies/${company}/time_off/requests?page=1&per=100`,
    );
    expect((requests.body as unknown[]).length).toBeGreaterThan(0);
    await expectValid(
      '/v1/companies/{company_uuid}/time_off/requests',
      `/v1/companies/${company}/time_off/requests?start_date=2025-03-01&end_date=2025-03-31`,
    );
    await expectValid(
      '/v1/companies/{company_uuid}/time_off/balances',
      `/v1/companies/${company}/time_off/balances?page=1&per=100`,
    );
  });

  it('payrolls: the list (all kinds) and one payroll with its compensations, taxes, benefits and deductions', async () => {
    const list = await expectValid(
      '/v1/companies/{company_id}/payrolls',
      `/v1/companies/${company}/payrolls?processing_statuses=processed,unprocessed&payroll_types=regular,off_cycle&start_date=2025-01-01&end_date=2025-12-31&page=1&per=100`,
    );
    const payrolls = list.body as Array<{ payroll_uuid: string; off_cycle: boolean }>;
    expect(payrolls.some((p) => p.off_cycle)).toBe(true);
    for (const p of [payrolls[0], payrolls.find((x) => x.off_cycle)]) {
      await expectValid(
        '/v1/companies/{company_id}/payrolls/{payroll_id}',
        `/v1/companies/${company}/payrolls/${p?.payroll_uuid}?include=taxes,benefits,deductions&page=1&per=100`,
      );
    }
  });

  it('documented errors: 404 for an unknown company and payroll', async () => {
    const other = '00000000-0000-4000-8000-000000000000';
    await expectValid('/v1/companies/{company_id}', `/v1/companies/${other}`, 404);
    await expectValid('/v1/companies/{company_id}/employees', `/v1/companies/${other}/employees`, 404);
    await expectValid(
      '/v1/companies/{company_id}/payrolls/{payroll_id}',
      `/v1/companies/${company}/payrolls/${other}`,
      404,
    );
  });

  it('the closed-schema check can fail: an invented field is refused, through allOf too', () => {
    const departments = validator('/v1/companies/{company_uuid}/departments', 'get', 200);
    expect(departments([{ uuid: 'x', title: 'y' }])).toBe(true);
    expect(departments([{ uuid: 'x', title: 'y', invented: true }])).toBe(false);
    const payroll = validator('/v1/companies/{company_id}/payrolls/{payroll_id}', 'get', 200);
    expect(payroll({ payroll_uuid: 'p', employee_compensations: [{ employee_uuid: 'e', taxes: [] }] })).toBe(
      true,
    );
    expect(payroll({ payroll_uuid: 'p', invented: 1 })).toBe(false);
    const refreshed = componentValidator('Refresh-Token-Authentication');
    const answer = {
      access_token: 'a',
      token_type: 'Bearer',
      expires_in: 7200,
      created_at: 1,
      refresh_token: 'r',
    };
    expect(refreshed({ ...answer, scope: 'public' })).toBe(true);
    expect(refreshed({ ...answer, invented: true })).toBe(false);
  });
});
