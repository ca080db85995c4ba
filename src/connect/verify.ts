/**
 * The provider's verdict on what the user typed (credentials, or those plus a one-time code), as the connect page
 * shows it: the credentials and OTP steps both ask the adapter and word its refusals the same way.
 */
import type { AuthenticationErrorCode } from '../model/index.js';
import { ProviderError } from '../providers/errors.js';
import type { ConnectField, Provider } from '../providers/types.js';
import type { Services } from '../services.js';
import { adapterFor } from '../sync/connections.js';
import { listOf } from './html.js';

/** "Client ID and Client secret": the form's own labels, so an API-key form is not told about a password. */
function fieldNames(fields: ConnectField[]): string {
  return listOf(fields.map((f) => f.label)) || 'sign-in details';
}

export function authMessage(
  code: AuthenticationErrorCode | undefined,
  provider: Provider,
  fields: ConnectField[] = [],
): string {
  const name = provider.displayName;
  let text: string;
  switch (code) {
    case 'incorrect_username_or_password':
      text = fields.some((f) => /password/i.test(f.name))
        ? 'The username or password is incorrect.'
        : `${name} did not accept these details. Check the ${fieldNames(fields)}.`;
      break;
    case 'incorrect_mfa_or_otp':
      text = 'That verification code is not correct. Try again.';
      break;
    case 'captcha_challenge':
      text = `${name} asked for a captcha check. Sign in to ${name} in your browser once, then try again.`;
      break;
    case 'no_valid_accounts':
      text = 'This login has no company account that can be connected.';
      break;
    case 'insufficient_permission':
      text = 'This account may not read employee data. Ask an administrator to connect instead.';
      break;
    case 'additional_account_setup_required':
      text = `Your ${name} account needs more setup first. Sign in to ${name} to finish it, then try again.`;
      break;
    case 'reauthentication_required':
      text = 'Your sign-in expired. Try again.';
      break;
    default:
      text = `${name} refused the sign-in.`;
  }
  return text;
}

/**
 * A refusal: `message` for the person, `code` (the contract's authentication error code, or our own) for the app's
 * developer, kept out of the visible text. `counts`: the refusal is held against the form's limits (a wrong
 * password is; the provider being down is not).
 */
export interface Refusal {
  status: number;
  message: string;
  code: string;
  counts: boolean;
}

export type VerifyOutcome = 'ok' | 'mfa' | Refusal;

const EXPIRED: Refusal = {
  status: 410,
  message: 'This connection attempt expired. Start again.',
  code: 'session_expired',
  counts: false,
};

export async function verify(
  services: Services,
  provider: Provider,
  connectionId: string,
  credentials: Record<string, string>,
): Promise<VerifyOutcome> {
  const connection = await services.store.connections.find(connectionId);
  // Credentials are only ever checked against the connection made for that provider.
  if (!connection || connection.provider !== provider.id) return EXPIRED;
  try {
    await adapterFor(services, provider, connection, credentials).verify();
    return 'ok';
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    switch (err.kind) {
      case 'mfa_required':
        return 'mfa';
      case 'authentication':
        return {
          status: 401,
          message: authMessage(err.options.code, provider, provider.fields[connection.mode] ?? []),
          code: err.options.code ?? 'authentication_error',
          counts: true,
        };
      case 'rate_limited':
      case 'unavailable':
        return {
          status: 503,
          message: `${provider.displayName} is not reachable right now. Try again in a minute.`,
          code: 'provider_unavailable',
          counts: false,
        };
      default:
        return {
          status: 502,
          message: `${provider.displayName} answered in a way we did not understand. Try again later.`,
          code: 'provider_error',
          counts: false,
        };
    }
  }
}
