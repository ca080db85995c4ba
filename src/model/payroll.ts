import { type Static, Type } from '@sinclair/typebox';
import { CURRENCIES, DateString, Nullable, NullableEnum, PAYRUN_STATES, PAYRUN_TYPES } from './common.js';

export const PayrunSchema = Type.Object(
  {
    id: Type.String(),
    remote_id: Type.String(),
    state: NullableEnum(PAYRUN_STATES),
    type: NullableEnum(PAYRUN_TYPES),
    start_date: Nullable(DateString),
    end_date: Nullable(DateString),
    payment_date: Nullable(DateString),
  },
  { title: 'Payrun', additionalProperties: false },
);
export type Payrun = Static<typeof PayrunSchema>;

/** Money on payslips is an integer in minor units ("in cent", as the contract's examples 134267 / 86578). */
const MinorUnits = Type.Integer({ description: 'minor units (cents)' });
const LineItem = Type.Object({ name: Type.String(), amount: MinorUnits }, { additionalProperties: false });

export const EarningSchema = Type.Object(
  { name: Type.String(), amount: MinorUnits, hours: Nullable(Type.Number()) },
  { additionalProperties: false },
);
export const TaxSchema = Type.Object(
  { name: Type.String(), amount: MinorUnits, employer_tax: Nullable(Type.Boolean()) },
  { additionalProperties: false },
);

export const PayslipSchema = Type.Object(
  {
    id: Nullable(Type.String()),
    remote_id: Nullable(Type.String()),
    employee_id: Type.String(),
    employee_remote_id: Type.String(),
    payrun_id: Type.String(),
    payrun_remote_id: Type.String(),
    payrun_type: NullableEnum(PAYRUN_TYPES),
    currency: NullableEnum(CURRENCIES),
    gross_pay: Nullable(MinorUnits),
    net_pay: Nullable(MinorUnits),
    start_date: DateString,
    end_date: DateString,
    payment_date: DateString,
    earnings: Nullable(Type.Array(EarningSchema)),
    contributions: Nullable(Type.Array(LineItem)),
    deductions: Nullable(Type.Array(LineItem)),
    taxes: Nullable(Type.Array(TaxSchema)),
    reimbursements: Nullable(Type.Array(LineItem)),
  },
  { title: 'Payslip', additionalProperties: false },
);
export type Payslip = Static<typeof PayslipSchema>;
