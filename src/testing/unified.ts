/**
 * Checks of unified output for provider tests, two ways: against the model's TypeBox schemas (`assertUnified`,
 * `unifiedErrors`: what the adapter promises to the routes) and against the public contract's own schemas
 * (`assertContract`: what the official-mode route answers, through ./affix-spec.ts). Not imported by production code.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
// The model registers the `date` and `date-time` formats TypeBox's checker needs.
import '../model/formats.js';
import {
  CompanySchema,
  EmployeeSchema,
  GroupSchema,
  IdentitySchema,
  LocationSchema,
  PayrunSchema,
  PayslipSchema,
  TimeOffBalanceSchema,
  TimeOffEntrySchema,
  TimesheetSchema,
} from '../model/index.js';
import { assertValid, dataSchemaName } from './affix-spec.js';

/** The unified objects by name, so a provider test names what it checks instead of importing each schema. */
const UNIFIED = {
  company: CompanySchema,
  employee: EmployeeSchema,
  group: GroupSchema,
  identity: IdentitySchema,
  location: LocationSchema,
  payrun: PayrunSchema,
  payslip: PayslipSchema,
  'time-off-balance': TimeOffBalanceSchema,
  'time-off-entry': TimeOffEntrySchema,
  timesheet: TimesheetSchema,
} as const;

/** A unified object's name (`'employee'`), or any TypeBox schema. */
export type Unified = keyof typeof UNIFIED | TSchema;

const schemaOf = (unified: Unified): TSchema => (typeof unified === 'string' ? UNIFIED[unified] : unified);

/** TypeBox's errors for `value` against `schema`, as `path: message (value)` lines; empty when it is valid. */
export function unifiedErrors(unified: Unified, value: unknown): string[] {
  return [...Value.Errors(schemaOf(unified), value)].map(
    (e) => `${e.path}: ${e.message} (${JSON.stringify(e.value)})`,
  );
}

/**
 * Throws with the first errors unless every item is a valid instance of `unified`. `tenths` names number fields that
 * must be multiples of 0.1 (hours, days): the adapters round them, and a float tolerance checks it.
 */
export function assertUnified(
  unified: Unified,
  items: readonly unknown[],
  { tenths = [] }: { tenths?: readonly string[] } = {},
): void {
  const schema = schemaOf(unified);
  for (const item of items) {
    const errors = unifiedErrors(schema, item);
    if (errors.length > 0) {
      const name = String(schema.$id ?? schema.title ?? 'value');
      throw new Error(`not a valid ${name}: ${errors.slice(0, 5).join('; ')}\n${JSON.stringify(item)}`);
    }
    for (const key of tenths) {
      const n = (item as Record<string, unknown>)[key];
      if (typeof n !== 'number' || Math.abs(n * 10 - Math.round(n * 10)) > 1e-9) {
        throw new Error(`${key} = ${String(n)} is not a multiple of 0.1`);
      }
    }
  }
}

/** Throws unless `body`, as served (JSON), is what the contract's official-mode `GET <specPath>` answers. */
export function assertContract(specPath: string, body: unknown): void {
  assertValid(dataSchemaName('official', specPath, 'get', '200'), JSON.parse(JSON.stringify(body)));
}
