/** Error bodies exactly as the contract shapes them. */
import { type Static, Type } from '@sinclair/typebox';
import { StringEnum } from './common.js';

export const MessageSchema = Type.Object({ message: Type.String() }, { $id: 'Message' });
export const BadRequestSchema = Type.Object(
  { message: Type.String(), validation_error: Type.String() },
  { $id: 'BadRequest' },
);
export const NotFoundSchema = Type.Object({ id: Type.String(), message: Type.String() }, { $id: 'NotFound' });
export const ConflictSchema = Type.Object(
  {
    error: Type.Literal('conflict'),
    code: Type.Optional(Type.String()),
    token: Type.Optional(Type.String()),
  },
  { $id: 'Conflict' },
);

/** The spec's 401 `code` values (its enum carries inline comments; these are the bare codes). */
export const AUTHENTICATION_ERROR_CODES = [
  'incorrect_username_or_password',
  'incorrect_mfa_or_otp',
  'reauthentication_required',
  'additional_account_setup_required',
  'captcha_challenge',
  'no_valid_accounts',
  'insufficient_permission',
] as const;
export type AuthenticationErrorCode = (typeof AUTHENTICATION_ERROR_CODES)[number];

export const AuthenticationErrorSchema = Type.Object(
  {
    error: Type.Literal('authentication_error'),
    message: Type.String(),
    code: StringEnum(AUTHENTICATION_ERROR_CODES),
  },
  { $id: 'AuthenticationError' },
);
export type AuthenticationErrorBody = Static<typeof AuthenticationErrorSchema>;
