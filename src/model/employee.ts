import { type Static, Type } from '@sinclair/typebox';
import { AddressSchema, LocationSchema } from './address.js';
import {
  CURRENCIES,
  COUNTRIES,
  DateString,
  EMPLOYMENT_STATUSES,
  EMPLOYMENT_TYPES,
  ETHNICITIES,
  GENDERS,
  GROUP_TYPES,
  MARITAL_STATUSES,
  Nullable,
  NullableEnum,
  PAY_FREQUENCIES,
  StringEnum,
} from './common.js';
import { GroupSchema } from './group.js';

export const ManagerSchema = Type.Object(
  {
    id: Nullable(Type.String()),
    remote_id: Nullable(Type.String()),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    work_email: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const BankAccountSchema = Type.Object(
  {
    account_number: Nullable(Type.String()),
    bank_name: Nullable(Type.String()),
    bic: Nullable(Type.String()),
    holder_name: Nullable(Type.String()),
    iban: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const EmploymentHistorySchema = Type.Object(
  {
    job_title: Nullable(Type.String()),
    effective_date: Nullable(DateString),
    group_id: Nullable(Type.String()),
    group_remote_id: Nullable(Type.String()),
    group_name: Nullable(Type.String()),
    manager_id: Nullable(Type.String()),
    manager_remote_id: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

/** `pay_rate` is in major units per `pay_period` (85000 a year), as the contract's examples. */
export const CompensationHistorySchema = Type.Object(
  {
    pay_rate: Nullable(Type.Number()),
    pay_period: Nullable(Type.String({ description: 'free text, e.g. "year"' })),
    pay_frequency: NullableEnum(PAY_FREQUENCIES),
    employment_type: NullableEnum(EMPLOYMENT_TYPES),
    currency: NullableEnum(CURRENCIES),
    effective_date: Nullable(DateString),
    notes: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const DependentSchema = Type.Object(
  { name: Nullable(Type.String()), relationship: Nullable(Type.String()) },
  { additionalProperties: false },
);

export const EmergencyContactSchema = Type.Object(
  {
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    relationship: Nullable(Type.String()),
    mobile_phone_number: Nullable(Type.String()),
    primary_contact: Nullable(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const CustomFieldsSchema = Nullable(Type.Record(Type.String(), Type.Unknown()));

export const EmployeeSchema = Type.Object(
  {
    id: Type.String(),
    remote_id: Type.String(),
    employee_number: Nullable(Type.String()),
    first_name: Type.String(),
    last_name: Type.String(),
    display_full_name: Nullable(Type.String()),
    nationality: Nullable(Type.String()),
    job_title: Nullable(Type.String()),
    work_email: Nullable(Type.String()),
    personal_email: Nullable(Type.String()),
    mobile_phone_number: Nullable(Type.String()),
    tax_id: Nullable(Type.String()),
    gender: NullableEnum(GENDERS),
    ethnicity: NullableEnum(ETHNICITIES),
    marital_status: NullableEnum(MARITAL_STATUSES),
    date_of_birth: Nullable(DateString),
    employment_status: NullableEnum(EMPLOYMENT_STATUSES),
    employment_type: NullableEnum(EMPLOYMENT_TYPES),
    start_date: Nullable(DateString),
    remote_created_at: Nullable(DateString),
    termination_date: Nullable(DateString),
    avatar: Nullable(Type.String()),
    home_location: Nullable(AddressSchema),
    work_location: Nullable(LocationSchema),
    manager: Nullable(ManagerSchema),
    bank_account: Nullable(BankAccountSchema),
    employment_history: Nullable(Type.Array(EmploymentHistorySchema)),
    compensation_history: Nullable(Type.Array(CompensationHistorySchema)),
    custom_fields: CustomFieldsSchema,
    groups: Nullable(Type.Array(GroupSchema)),
    dependents: Nullable(Type.Array(DependentSchema)),
    emergency_contacts: Nullable(Type.Array(EmergencyContactSchema)),
  },
  { title: 'Employee', additionalProperties: false },
);
export type Employee = Static<typeof EmployeeSchema>;

export const EmploymentStatusQuery = StringEnum(EMPLOYMENT_STATUSES);
export type EmploymentStatus = Static<typeof EmploymentStatusQuery>;

const Opt = <T extends Parameters<typeof Nullable>[0]>(s: T) => Type.Optional(Nullable(s));
/** Free-text fields of a request: long enough for any real name or address line, short enough to store safely. */
const FIELD_MAX = 255;

const RequestAddress = Type.Object(
  {
    street_address: Nullable(Type.String({ maxLength: FIELD_MAX })),
    locality: Nullable(Type.String({ maxLength: FIELD_MAX })),
    administrative_area: Nullable(Type.String({ maxLength: FIELD_MAX })),
    country: Nullable(StringEnum(COUNTRIES)),
    post_code: Nullable(Type.String({ maxLength: FIELD_MAX })),
  },
  { additionalProperties: false },
);

/** `CreateEmployeeRequest`: only `first_name` and `last_name` are required; unknown keys are refused (400). */
export const CreateEmployeeRequestSchema = Type.Object(
  {
    employee_number: Opt(Type.String({ maxLength: FIELD_MAX })),
    first_name: Type.String({ minLength: 1, maxLength: FIELD_MAX }),
    last_name: Type.String({ minLength: 1, maxLength: FIELD_MAX }),
    display_full_name: Opt(Type.String({ maxLength: FIELD_MAX })),
    nationality: Opt(Type.String({ maxLength: FIELD_MAX })),
    job_title: Opt(Type.String({ maxLength: FIELD_MAX })),
    work_email: Opt(Type.String({ maxLength: FIELD_MAX })),
    personal_email: Opt(Type.String({ maxLength: FIELD_MAX })),
    mobile_phone_number: Opt(Type.String({ maxLength: FIELD_MAX })),
    tax_id: Opt(Type.String({ maxLength: FIELD_MAX })),
    gender: Opt(StringEnum(GENDERS)),
    ethnicity: Opt(StringEnum(ETHNICITIES)),
    marital_status: Opt(StringEnum(MARITAL_STATUSES)),
    date_of_birth: Opt(DateString),
    employment_status: Opt(StringEnum(EMPLOYMENT_STATUSES)),
    employment_type: Opt(StringEnum(EMPLOYMENT_TYPES)),
    start_date: Opt(DateString),
    termination_date: Opt(DateString),
    avatar: Opt(Type.String({ maxLength: 2048 })),
    home_location: Opt(RequestAddress),
    work_location: Opt(
      Type.Object(
        {
          id: Nullable(Type.String({ maxLength: FIELD_MAX })),
          remote_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
          name: Nullable(Type.String({ maxLength: FIELD_MAX })),
          type: Nullable(Type.String({ maxLength: FIELD_MAX })),
          address: Nullable(RequestAddress),
        },
        { additionalProperties: false },
      ),
    ),
    manager: Opt(
      Type.Object(
        {
          id: Type.String({ maxLength: FIELD_MAX }),
          remote_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
          first_name: Nullable(Type.String({ maxLength: FIELD_MAX })),
          last_name: Nullable(Type.String({ maxLength: FIELD_MAX })),
          work_email: Nullable(Type.String({ maxLength: FIELD_MAX })),
        },
        { additionalProperties: false },
      ),
    ),
    bank_account: Opt(BankAccountSchema),
    employment_history: Opt(
      Type.Array(
        Type.Object(
          {
            job_title: Type.String({ maxLength: FIELD_MAX }),
            effective_date: DateString,
            group_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
            group_remote_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
            group_name: Nullable(Type.String({ maxLength: FIELD_MAX })),
            manager_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
            manager_remote_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    compensation_history: Opt(
      Type.Array(
        Type.Object(
          {
            pay_rate: Type.Number({ minimum: 0 }),
            pay_period: Type.String({ maxLength: FIELD_MAX }),
            pay_frequency: StringEnum(PAY_FREQUENCIES),
            employment_type: StringEnum(EMPLOYMENT_TYPES),
            currency: Nullable(StringEnum(CURRENCIES)),
            effective_date: DateString,
            notes: Type.String({ maxLength: FIELD_MAX }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    custom_fields: Type.Optional(CustomFieldsSchema),
    groups: Opt(
      Type.Array(
        Type.Object(
          {
            id: Nullable(Type.String({ maxLength: FIELD_MAX })),
            remote_id: Nullable(Type.String({ maxLength: FIELD_MAX })),
            name: Nullable(Type.String({ maxLength: FIELD_MAX })),
            type: Nullable(StringEnum(GROUP_TYPES)),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    dependents: Opt(Type.Array(DependentSchema)),
    emergency_contacts: Opt(Type.Array(EmergencyContactSchema)),
  },
  { title: 'CreateEmployeeRequest', additionalProperties: false },
);
export type CreateEmployeeRequest = Static<typeof CreateEmployeeRequestSchema>;
