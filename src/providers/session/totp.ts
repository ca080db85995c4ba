/**
 * Authenticator-app codes: a connection whose provider supports TOTP may keep the app's secret (sealed with its
 * credentials), so a re-login that meets the MFA step answers it instead of asking the user.
 */
import { Secret, TOTP } from 'otpauth';

/** A base32 secret as authenticator apps show it (spaces and lower case allowed). */
export const TOTP_SECRET_PATTERN = '^[A-Za-z2-7 =]{16,128}$';

/** The current 6-digit code for `secret` (RFC 6238, SHA-1, 30 s: what authenticator apps use). */
export function totpCode(secret: string, timestamp = Date.now()): string {
  const clean = secret.replace(/[\s=]/g, '').toUpperCase();
  return new TOTP({ secret: Secret.fromBase32(clean), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp,
  });
}
