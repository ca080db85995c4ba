/**
 * RFC 6749 errors. Only the codes of §4.1.2.1 (authorization) and §5.2 (token) exist here; the description is
 * public, single-line and printable (no CR, LF or TAB: RFC 6749 allows %x20-21 / %x23-5B / %x5D-7E only).
 */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export type AuthorizeErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable';

export class OAuthError extends Error {
  readonly description: string;
  constructor(
    readonly error: TokenErrorCode | AuthorizeErrorCode,
    description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    const safe = sanitizeDescription(description);
    super(safe);
    this.name = 'OAuthError';
    this.description = safe;
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/** RFC 6749 error_description charset: printable ASCII without `"` and `\`. */
export function sanitizeDescription(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?')
    .slice(0, 300);
}
