import { type Static, Type } from '@sinclair/typebox';
import { COUNTRIES, Nullable, NullableEnum } from './common.js';

/** `addressResponse`: every key present, each nullable; the object itself nullable where used. */
export const AddressSchema = Type.Object(
  {
    street_address: Nullable(Type.String()),
    locality: Nullable(Type.String()),
    administrative_area: Nullable(Type.String()),
    country: NullableEnum(COUNTRIES),
    post_code: Nullable(Type.String()),
  },
  { title: 'Address', additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

/** `locationResponse` (a work location). */
export const LocationSchema = Type.Object(
  {
    id: Nullable(Type.String()),
    remote_id: Nullable(Type.String()),
    name: Nullable(Type.String()),
    type: Nullable(Type.String({ description: 'free text, e.g. "office"' })),
    address: Nullable(AddressSchema),
  },
  { title: 'Location', additionalProperties: false },
);
export type Location = Static<typeof LocationSchema>;
