/**
 * The public Affix contract as a validator: response bodies are checked against the spec's own component schemas
 * (OpenAPI 3.0: `nullable`, `format: date`), so any drift between our model and the contract fails a test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import YAML from 'yaml';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

export const SPEC_DIR = path.resolve(import.meta.dirname, '../../spec/affix');

type Json = Record<string, unknown>;

interface SpecDoc {
  paths: Record<string, Record<string, { parameters?: Json[]; responses: Record<string, Json> }>>;
  components: { schemas: Record<string, Json> };
}

function load(file: string): SpecDoc {
  return YAML.parse(fs.readFileSync(path.join(SPEC_DIR, file), 'utf8')) as SpecDoc;
}

export const newest = load('openapi.yaml');
export const withOfficial = load('openapi-2024-03-29-xhr-and-official.yaml');

/** The 401 `code` enum carries inline comments ("reauthentication_required // cookies…"); keep the bare codes. */
function normalise(schemas: Record<string, Json>): Record<string, Json> {
  const copy = structuredClone(schemas);
  const codes = (copy['inline_response_401'] as { properties: { code: { enum: string[] } } }).properties.code;
  codes.enum = codes.enum.map((c) => c.split('//')[0]!.trim());
  return copy;
}

const ajv = new Ajv({ strict: false, allErrors: true, multipleOfPrecision: 6 });
addFormats(ajv);
ajv.addSchema({ $id: 'affix', components: { schemas: normalise(newest.components.schemas) } });

const cache = new Map<string, ValidateFunction>();

/** A validator for a schema of the NEWEST contract's components (used for both modes). */
export function componentValidator(name: string): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    v = ajv.getSchema(`affix#/components/schemas/${name}`);
    if (!v) throw new Error(`no component schema ${name}`);
    cache.set(name, v);
  }
  return v;
}

/** The response schema name of `method path status` in the given spec document. */
export function responseSchemaName(doc: SpecDoc, specPath: string, method: string, status: string): string {
  const op = doc.paths[specPath]?.[method];
  if (!op) throw new Error(`no operation ${method} ${specPath}`);
  const res = op.responses[status] as { content?: { 'application/json'?: { schema?: { $ref?: string } } } };
  const ref = res?.content?.['application/json']?.schema?.$ref;
  if (!ref) throw new Error(`no ${status} schema for ${method} ${specPath}`);
  return ref.split('/').pop()!;
}

/**
 * The response schema of a data path (`/employees`, `/payruns/{payrun_id}`…) in `mode`: the 2024-03-29 document
 * defines official mode; official payruns are ours and validated as xhr's, from the newest contract.
 */
export function dataSchemaName(
  mode: 'official' | 'xhr',
  specPath: string,
  method: string,
  status: string,
): string {
  const official = `/2023-03-01/official${specPath}`;
  if (mode === 'official' && withOfficial.paths[official]) {
    return responseSchemaName(withOfficial, official, method, status);
  }
  const xhr = `/2023-03-01/xhr${specPath}`;
  return responseSchemaName(newest.paths[xhr] ? newest : withOfficial, xhr, method, status);
}

export function assertValid(name: string, body: unknown): void {
  const v = componentValidator(name);
  if (!v(body)) {
    const first = (v.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`response does not match ${name}:\n${first.join('\n')}`);
  }
}
