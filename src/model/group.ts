import { type Static, Type } from '@sinclair/typebox';
import { GROUP_TYPES, Nullable, NullableEnum } from './common.js';

/** Any subset of employees: department, team, cost centre or pay group. */
export const GroupSchema = Type.Object(
  {
    id: Nullable(Type.String()),
    remote_id: Nullable(Type.String()),
    name: Nullable(Type.String()),
    type: NullableEnum(GROUP_TYPES),
  },
  { title: 'Group', additionalProperties: false },
);
export type Group = Static<typeof GroupSchema>;
