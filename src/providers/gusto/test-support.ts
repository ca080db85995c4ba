/**
 * What the Gusto tests share beyond src/testing (not imported by production code): a ProviderContext for an emulator
 * with an in-memory connection state that counts writes, options that skip the real pacing, the published spec and
 * its examples, and a refresh grant at the emulator.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { memoryState as memoryConnectionState, providerContext } from '../../testing/provider-context.js';
import { providerSpec } from '../../testing/provider-specs.js';
import type { ConnectionState, ProviderContext } from '../types.js';
import type { GustoClientOptions } from './client.js';
import type { GustoCredentials, GustoEmulator } from './emulator/server.js';

/** The shared in-memory state, counting writes (set and update) so token refreshes can be counted. */
export function memoryState(): ConnectionState & { data: Map<string, unknown>; writes: number } {
  const base = memoryConnectionState();
  const state = {
    ...base,
    writes: 0,
    async set(key: string, value: unknown) {
      state.writes++;
      await base.set(key, value);
    },
    update<T>(key: string, fn: (current: T | undefined) => T | Promise<T>): Promise<T> {
      state.writes++;
      return base.update(key, fn);
    },
  };
  return state;
}

export function contextFor(
  baseUrl: string,
  credentials: Partial<GustoCredentials> & { company_uuid?: string },
  state: ConnectionState = memoryState(),
): ProviderContext {
  return providerContext({
    connectionId: 'con_test_gusto',
    credentials: Object.fromEntries(Object.entries(credentials).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >,
    baseUrl,
    state,
  });
}

/** For tests whose subject is not pacing: no client-side limit worth the name. */
export const UNPACED: GustoClientOptions = { rateLimit: { requests: 100_000, perMs: 1_000 }, concurrency: 8 };

/** The vendored spec, as published (Prism reads this file unchanged). */
export const GUSTO_SPEC_PATH = providerSpec('gusto', 'new.openapi.yaml');

/**
 * The published spec's YAML text, made strict: 21 of its single-quoted descriptions run over several lines and
 * close with a `'` at column 0, which YAML 1.2 does not allow inside a block mapping (lenient parsers such as
 * Prism's and js-yaml's accept it; the `yaml` package refuses). The closing quote is indented under its key; the
 * parsed document is the same as a lenient parser's. In memory only: the vendored file is never changed.
 */
export function strictGustoSpecText(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "'") continue;
    let open = i - 1;
    while (open >= 0 && !/^\s*[\w"-]+: '/.test(lines[open] ?? '')) open--;
    const indent = /^\s*/.exec(lines[open] ?? '')?.[0].length ?? 0;
    lines[i] = `${' '.repeat(indent + 2)}'`;
  }
  return lines.join('\n');
}

type Json = Record<string, unknown>;
let parsed: Json | undefined;

/** The published spec, parsed once per test file. */
export function gustoSpec(): Json {
  parsed ??= YAML.parse(strictGustoSpecText(readFileSync(GUSTO_SPEC_PATH, 'utf8')), {
    maxAliasCount: -1,
  }) as Json;
  return parsed;
}

/** A named example from the spec: `x-examples` of a component schema (Gusto keeps its examples there). */
export function specExample<T>(schema: string, name: string): T {
  const components = gustoSpec()['components'] as { schemas: Record<string, Json> };
  const examples = components.schemas[schema]?.['x-examples'] as Record<string, unknown> | undefined;
  if (!examples || !(name in examples)) throw new Error(`the spec has no x-example ${name} of ${schema}`);
  return structuredClone(examples[name]) as T;
}

/** A named example of a shared response (`components.responses.<name>`, `examples.<example>.value`). */
export function specResponseExample<T>(response: string, example: string): T {
  const components = gustoSpec()['components'] as { responses: Record<string, Json> };
  const content = (components.responses[response]?.['content'] as Record<string, Json> | undefined)?.[
    'application/json'
  ];
  const value = (content?.['examples'] as Record<string, { value?: unknown }> | undefined)?.[example]?.value;
  if (value === undefined) throw new Error(`the spec has no example ${example} of response ${response}`);
  return structuredClone(value) as T;
}

/** `POST /oauth/token` with a refresh grant at the emulator, as a client (or a stale copy of the tokens) would. */
export function refreshGrant(emu: GustoEmulator, refreshToken: string): Promise<Response> {
  return fetch(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_id: emu.credentials.client_id,
      client_secret: emu.credentials.client_secret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    }),
  });
}
