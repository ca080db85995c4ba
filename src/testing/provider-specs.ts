/** Where the vendored provider specs live (spec/providers, copies of ../shared/reference/providers; see spec/README.md). */
import path from 'node:path';

export const PROVIDER_SPECS_DIR = path.resolve(import.meta.dirname, '../../spec/providers');

/** Absolute path of a vendored provider spec file, e.g. `providerSpec('deel', 'openapi.yaml')`. */
export function providerSpec(...parts: string[]): string {
  return path.join(PROVIDER_SPECS_DIR, ...parts);
}

/**
 * A copy of an OpenAPI document (or any schema) whose plain object schemas are closed (`additionalProperties: false`),
 * so validating an emulator's responses against it also catches fields the provider's spec does not have. Schemas
 * that combine others (`allOf`/`oneOf`/`anyOf`) and examples are left as they are.
 */
export function closedSchemas(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closedSchemas);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'example' || k === 'examples' ? v : closedSchemas(v);
  }
  if (
    out['properties'] &&
    out['additionalProperties'] === undefined &&
    !out['allOf'] &&
    !out['oneOf'] &&
    !out['anyOf']
  ) {
    out['additionalProperties'] = false;
  }
  return out;
}
