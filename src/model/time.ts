import { type Static, Type } from '@sinclair/typebox';
import {
  DateString,
  DateTimeString,
  Nullable,
  NullableEnum,
  POLICY_TYPES,
  StringEnum,
  TIME_OFF_STATUSES,
  TIME_OFF_UNITS,
} from './common.js';

export const TimesheetSchema = Type.Object(
  {
    id: Type.String(),
    remote_id: Type.String(),
    employee_id: Type.String(),
    employee_remote_id: Type.String(),
    start_time: Nullable(DateTimeString),
    end_time: Nullable(DateTimeString),
    // The contract says multipleOf 0.1; float checks of that misfire (3.3 % 0.1 ≠ 0), so adapters round to 0.1 instead.
    hours_worked: Type.Number(),
    remote_created_at: Nullable(DateString),
    remote_modified_at: Nullable(DateString),
  },
  { title: 'Timesheet', additionalProperties: false },
);
export type Timesheet = Static<typeof TimesheetSchema>;

export const TimeOffEntrySchema = Type.Object(
  {
    id: Type.String(),
    remote_id: Type.String(),
    employee_id: Type.String(),
    employee_remote_id: Type.String(),
    start_date: Nullable(DateString),
    end_date: Nullable(DateString),
    amount: Type.Number({ description: 'rounded to 0.1, as the contract' }),
    // The contract's `unit` is `type: string` without `nullable`, so null is never sent.
    unit: StringEnum(TIME_OFF_UNITS),
    status: NullableEnum(TIME_OFF_STATUSES),
    employee_note: Nullable(Type.String()),
    policy_id: Nullable(Type.String()),
    policy_remote_id: Nullable(Type.String()),
    policy_name: Nullable(Type.String()),
    policy_type: NullableEnum(POLICY_TYPES),
    remote_created_at: Nullable(DateString),
    remote_modified_at: Nullable(DateString),
  },
  { title: 'TimeOffEntry', additionalProperties: false },
);
export type TimeOffEntry = Static<typeof TimeOffEntrySchema>;

export const TimeOffBalanceSchema = Type.Object(
  {
    employee_id: Type.String(),
    employee_remote_id: Type.String(),
    balance: Nullable(Type.Number()),
    used: Nullable(Type.Number()),
    policy_id: Nullable(Type.String()),
    policy_remote_id: Nullable(Type.String()),
    policy_name: Nullable(Type.String()),
    policy_type: NullableEnum(POLICY_TYPES),
    remote_created_at: Nullable(DateString),
    remote_modified_at: Nullable(DateString),
  },
  { title: 'TimeOffBalance', additionalProperties: false },
);
export type TimeOffBalance = Static<typeof TimeOffBalanceSchema>;
