/** Test helpers shared by the Personio tests (not used by production code). */
import type { TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import { memoryConnectionState } from '../../testing/memory-state.js';
import type { ConnectionState, ProviderContext } from '../types.js';

export const memoryState = memoryConnectionState;

export function contextFor(
  baseUrl: string,
  credentials: { client_id: string; client_secret: string },
  state: ConnectionState = memoryState(),
): ProviderContext {
  return {
    connectionId: 'con_test',
    mode: 'official',
    credentials: { ...credentials },
    settings: {},
    baseUrl,
    state,
    requireTls: false,
  };
}

/**
 * The schema errors of `value`, ignoring `multipleOf: 0.1` misses that are only float noise: TypeBox checks
 * multipleOf with `%`, so 7.3 "is not" a multiple of 0.1 (a model issue reported upstream, not ours to fix).
 */
export function unifiedErrors(schema: TSchema, value: unknown): string[] {
  const out: string[] = [];
  for (const e of Value.Errors(schema, value)) {
    if (e.type === ValueErrorType.NumberMultipleOf && typeof e.value === 'number') {
      const step = (e.schema as { multipleOf?: number }).multipleOf ?? 1;
      const q = e.value / step;
      if (Math.abs(q - Math.round(q)) < 1e-9) continue;
    }
    out.push(`${e.path}: ${e.message} (${JSON.stringify(e.value)})`);
  }
  return out;
}
