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

export function scopeFor(mode: Mode, resource: Resource): string {
  return `/${API_VERSION}/${mode}/${resource}`;
}

export function allScopes(mode: Mode): string[] {
  return RESOURCES.map((r) => scopeFor(mode, r));
}

export function isKnownScope(scope: string): boolean {
  const m = /^\/2023-03-01\/(official|xhr)\/(.+)$/.exec(scope);
  return !!m && (RESOURCES as readonly string[]).includes(m[2] ?? '');
}
