/**
 * "Keep me signed in" (web logins, xhr mode): what a connection keeps once its sign-in was accepted. A provider that
 * offers the box gets the password (and authenticator secret) stored, sealed, only when it was ticked; otherwise
 * only the session the sign-in opened is kept (its cookies, in the sealed connection state) and the user reconnects
 * when the provider ends it. Until the sign-in is accepted (an OTP step may follow) everything typed is kept.
 */
import type { ConnectField } from '../providers/types.js';

export const KEEP_SIGNED_IN = 'keep_signed_in';

export function credentialsToKeep(
  fields: ConnectField[],
  credentials: Record<string, string>,
): Record<string, string> {
  if (!fields.some((f) => f.name === KEEP_SIGNED_IN)) return credentials;
  if (credentials[KEEP_SIGNED_IN] === 'on') return credentials;
  const { password: _p, totp_secret: _t, [KEEP_SIGNED_IN]: _k, ...rest } = credentials;
  return rest;
}
