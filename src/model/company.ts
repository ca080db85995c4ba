import { type Static, Type } from '@sinclair/typebox';
import { AddressSchema } from './address.js';
import { Nullable } from './common.js';

export const CompanySchema = Type.Object(
  {
    id: Nullable(Type.String()),
    remote_id: Nullable(Type.String()),
    legal_name: Nullable(Type.String()),
    display_name: Nullable(Type.String()),
    tax_id: Nullable(Type.String()),
    address: Nullable(AddressSchema),
  },
  { title: 'Company', additionalProperties: false },
);
export type Company = Static<typeof CompanySchema>;
