import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './common.js';

/** The person who connected the account. */
export const IdentitySchema = Type.Object(
  {
    name: Type.String(),
    email: Type.String(),
    phone_number: Nullable(Type.String()),
  },
  { title: 'Identity', additionalProperties: false },
);
export type Identity = Static<typeof IdentitySchema>;
