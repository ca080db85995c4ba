/**
 * The emulator answers as Deel's PUBLISHED spec says: each response the adapter relies on (and each error
 * response) is validated with Ajv against the schema the spec gives for that path, method and status. Object
 * schemas are closed (`additionalProperties: false`) for this check, so the emulator cannot invent fields either.
 *
 * The spec is read from shared/reference with its two `example: !!binary |-` tags turned into plain block
 * scalars (they are examples of a file download and cannot be parsed as binary).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeelEmulator, startEmulator } from './server.js';
import {
  providerSpec,
  readSpec,
  type SpecValidators,
  specValidators,
} from '../../../testing/provider-specs.js';

type Json = Record<string, unknown>;

let spec: SpecValidators;

describe('Deel emulator vs the published spec', () => {
  let emu: DeelEmulator;
  const call = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${emu.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${emu.credentials.api_token}`, ...headers },
    });
    return { status: res.status, body: (await res.json()) as unknown, headers: res.headers };
  };
  const expectValid = async (
    template: string,
    path: string,
    status = 200,
    headers?: Record<string, string>,
  ) => {
    const res = await call(path, headers);
    expect(res.status, `${path}`).toBe(status);
    const validate = spec.validator(template, 'get', status);
    const ok = validate(res.body);
    expect(ok, `${template} ${status}: ${spec.errors(validate)}`).toBe(true);
    return res.body as Json;
  };

  beforeAll(async () => {
    const doc = readSpec(providerSpec('deel', 'openapi.yaml'), (text) =>
      text.replaceAll('example: !!binary |-', 'example: |-'),
    );
    // Formats the spec uses beyond JSON Schema's.
    spec = specValidators(doc, {
      formats: { oid: true, float: true, double: true, int32: true, int64: true },
    });
    emu = await startEmulator({ employees: 40, seed: 9, knobs: { rateLimitPerSecond: 0 } });
  }, 60_000);
  afterAll(() => emu?.close());

  it('GET /people pages (offset/limit)', async () => {
    const first = await expectValid('/people', '/people?offset=0&limit=30');
    expect((first['page'] as Json)['total_rows']).toBe(40);
    await expectValid('/people', '/people?offset=30&limit=30');
  });

  it('GET /people/me, /organizations, /legal-entities, /departments, /working-locations', async () => {
    await expectValid('/people/me', '/people/me');
    await expectValid('/organizations', '/organizations');
    await expectValid('/legal-entities', '/legal-entities');
    await expectValid('/departments', '/departments');
    await expectValid('/working-locations', '/working-locations');
  });

  it('GET /groups, both cursor pages', async () => {
    const first = await expectValid('/groups', '/groups?limit=5');
    const cursor = (first['page'] as Json)['cursor'] as string;
    expect(cursor).toBeTruthy();
    await expectValid('/groups', `/groups?limit=5&cursor=${cursor}`);
  });

  it('GET /time_offs, both cursor pages', async () => {
    const first = await expectValid('/time_offs', '/time_offs?page_size=5');
    expect(first['has_next_page']).toBe(true);
    await expectValid('/time_offs', `/time_offs?page_size=5&next=${first['next'] as string}`);
    await expectValid(
      '/time_offs',
      '/time_offs?page_size=200&start_date=2025-03-01T00:00:00.000Z&end_date=2025-03-31T23:59:59.999Z',
    );
  });

  it('GET /time_offs/profile/{id}/entitlements and /policies (and their 404)', async () => {
    const id = emu.records.people[1]?.id ?? '';
    await expectValid(
      '/time_offs/profile/{hris_profile_id}/entitlements',
      `/time_offs/profile/${id}/entitlements`,
    );
    await expectValid('/time_offs/profile/{hris_profile_id}/policies', `/time_offs/profile/${id}/policies`);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectValid(
      '/time_offs/profile/{hris_profile_id}/entitlements',
      `/time_offs/profile/${unknown}/entitlements`,
      404,
    );
    await expectValid(
      '/time_offs/profile/{hris_profile_id}/policies',
      `/time_offs/profile/${unknown}/policies`,
      404,
    );
  });

  it('GET /timesheets (offset/limit)', async () => {
    const body = await expectValid('/timesheets', '/timesheets?offset=0&limit=50');
    expect((body['data'] as unknown[]).length).toBeGreaterThan(0);
    await expectValid('/timesheets', '/timesheets?date_from=2025-05-01&date_to=2025-05-31');
  });

  it('GET /gp/legal-entities/{id}/reports and /gp/reports/{id}/gross_to_net (and 404s)', async () => {
    const entity = emu.records.legalEntities[0]?.id ?? '';
    const body = await expectValid('/gp/legal-entities/{id}/reports', `/gp/legal-entities/${entity}/reports`);
    const reportId = (body['data'] as Json[])[0]?.['id'] as string;
    const g2n = await expectValid('/gp/reports/{id}/gross_to_net', `/gp/reports/${reportId}/gross_to_net`);
    expect((g2n['data'] as unknown[]).length).toBeGreaterThan(0);
    await expectValid('/gp/reports/{id}/gross_to_net', '/gp/reports/clqnope/gross_to_net', 404);
    await expectValid(
      '/gp/legal-entities/{id}/reports',
      '/gp/legal-entities/00000000-0000-4000-8000-000000000000/reports',
      404,
    );
  });

  it('error bodies: 400 bad limit, 401 bad token, 429 rate limited, 500 server error', async () => {
    await expectValid('/people', '/people?limit=500', 400);
    await expectValid('/people', '/people', 401, { authorization: 'Bearer wrong' });
    await expectValid('/organizations', '/organizations', 401, { authorization: 'Bearer wrong' });
    await expectValid('/departments', '/departments', 401, { authorization: 'Bearer wrong' });
    await expectValid('/groups', '/groups?limit=1000', 400);
    await expectValid('/timesheets', '/timesheets?limit=abc', 400);
    emu.knobs.rateLimitEvery = 1;
    try {
      await expectValid('/people', '/people', 429);
    } finally {
      emu.knobs.rateLimitEvery = 0;
    }
    emu.knobs.failEvery = 1;
    emu.knobs.status5xx = 500;
    try {
      await expectValid('/people', '/people', 500);
      await expectValid('/organizations', '/organizations', 500);
      await expectValid('/gp/reports/{id}/gross_to_net', '/gp/reports/x/gross_to_net', 500);
    } finally {
      emu.knobs.failEvery = 0;
    }
  });

  it('the closed-schema check can fail: an invented field is rejected', () => {
    const validate = spec.validator('/working-locations', 'get', 200);
    expect(validate({ data: [{ id: 'x', name: 'y' }] })).toBe(true);
    expect(validate({ data: [{ id: 'x', name: 'y', invented: true }] })).toBe(false);
  });
});
