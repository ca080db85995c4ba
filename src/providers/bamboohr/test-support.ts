/**
 * Test support for the BambooHR tests: a ProviderContext for an emulator, and `expectUnified`, Value.Check against
 * the unified TypeBox schemas.
 *
 * Two gaps in the shared model are bridged here (and reported, not patched): the schemas use `format: date` and
 * `format: date-time`, which TypeBox only checks once a format is registered, and `multipleOf: 0.1`, which
 * TypeBox evaluates as `value % 0.1 === 0` — false for 8 or 0.3 because of binary floating point. We register the
 * two formats and check multiples of 0.1 with a tolerance instead.
 */
import { FormatRegistry, Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { memoryConnectionState } from '../../testing/memory-state.js';
import type { ConnectionState, ProviderContext } from '../types.js';

if (!FormatRegistry.Has('date')) {
  FormatRegistry.Set('date', (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)));
}
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v),
  );
}

export const memoryState = (): ConnectionState => memoryConnectionState();

export function contextFor(
  emu: { baseUrl: string; credentials: Record<string, string> },
  credentials: Record<string, string> = {},
): ProviderContext {
  return {
    connectionId: 'con_test',
    mode: 'official',
    credentials: {
      company_domain: emu.credentials.company_domain ?? '',
      api_key: emu.credentials.api_key ?? '',
      ...credentials,
    },
    settings: {},
    baseUrl: emu.baseUrl,
    state: memoryState(),
    requireTls: false,
  };
}

/** A copy of a TypeBox schema (symbol keys kept) without `multipleOf`; collects the paths that had it. */
function withoutMultipleOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutMultipleOf);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string | symbol, unknown> = {};
  for (const key of Object.keys(schema)) {
    if (key === 'multipleOf') continue;
    out[key] = withoutMultipleOf((schema as Record<string, unknown>)[key]);
  }
  for (const sym of Object.getOwnPropertySymbols(schema)) out[sym] = (schema as Record<symbol, unknown>)[sym];
  return out;
}

const cache = new WeakMap<TSchema, TSchema>();

/** Throws with TypeBox's first errors unless `value` is a valid instance of `schema`. */
export function expectUnified(schema: TSchema, value: unknown, tenths: readonly string[] = []): void {
  let relaxed = cache.get(schema);
  if (!relaxed) {
    relaxed = withoutMultipleOf(schema) as TSchema;
    if (!(Kind in relaxed)) throw new Error('schema lost its TypeBox kind');
    cache.set(schema, relaxed);
  }
  if (!Value.Check(relaxed, value)) {
    const errors = [...Value.Errors(relaxed, value)].slice(0, 5).map((e) => `${e.path}: ${e.message}`);
    throw new Error(`not a valid ${String(schema.$id)}: ${errors.join('; ')}\n${JSON.stringify(value)}`);
  }
  for (const key of tenths) {
    const n = (value as Record<string, unknown>)[key];
    if (typeof n !== 'number' || Math.abs(n * 10 - Math.round(n * 10)) > 1e-9) {
      throw new Error(`${String(schema.$id)}.${key} = ${String(n)} is not a multiple of 0.1`);
    }
  }
}
