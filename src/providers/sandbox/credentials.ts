/**
 * Test credentials: every login error the connect page and API must handle can be produced on purpose. The marker
 * (`+mfa`, `+captcha`, …) goes in the username (xhr) or in the API key (official).
 */
import type { Mode } from '../../model/index.js';
import { ProviderError } from '../errors.js';

export const SANDBOX_OTP = '123456';

/** For the connect page and docs: what to type to get which outcome. */
export const SANDBOX_TEST_CREDENTIALS = {
  /** Any non-empty username + password (xhr) or API key (official) connects. */
  success: { username: 'demo@example.com', password: 'any-password', api_key: 'sandbox-key' },
  wrongPassword: { password: 'wrong-password', api_key: 'wrong-key', code: 'incorrect_username_or_password' },
  mfa: {
    username: 'demo+mfa@example.com',
    api_key: 'sandbox+mfa',
    otp: SANDBOX_OTP,
    code: 'incorrect_mfa_or_otp',
  },
  captcha: { username: 'demo+captcha@example.com', api_key: 'sandbox+captcha', code: 'captcha_challenge' },
  noAccounts: {
    username: 'demo+noaccounts@example.com',
    api_key: 'sandbox+noaccounts',
    code: 'no_valid_accounts',
  },
  noPermission: {
    username: 'demo+noperm@example.com',
    api_key: 'sandbox+noperm',
    code: 'insufficient_permission',
  },
  setup: {
    username: 'demo+setup@example.com',
    api_key: 'sandbox+setup',
    code: 'additional_account_setup_required',
  },
  /** Connects, but every later data call fails with this code. */
  expired: {
    username: 'demo+expired@example.com',
    api_key: 'sandbox+expired',
    code: 'reauthentication_required',
  },
} as const;

/** One line per test value, for field help texts. */
export const SANDBOX_CREDENTIALS_HELP =
  'Sandbox: anything non-empty connects. Test values: password "wrong-password" (API key "wrong-key") → wrong ' +
  'credentials; "+mfa" in the username/key (demo+mfa@example.com) → asks for a code, 123456 passes; "+captcha", ' +
  '"+noaccounts", "+noperm", "+setup" → those errors; "+expired" → connects, then data calls need reauthentication.';

/** The string that carries the markers: the username in xhr mode, the API key in official mode. */
function principal(mode: Mode, credentials: Record<string, string>): string {
  return (mode === 'official' ? credentials['api_key'] : credentials['username']) ?? '';
}

/** Checks credentials the way a real provider login would fail. Throws ProviderError; returns on success. */
export function verifySandboxCredentials(mode: Mode, credentials: Record<string, string>): void {
  const who = principal(mode, credentials).trim();
  if (mode === 'official') {
    if (who === '' || who === SANDBOX_TEST_CREDENTIALS.wrongPassword.api_key) {
      throw ProviderError.authentication('incorrect_username_or_password', 'the API key was not accepted');
    }
  } else {
    const password = credentials['password'] ?? '';
    if (who === '' || password === '' || password === SANDBOX_TEST_CREDENTIALS.wrongPassword.password) {
      throw ProviderError.authentication('incorrect_username_or_password', 'incorrect username or password');
    }
  }
  const marker = who.toLowerCase();
  if (marker.includes('+captcha')) {
    throw ProviderError.authentication('captcha_challenge', 'the provider asked for a captcha');
  }
  if (marker.includes('+noaccounts')) {
    throw ProviderError.authentication('no_valid_accounts', 'this login has no company account');
  }
  if (marker.includes('+noperm')) {
    throw ProviderError.authentication('insufficient_permission', 'this login lacks the admin permission');
  }
  if (marker.includes('+setup')) {
    throw ProviderError.authentication('additional_account_setup_required', 'finish the account setup first');
  }
  if (marker.includes('+mfa')) {
    const otp = credentials['otp'];
    if (otp === undefined || otp === '') throw new ProviderError('mfa_required', 'enter the 6-digit code');
    if (otp.trim() !== SANDBOX_OTP) {
      throw ProviderError.authentication('incorrect_mfa_or_otp', 'the code is not correct');
    }
  }
}

/** After a successful connect: data calls for a `+expired` login fail as a lapsed session would. */
export function assertSessionAlive(mode: Mode, credentials: Record<string, string>): void {
  if (principal(mode, credentials).toLowerCase().includes('+expired')) {
    throw ProviderError.authentication('reauthentication_required', 'the session expired; connect again');
  }
}
