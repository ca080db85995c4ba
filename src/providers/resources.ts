/**
 * The one table of which adapter method serves each unified resource. The data routes call the method through it
 * (typed: a route's `fetch` receives an adapter that has the method), the registry answers "does this provider
 * offer this resource" with it, and the registry test checks every provider's declared resources against it.
 */
import type { Resource } from '../model/index.js';
import type { ProviderAdapter } from './types.js';

export const RESOURCE_METHODS = {
  company: 'company',
  employee: 'createEmployee',
  employees: 'employees',
  groups: 'groups',
  identity: 'identity',
  payruns: 'payruns',
  'payruns/:payrun_id': 'payslips',
  'time-off-balances': 'timeOffBalances',
  'time-off-entries': 'timeOffEntries',
  timesheets: 'timesheets',
  'work-locations': 'workLocations',
} as const satisfies Record<Resource, keyof ProviderAdapter>;

/** The adapter method behind resource `R`. */
export type ResourceMethod<R extends Resource> = (typeof RESOURCE_METHODS)[R];

/** An adapter known to implement the optional method `M`. */
export type AdapterWith<M extends keyof ProviderAdapter> = ProviderAdapter &
  Required<Pick<ProviderAdapter, M>>;

/**
 * The adapter of a provider declaring `resources`: `verify`, the method of each declared resource, and `extra`
 * (`passthrough`, …). TypeScript then refuses an adapter that lacks one, and its methods take their types from here.
 */
export type AdapterFor<
  R extends readonly Resource[],
  Extra extends keyof ProviderAdapter = never,
> = AdapterWith<'verify' | ResourceMethod<R[number]> | Extra>;

/** Whether `adapter` implements `method`; narrows it so the method can be called without `!`. */
export function hasMethod<M extends keyof ProviderAdapter>(
  adapter: ProviderAdapter,
  method: M,
): adapter is AdapterWith<M> {
  return typeof adapter[method] === 'function';
}
