/** Where the vendored provider specs live (spec/providers, copies of ../shared/reference/providers; see spec/README.md). */
import path from 'node:path';

export const PROVIDER_SPECS_DIR = path.resolve(import.meta.dirname, '../../spec/providers');

/** Absolute path of a vendored provider spec file, e.g. `providerSpec('deel', 'openapi.yaml')`. */
export function providerSpec(...parts: string[]): string {
  return path.join(PROVIDER_SPECS_DIR, ...parts);
}

/**
 * A copy of an OpenAPI document (or any schema) whose plain object schemas are closed (`additionalProperties:
 * false`), so a response cannot carry fields the spec does not name. Composed schemas (`allOf`/`oneOf`/`anyOf`)
 * stay open, as closing them would reject what their other members allow; examples are copied as they are.
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

/** A JSON Pointer to the response schema of `method path status` in an OpenAPI document. */
export function responseSchemaPointer(specPath: string, method: string, status: string): string {
  const escaped = specPath.replaceAll('~', '~0').replaceAll('/', '~1');
  return `#/paths/${escaped}/${method}/responses/${status}/content/application~1json/schema`;
}
