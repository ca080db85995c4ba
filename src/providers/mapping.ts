/**
 * What every provider's mappers share: the contract's enum member types, ISO code lookups, and the identifying
 * fields of a payslip. What a provider's words mean (its statuses, its pay periods) stays in its own mappers.
 */
import type { Static } from '@sinclair/typebox';
import {
  COUNTRIES,
  CURRENCIES,
  type CompensationHistorySchema,
  type Country,
  type Currency,
  type EMPLOYMENT_STATUSES,
  type EMPLOYMENT_TYPES,
  type GENDERS,
  type PAY_FREQUENCIES,
  type PAYRUN_STATES,
  type PAYRUN_TYPES,
  type POLICY_TYPES,
  type Payrun,
  type Payslip,
  type TIME_OFF_STATUSES,
  type TIME_OFF_UNITS,
} from '../model/index.js';

export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
export type Gender = (typeof GENDERS)[number];
export type PayFrequency = (typeof PAY_FREQUENCIES)[number];
export type PayrunState = (typeof PAYRUN_STATES)[number];
export type PayrunType = (typeof PAYRUN_TYPES)[number];
export type PolicyType = (typeof POLICY_TYPES)[number];
export type TimeOffStatus = (typeof TIME_OFF_STATUSES)[number];
export type TimeOffUnit = (typeof TIME_OFF_UNITS)[number];
/** One entry of an employee's `compensations`. */
export type Compensation = Static<typeof CompensationHistorySchema>;

/** `value` when it is one of `members`, else null: a provider's word that is already the contract's. */
export function member<T extends string>(members: readonly T[], value: string | null | undefined): T | null {
  return value !== null && value !== undefined && (members as readonly string[]).includes(value)
    ? (value as T)
    : null;
}

/** The contract's `pay_period` word for the usual English adverbs, keyed in lower case. */
const PAY_PERIOD_WORDS: ReadonlyMap<string, string> = new Map([
  ['hourly', 'hour'],
  ['daily', 'day'],
  ['weekly', 'week'],
  ['monthly', 'month'],
  ['annual', 'year'],
  ['annually', 'year'],
  ['yearly', 'year'],
]);

/** `hourly` → `hour`, `annually` → `year` (lower-case input); undefined for any other word. */
export function payPeriodWord(word: string): string | undefined {
  return PAY_PERIOD_WORDS.get(word);
}

/**
 * `first` and `second` joined by `separator`, either alone when the other is null, null when both are (the parts
 * are non-empty or null, as mappers' `str` gives them). `[a, b].filter(…).join(…)` without its two arrays: mappers
 * join names and street lines for every record.
 */
export function joinPresent(first: string | null, second: string | null, separator: string): string | null {
  if (first === null) return second;
  return second === null ? first : `${first}${separator}${second}`;
}

/** An ISO 3166 alpha-2 code in any case (`de`, ` DE `) → the contract's country, else null. */
export function toCountryCode(value: unknown): Country | null {
  return typeof value === 'string' ? member(COUNTRIES, value.trim().toUpperCase()) : null;
}

/** An ISO 4217 code in any case (`EUR`, `eur`) → the contract's lower-case currency, else null. */
export function toCurrencyCode(value: unknown): Currency | null {
  return typeof value === 'string' ? member(CURRENCIES, value.trim().toLowerCase()) : null;
}

/** A payslip's identifying fields: its id and the employee's and pay run's, each also as the provider's own id. */
export function payslipIds(
  id: string | null,
  employeeId: string,
  run: Pick<Payrun, 'id' | 'remote_id' | 'type'>,
): Pick<
  Payslip,
  'id' | 'remote_id' | 'employee_id' | 'employee_remote_id' | 'payrun_id' | 'payrun_remote_id' | 'payrun_type'
> {
  return {
    id,
    remote_id: id,
    employee_id: employeeId,
    employee_remote_id: employeeId,
    payrun_id: run.id,
    payrun_remote_id: run.remote_id,
    payrun_type: run.type,
  };
}
