/** Where the vendored provider specs live (spec/providers, copies of ../shared/reference/providers; see spec/README.md). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import YAML from 'yaml';

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

/** A JSON Pointer to the response `status` of `method path` in an OpenAPI document. */
function responsePointer(specPath: string, method: string, status: string): string {
  const escaped = specPath.replaceAll('~', '~0').replaceAll('/', '~1');
  return `#/paths/${escaped}/${method}/responses/${status}`;
}

type Json = Record<string, unknown>;
type AjvCore = Ajv | Ajv2020;

/** A vendored spec parsed from YAML; `repair` rewrites the text first (for specs YAML cannot read as published). */
export function readSpec(file: string, repair: (text: string) => string = (t) => t): Json {
  return YAML.parse(repair(readFileSync(file, 'utf8')), { maxAliasCount: -1 }) as Json;
}

export interface SpecValidatorOptions {
  /** JSON Schema dialect: draft-07 (OpenAPI 3.0, the default) or 2020-12 (OpenAPI 3.1). */
  draft?: '07' | '2020';
  /** The copy the validators check against (default `closedSchemas`); `(doc) => doc` keeps it as published. */
  prepare?: (doc: Json) => unknown;
  /** Also register the document as published, for `validator(…, { open: true })`. */
  open?: boolean;
  /** Formats the spec uses beyond ajv-formats' (`true` accepts anything), or that it writes its own way. */
  formats?: Record<string, true | RegExp>;
  /** The schema (`#/components/schemas/…`) a status the operation does not document is checked against. */
  undocumented?: string;
}

export interface SpecValidators {
  /** The operation `method path` of the spec, if it has one. */
  operation(path: string, method: string): Json | undefined;
  /** The response the operation documents for `status` (a `$ref`ed one followed), if it documents one. */
  response(path: string, method: string, status: number | string): Json | undefined;
  /** The validator of the JSON body of `method path status`, compiled once; `$ref`ed responses are followed. */
  validator(
    path: string,
    method: string,
    status: number | string,
    opts?: { open?: boolean },
  ): ValidateFunction;
  /** The validator of a schema by pointer in the (prepared) document, e.g. `#/components/schemas/Problem`. */
  schema(pointer: string): ValidateFunction;
  /** Ajv's errors of the last run of `fn`, as text. */
  errors(fn: ValidateFunction): string;
}

// ajv-formats is CommonJS; its default export may arrive as `.default` under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: AjvCore) => AjvCore;

/**
 * Ajv validators for a provider spec's response schemas, one per (path, method, status), compiled on first use and
 * cached. The document is registered closed (see `closedSchemas`) unless `prepare` says otherwise.
 */
export function specValidators(doc: Json, opts: SpecValidatorOptions = {}): SpecValidators {
  const options = { strict: false, allErrors: true, validateFormats: true, logger: false } as const;
  const ajv: AjvCore = opts.draft === '2020' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  for (const [name, format] of Object.entries(opts.formats ?? {})) ajv.addFormat(name, format);
  ajv.addSchema((opts.prepare ?? closedSchemas)(doc) as Json, 'spec');
  if (opts.open) ajv.addSchema(doc, 'open');
  const compiled = new Map<string, ValidateFunction>();
  const compile = (ref: string): ValidateFunction => {
    const fn = compiled.get(ref) ?? ajv.compile({ $ref: ref });
    compiled.set(ref, fn);
    return fn;
  };
  const operation = (path: string, method: string) =>
    ((doc['paths'] as Json)[path] as Json | undefined)?.[method] as Json | undefined;
  const response = (path: string, method: string, status: number | string) => {
    const ops = (operation(path, method)?.['responses'] ?? {}) as Json;
    const value = ops[String(status)] as Json | undefined;
    const ref = value?.['$ref'];
    if (typeof ref !== 'string') return { value, pointer: responsePointer(path, method, String(status)) };
    const name = ref.split('/').pop() ?? '';
    return {
      value: (doc['components'] as { responses: Json }).responses[name] as Json | undefined,
      pointer: ref,
    };
  };
  return {
    operation,
    response: (path, method, status) => response(path, method, status).value,
    validator(path, method, status, { open = false } = {}) {
      if (!operation(path, method)) throw new Error(`the spec has no ${method} ${path}`);
      const { value, pointer } = response(path, method, status);
      const id = open ? 'open' : 'spec';
      if (value) return compile(`${id}${pointer}/content/application~1json/schema`);
      if (opts.undocumented) return compile(`${id}${opts.undocumented}`);
      throw new Error(`the spec documents no ${status} for ${method} ${path}`);
    },
    schema: (pointer) => compile(`spec${pointer}`),
    errors: (fn) => ajv.errorsText(fn.errors),
  };
}
