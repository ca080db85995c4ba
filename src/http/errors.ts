/**
 * One table of API errors: a stable snake_case code → HTTP status and the contract's body shape. Services throw
 * ApiError; the error handler (app.ts) also maps framework, token and provider errors through here.
 */
import type { AuthenticationErrorCode } from '../model/index.js';

type Body =
  | { message: string }
  | { message: string; validation_error: string }
  | { id: string; message: string }
  | { error: 'authentication_error'; message: string; code: AuthenticationErrorCode }
  | { error: 'conflict'; message?: string; code?: string; token?: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Body,
    readonly headers: Record<string, string> = {},
  ) {
    super('message' in body ? body.message : body.error);
    this.name = 'ApiError';
  }
}

export const errors = {
  badRequest: (validation_error: string, message = 'Bad Request') =>
    new ApiError(400, { message, validation_error }),
  unsupportedMediaType: (validation_error: string) =>
    new ApiError(415, { message: 'Unsupported Media Type', validation_error }),
  payloadTooLarge: (limit: number) =>
    new ApiError(413, {
      message: 'Payload Too Large',
      validation_error: `request body exceeds ${limit} bytes`,
    }),
  /** Missing/invalid bearer token: the contract's 401 body plus the RFC 6750 challenge. */
  invalidToken: (message: string) =>
    new ApiError(
      401,
      { error: 'authentication_error', message, code: 'reauthentication_required' },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    ),
  providerAuthentication: (code: AuthenticationErrorCode, message: string) =>
    new ApiError(401, { error: 'authentication_error', message, code }),
  forbidden: (message: string) => new ApiError(403, { message }),
  insufficientScope: (scope: string) =>
    new ApiError(
      403,
      { message: `the token does not grant the scope ${scope}` },
      { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    ),
  notFound: (id: string, message = 'Not Found') => new ApiError(404, { id, message }),
  /** The contract's 409 body, plus a `message` that says what happened (the contract allows more fields). */
  conflict: (message?: string) => new ApiError(409, { error: 'conflict', ...(message ? { message } : {}) }),
  tooManyRequests: (retryAfterSeconds: number) =>
    new ApiError(429, { message: 'Too Many Requests' }, { 'retry-after': String(retryAfterSeconds) }),
  notImplemented: (what: string) => new ApiError(501, { message: `Not Implemented: ${what}` }),
  badGateway: (message: string) => new ApiError(502, { message }),
  unavailable: (message: string, retryAfterSeconds: number) =>
    new ApiError(503, { message }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  internal: () => new ApiError(500, { message: 'Internal Server Error' }),
};
