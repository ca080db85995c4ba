/** Connect-form fields every web-login provider (xhr) offers after its own: the authenticator secret and "Keep me signed in". */
import type { ConnectField } from '../types.js';
import { TOTP_SECRET_PATTERN } from './totp.js';

export function webLoginFields(displayName: string): ConnectField[] {
  return [
    {
      name: 'totp_secret',
      label: 'Authenticator secret (optional)',
      secret: true,
      required: false,
      pattern: TOTP_SECRET_PATTERN,
      help: 'If your login uses an authenticator app, the setup key it showed you, so Affix can sign in again without asking you.',
    },
    {
      name: 'keep_signed_in',
      label: 'Keep me signed in',
      kind: 'checkbox',
      secret: false,
      required: false,
      help: `Stores your password (encrypted) so the connection survives ${displayName} ending its session. Otherwise you reconnect when it does.`,
    },
  ];
}
