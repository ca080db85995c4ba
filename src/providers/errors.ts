import type { AuthenticationErrorCode } from '../model/index.js';

/** Provider failures, mapped by the HTTP layer to the contract's bodies. */
export class ProviderError extends Error {
  constructor(
    /**
     * authentication → 401 `{error:'authentication_error', code}`; mfa_required → the connect page asks for an OTP;
     * unavailable → 503 + Retry-After; rate_limited → 503 + Retry-After; bad_response → 502; not_found → 404;
     * invalid_request → 400 (the caller asked for something we refuse to send, e.g. a passthrough path that
     * would leave the provider's API base).
     */
    readonly kind:
      | 'authentication'
      | 'mfa_required'
      | 'unavailable'
      | 'rate_limited'
      | 'bad_response'
      | 'not_found'
      | 'invalid_request',
    message: string,
    readonly options: { code?: AuthenticationErrorCode; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ProviderError';
  }

  static authentication(code: AuthenticationErrorCode, message: string): ProviderError {
    return new ProviderError('authentication', message, { code });
  }
}

/**
 * Runs an adapter's `verify()` check of credentials as just entered on the connect page: a refusal there
 * (`reauthentication_required`, what a later call says of credentials that lapsed) means a wrong entry, so it
 * becomes `incorrect_username_or_password` with `message`. Any other failure passes unchanged.
 */
export async function verifyEntered(check: () => Promise<unknown>, message: string): Promise<void> {
  try {
    await check();
  } catch (err) {
    if (err instanceof ProviderError && err.options.code === 'reauthentication_required') {
      throw ProviderError.authentication('incorrect_username_or_password', message);
    }
    throw err;
  }
}
