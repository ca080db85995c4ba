/**
 * The emulator answers as Factorial's PUBLISHED spec says: every list the adapter reads, on its first and a later
 * cursor page, is validated with Ajv against the response schema the vendored excerpt gives for that path. Object
 * schemas are closed (`additionalProperties: false`) for this check, so the emulator cannot invent fields either.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { providerSpec } from '../../../testing/provider-specs.js';
import { FACTORIAL_RESOURCES } from '../client.js';
import { type FactorialEmulator, startEmulator } from './server.js';

const SPEC = providerSpec('factorial', 'oas-2026-07-01.excerpt.yaml');

type Json = Record<string, unknown>;

function close(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(close);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'example' || k === 'examples' ? v : close(v);
  if (out['properties'] && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

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
  let doc: Json;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const compiled = new Map<string, ValidateFunction>();

  function validator(path: string): ValidateFunction {
    const template = `${FACTORIAL_RESOURCES}/${path}`;
    let fn = compiled.get(template);
    if (!fn) {
      if (!(doc['paths'] as Json)[template]) throw new Error(`the spec has no ${template}`);
      const pointer = `factorial#/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/get/responses/200/content/application~1json/schema`;
      fn = ajv.compile({ $ref: pointer });
      compiled.set(template, fn);
    }
    return fn;
  }

  beforeAll(async () => {
    doc = YAML.parse(readFileSync(SPEC, 'utf8')) as Json;
    ajv.addSchema(close(doc) as Json, 'factorial');
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
      expect(validate(body), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
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
