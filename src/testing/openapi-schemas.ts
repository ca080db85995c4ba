/** Helpers for tests that validate emulator responses against a provider's published OpenAPI document. */

type Json = Record<string, unknown>;

/**
 * A copy of an OpenAPI document (or any schema) whose plain object schemas are closed (`additionalProperties:
 * false`), so a response cannot carry fields the spec does not name. Composed schemas (`allOf`/`oneOf`/`anyOf`)
 * stay open, as closing them would reject what their other members allow; examples are copied as they are.
 */
export function closeSchemas(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeSchemas);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'example' || k === 'examples' ? v : closeSchemas(v);
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
export function responseSchemaPointer(path: string, method: string, status: string): string {
  const escaped = path.replaceAll('~', '~0').replaceAll('/', '~1');
  return `#/paths/${escaped}/${method}/responses/${status}/content/application~1json/schema`;
}
