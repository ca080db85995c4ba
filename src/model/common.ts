/**
 * Building blocks shared by the unified objects. The contract is OpenAPI 3.0 (`nullable: true`); we express the
 * same thing as `T | null` so one TypeBox schema serves validation, TypeScript types and the served OpenAPI.
 */
import './formats.js';
import { type TLiteral, type TNull, type TSchema, type TUnion, Type } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A string enum that may also be null, as the spec's `enum: [null, …], nullable: true`. */
export function NullableEnum<const V extends readonly string[]>(values: V) {
  return Type.Union([...values.map((v) => Type.Literal(v)), Type.Null()]) as unknown as TUnion<
    [...{ [K in keyof V]: TLiteral<V[K] & string> }, TNull]
  >;
}

export function StringEnum<const V extends readonly string[]>(
  values: V,
  options: { description?: string } = {},
) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<[...{ [K in keyof V]: TLiteral<V[K] & string> }]>;
}

/** `YYYY-MM-DD`. The spec marks these `format: date`; examples showing timestamps are ignored on purpose. */
export const DateString = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** ISO 8601 UTC timestamp. */
export const DateTimeString = Type.String({ format: 'date-time' });

export const MODES = ['official', 'xhr'] as const;
export type Mode = (typeof MODES)[number];
export const ModeSchema = StringEnum(MODES);

export const EMPLOYMENT_STATUSES = ['active', 'inactive', 'pending', 'leave'] as const;
export const EMPLOYMENT_TYPES = ['full_time', 'part_time', 'contractor', 'other'] as const;
export const CURRENCIES = ['usd', 'gbp', 'eur', 'sek', 'cad'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const GENDERS = ['male', 'female', 'not_specified'] as const;
export const ETHNICITIES = [
  'asian',
  'black',
  'hispanic',
  'mixed',
  'not_specified',
  'other',
  'white',
] as const;
export const MARITAL_STATUSES = ['single', 'married', 'divorced', 'not_specified', 'other'] as const;
export const PAY_FREQUENCIES = ['year', 'weekly', 'biweekly', 'semimonthly', 'monthly', 'other'] as const;
export const GROUP_TYPES = ['department', 'team', 'cost_centre', 'pay_group'] as const;
export const POLICY_TYPES = [
  'bereavement',
  'holiday',
  'jury_duty',
  'personal',
  'sick',
  'vacation',
  'volunteer',
] as const;
export const PAYRUN_TYPES = ['regular', 'one_time', 'off_cycle', 'correction', 'reversal'] as const;
export const PAYRUN_STATES = ['paid', 'pending'] as const;
export const TIME_OFF_UNITS = ['hours', 'days', 'months'] as const;
export const TIME_OFF_STATUSES = ['approved', 'pending', 'rejected'] as const;

/** ISO-3166 alpha-2 codes the contract allows in `address.country`. */
export const COUNTRIES = [
  'BZ',
  'CA',
  'CR',
  'GT',
  'MX',
  'PA',
  'SV',
  'US',
  'AR',
  'BR',
  'CL',
  'CO',
  'PE',
  'AT',
  'BE',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GB',
  'GR',
  'IE',
  'IM',
  'IS',
  'IT',
  'LI',
  'LT',
  'LU',
  'LV',
  'MK',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'RU',
  'SE',
  'SK',
  'BD',
  'CN',
  'HK',
  'ID',
  'IL',
  'IN',
  'JP',
  'KR',
  'KZ',
  'MO',
  'MY',
  'PH',
  'PK',
  'PS',
  'SA',
  'SG',
  'TH',
  'TJ',
  'TM',
  'TR',
  'TW',
  'VN',
  'ZA',
  'AU',
  'NZ',
] as const;
export type Country = (typeof COUNTRIES)[number];
