/**
 * The emulator answers as Factorial's PUBLISHED spec says: every list the adapter reads, on its first and a later
 * cursor page, is validated with Ajv against the response schema the vendored excerpt gives for that path. Object
 * schemas are closed (`additionalProperties: false`) for this check, so the emulator cannot invent fields either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  providerSpec,
  readSpec,
  type SpecValidators,
  specValidators,
} from '../../../testing/provider-specs.js';
import { FACTORIAL_RESOURCES } from '../client.js';
import { type FactorialEmulator, startEmulator } from './server.js';

const SPEC = providerSpec('factorial', 'oas-2026-07-01.excerpt.yaml');

/** The list paths, with the query each needs (the spec-required filters, sent as the adapter sends them). */
const LISTS: Array<[string, string]> = [
  ['employees/employees', 'only_active=false&only_managers=false'],
  ['contracts/contract_versions', ''],
  ['teams/teams', ''],
  ['locations/locations', ''],
  ['companies/legal_entities', ''],
  ['timeoff/leave_types', ''],
  ['timeoff/allowances', ''],
  ['timeoff/allowance_stats', 'reference_date=2025-06-30'],
  ['timeoff/leaves', 'include_pending=true&include_deleted_leaves=false'],
  ['attendance/shifts', 'half_day=false&sort_created_at_asc=true'],
];

describe('Factorial emulator vs the published spec', () => {
  let emu: FactorialEmulator;
  let spec: SpecValidators;
  const validator = (path: string) => spec.validator(`${FACTORIAL_RESOURCES}/${path}`, 'get', 200);

  beforeAll(async () => {
    spec = specValidators(readSpec(SPEC));
    emu = await startEmulator({ employees: 120, seed: 9 });
  });
  afterAll(() => emu?.close());

  it.each(LISTS)('GET %s: first and second cursor pages', async (path, query) => {
    const get = async (extra: string) => {
      const res = await fetch(`${emu.baseUrl}${FACTORIAL_RESOURCES}/${path}?${query}&${extra}`, {
        headers: { 'x-api-key': emu.credentials.api_key },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        data: unknown[];
        meta: { end_cursor?: string; has_next_page: boolean };
      };
      const validate = validator(path);
      expect(validate(body), `${path}: ${spec.errors(validate)}`).toBe(true);
      return body;
    };
    const first = await get('limit=5');
    expect(first.data.length).toBeGreaterThan(0);
    if (first.meta.has_next_page)
      await get(`limit=5&after_id=${encodeURIComponent(first.meta.end_cursor ?? '')}`);
  });

  it('the OAuth token endpoint answers a Doorkeeper-style token pair', async () => {
    const res = await fetch(`${emu.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: emu.credentials.refresh_token,
        client_id: emu.credentials.client_id,
        client_secret: emu.credentials.client_secret,
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  });
});
