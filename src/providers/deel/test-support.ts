/**
 * Helpers shared by the Deel tests: a ProviderContext for an emulator, options that skip the real pacing, and
 * `assertUnified` (Value.Check against the unified TypeBox schemas).
 *
 * Two gaps in the shared model are bridged here: the schemas use `format: date`/`date-time`, which TypeBox checks
 * only once registered, and `multipleOf: 0.1`, which TypeBox evaluates as `value % 0.1 === 0` (false for 1 or 3.3
 * in binary floating point). The formats are registered and multiples of 0.1 checked with a tolerance instead.
 */
import { FormatRegistry, Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { memoryConnectionState } from '../../testing/memory-state.js';
import type { ProviderContext } from '../types.js';
import type { DeelClientOptions } from './client.js';

if (!FormatRegistry.Has('date')) {
  FormatRegistry.Set('date', (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)));
}
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v),
  );
}

export function contextFor(baseUrl: string, apiToken: string): ProviderContext {
  const state = new Map<string, unknown>();
  return {
    connectionId: 'con_test_deel',
    mode: 'official',
    credentials: { api_token: apiToken },
    settings: {},
    baseUrl,
    requireTls: false,
    state: memoryConnectionState(state),
  };
}

/** For tests whose subject is not pacing: an emulator started with `rateLimitPerSecond: 0` and no client limit. */
export const UNPACED: DeelClientOptions = { rateLimit: { requests: 10_000, perMs: 1_000 }, concurrency: 8 };

/** Copy of a TypeBox schema without `multipleOf`, recording the property names that had `multipleOf: 0.1`. */
function relax(schema: unknown, tenths: Set<string>, key?: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => relax(s, tenths));
  if (typeof schema !== 'object' || schema === null) return schema;
  const src = schema as Record<string | symbol, unknown>;
  const out: Record<string | symbol, unknown> = {};
  for (const k of Object.keys(src)) {
    if (k === 'multipleOf') {
      if (key) tenths.add(key);
      continue;
    }
    if (k === 'properties') {
      const props: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(src[k] as Record<string, unknown>))
        props[name] = relax(sub, tenths, name);
      out[k] = props;
    } else out[k] = relax(src[k], tenths);
  }
  for (const sym of Object.getOwnPropertySymbols(src)) out[sym] = src[sym];
  return out;
}

const relaxed = new WeakMap<TSchema, { schema: TSchema; tenths: Set<string> }>();

/** Throws with TypeBox's first errors unless every item is a valid instance of `schema`. */
export function assertUnified(schema: TSchema, items: readonly unknown[]): void {
  let entry = relaxed.get(schema);
  if (!entry) {
    const tenths = new Set<string>();
    const copy = relax(schema, tenths) as TSchema;
    if (!(Kind in copy)) throw new Error('schema lost its TypeBox kind');
    entry = { schema: copy, tenths };
    relaxed.set(schema, entry);
  }
  for (const item of items) {
    if (!Value.Check(entry.schema, item)) {
      const errors = [...Value.Errors(entry.schema, item)].slice(0, 3).map((e) => `${e.path}: ${e.message}`);
      throw new Error(`not a valid ${String(schema.$id)}: ${errors.join('; ')}\n${JSON.stringify(item)}`);
    }
    for (const key of entry.tenths) {
      const n = (item as Record<string, unknown>)[key];
      if (typeof n !== 'number' || Math.abs(n * 10 - Math.round(n * 10)) > 1e-9) {
        throw new Error(`${String(schema.$id)}.${key} = ${String(n)} is not a multiple of 0.1`);
      }
    }
  }
}
