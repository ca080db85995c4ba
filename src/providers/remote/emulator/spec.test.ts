/**
 * The emulator answers as Remote's PUBLISHED spec says: every path the adapter reads is validated with Ajv against
 * the response schema the vendored spec gives for it (first and second page of the lists). Object schemas are
 * closed (`additionalProperties: false`) where the spec lists properties, so the emulator cannot invent fields.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { providerSpec } from '../../../testing/provider-specs.js';
import { type RemoteEmulator, startEmulator } from './server.js';

const SPEC = providerSpec('remote', 'openapi.yaml');

type Json = Record<string, unknown>;

/**
 * Closes object schemas, and drops the spec's one invalid keyword value: `Employment.bank_account_details.items` is
 * `{type: list}`, not a JSON Schema type (the emulator sends an empty list, so nothing is lost).
 */
function close(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(close);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' && v === 'list') continue;
    out[k] = k === 'example' || k === 'examples' ? v : close(v);
  }
  if (out['properties'] && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

describe('Remote emulator vs the published spec', () => {
  let emu: RemoteEmulator;
  let doc: Json;
  const ajv = new Ajv({ strict: false, allErrors: true });
  const compiled = new Map<string, ValidateFunction>();

  function validator(template: string): ValidateFunction {
    let fn = compiled.get(template);
    if (!fn) {
      if (!(doc['paths'] as Json)[template]) throw new Error(`the spec has no ${template}`);
      const pointer = `remote#/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/get/responses/200/content/application~1json/schema`;
      fn = ajv.compile({ $ref: pointer });
      compiled.set(template, fn);
    }
    return fn;
  }

  async function get(template: string, path: string): Promise<Json> {
    const res = await fetch(`${emu.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${emu.credentials.api_token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const validate = validator(template);
    expect(validate(body), `${path}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    return body;
  }

  beforeAll(async () => {
    doc = YAML.parse(readFileSync(SPEC, 'utf8')) as Json;
    ajv.addSchema(close(doc) as Json, 'remote');
    emu = await startEmulator({ employees: 30, seed: 9 });
  });
  afterAll(() => emu?.close());

  it.each([
    ['/v1/employments', ''],
    ['/v1/timeoff', ''],
    ['/v1/company-departments', 'company_id=COMPANY'],
  ])('GET %s: first and second page', async (template, query) => {
    const q = query.replace('COMPANY', emu.records.company.id ?? '');
    await get(template, `${template}?${q}&page=1&page_size=3`);
    await get(template, `${template}?${q}&page=2&page_size=3`);
  });

  it('GET /v1/companies and /v1/countries', async () => {
    await get('/v1/companies', '/v1/companies');
    await get('/v1/countries', '/v1/countries');
  });

  it('GET /v1/employments/{id} and /v1/timeoff-balances/{id} for every kind of employment', async () => {
    for (const e of emu.records.employments.slice(0, 10)) {
      await get('/v1/employments/{employment_id}', `/v1/employments/${e.id}`);
      if (emu.records.balances.has(e.id ?? '')) {
        await get('/v1/timeoff-balances/{employment_id}', `/v1/timeoff-balances/${e.id}`);
      }
    }
  });
});
