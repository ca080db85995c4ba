/** Scopes are endpoint paths, as in the contract's `ScopesRequest` enum. */
import type { Mode } from './common.js';

export const API_VERSION = '2023-03-01';

/** A unified resource: what a provider declares it supports and what a scope grants. */
export const RESOURCES = [
  'company',
  'employee',
  'employees',
  'groups',
  'identity',
  'payruns',
  'payruns/:payrun_id',
  'time-off-balances',
  'time-off-entries',
  'timesheets',
  'work-locations',
] as const;
export type Resource = (typeof RESOURCES)[number];

/**
 * Endpoints of ours that the Affix contract does not have (extensions), scoped the same way: the endpoint path.
 * `passthrough` sends any request to the connection's provider, so it is never implied by the contract's scopes.
 */
export const EXTENSION_RESOURCES = ['passthrough'] as const;
export type ExtensionResource = (typeof EXTENSION_RESOURCES)[number];

export function scopeFor(mode: Mode, resource: Resource | ExtensionResource): string {
  return `/${API_VERSION}/${mode}/${resource}`;
}

/** Every contract scope of a mode (extension scopes are asked for by name). */
export function allScopes(mode: Mode): string[] {
  return RESOURCES.map((r) => scopeFor(mode, r));
}

export function extensionScopes(mode: Mode): string[] {
  return EXTENSION_RESOURCES.map((r) => scopeFor(mode, r));
}

export function isKnownScope(scope: string): boolean {
  const m = /^\/2023-03-01\/(official|xhr)\/(.+)$/.exec(scope);
  const known: readonly string[] = [...RESOURCES, ...EXTENSION_RESOURCES];
  return !!m && known.includes(m[2] ?? '');
}
