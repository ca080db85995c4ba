/**
 * The emulator answers as Remote's PUBLISHED spec says: every path the adapter reads is validated with Ajv against
 * the response schema the vendored spec gives for it (first and second page of the lists). Object schemas are
 * closed (`additionalProperties: false`) where the spec lists properties, so the emulator cannot invent fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closedSchemas,
  providerSpec,
  readSpec,
  type SpecValidators,
  specValidators,
} from '../../../testing/provider-specs.js';
import { type RemoteEmulator, startEmulator } from './server.js';

const SPEC = providerSpec('remote', 'openapi.yaml');

type Json = Record<string, unknown>;

/**
 * Closes object schemas, after dropping the spec's one invalid keyword value: `Employment.bank_account_details.items`
 * is `{type: list}`, not a JSON Schema type (the emulator sends an empty list, so nothing is lost).
 */
function prepare(doc: Json): unknown {
  const schemas = (doc['components'] as { schemas: Record<string, { properties: Record<string, Json> }> })
    .schemas;
  const items = schemas['Employment']?.properties['bank_account_details']?.['items'] as Json | undefined;
  if (items?.['type'] === 'list') delete items['type'];
  return closedSchemas(doc);
}

describe('Remote emulator vs the published spec', () => {
  let emu: RemoteEmulator;
  let spec: SpecValidators;

  async function get(template: string, path: string): Promise<Json> {
    const res = await fetch(`${emu.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${emu.credentials.api_token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    const validate = spec.validator(template, 'get', 200);
    expect(validate(body), `${path}: ${spec.errors(validate)}`).toBe(true);
    return body;
  }

  beforeAll(async () => {
    spec = specValidators(readSpec(SPEC), { prepare });
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
