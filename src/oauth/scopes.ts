/**
 * Which scopes the connect page can grant: the contract's `ScopesRequest` enum (every resource of each mode except
 * official payruns: the contract never had an official payruns endpoint), plus scopes outside the contract that we
 * serve anyway: official payruns and payslips (providers such as Deel have them in their official API) and
 * `/2023-03-01/{mode}/passthrough`. Those are granted only when asked for by name and are left out of
 * contract-shaped responses. Plain-words labels for consent.
 */
import {
  type ExtensionResource,
  type Mode,
  RESOURCES,
  type Resource,
  extensionScopes,
  scopeFor,
} from '../model/index.js';

const NOT_IN_CONTRACT: ReadonlySet<string> = new Set([
  scopeFor('official', 'payruns'),
  scopeFor('official', 'payruns/:payrun_id'),
]);

function contractScopesOf(mode: Mode): string[] {
  return RESOURCES.map((r) => scopeFor(mode, r)).filter((s) => !NOT_IN_CONTRACT.has(s));
}

/** The contract's `ScopesRequest` enum: what Affix-shaped responses may list. */
export const CONTRACT_SCOPES: readonly string[] = [
  ...contractScopesOf('official'),
  ...contractScopesOf('xhr'),
];

/** Contract scopes first, then ours; this order is the canonical order of a grant. */
export function grantableScopes(mode: Mode): string[] {
  const outsideContract = RESOURCES.map((r) => scopeFor(mode, r)).filter((s) => NOT_IN_CONTRACT.has(s));
  return [...contractScopesOf(mode), ...outsideContract, ...extensionScopes(mode)];
}

export const ALL_GRANTABLE_SCOPES: readonly string[] = [
  ...grantableScopes('official'),
  ...grantableScopes('xhr'),
];

/** Affix-shaped responses validate scopes against the contract enum; anything else is left out of them. */
export function contractScopes(scopes: string[]): string[] {
  return scopes.filter((s) => CONTRACT_SCOPES.includes(s));
}

export function isExtensionScope(scope: string): boolean {
  const mode = modeOfScope(scope);
  return mode !== undefined && extensionScopes(mode).includes(scope);
}

export function modeOfScope(scope: string): Mode | undefined {
  const m = /^\/2023-03-01\/(official|xhr)\//.exec(scope);
  return m ? (m[1] as Mode) : undefined;
}

/** What the end user reads on the consent screen. */
export function scopeLabel(scope: string): string {
  const resource = scope.replace(/^\/2023-03-01\/(official|xhr)\//, '') as Resource | ExtensionResource;
  switch (resource) {
    case 'company':
      return 'Read your company’s name, registration and address';
    case 'employee':
      return 'Add new employees';
    case 'employees':
      return 'Read employee profiles: names, job titles, contact details, pay and bank details';
    case 'groups':
      return 'Read departments, teams and cost centres';
    case 'identity':
      return 'Read the name and email of the account you sign in with';
    case 'payruns':
      return 'Read pay runs (dates and status)';
    case 'payruns/:payrun_id':
      return 'Read payslips: gross and net pay, taxes and deductions';
    case 'time-off-balances':
      return 'Read time-off balances';
    case 'time-off-entries':
      return 'Read time-off requests';
    case 'timesheets':
      return 'Read timesheets (hours worked)';
    case 'work-locations':
      return 'Read work locations';
    case 'passthrough':
      return 'Send any request to your HR system’s API on your behalf, including changes to its data';
    default:
      return scope;
  }
}
