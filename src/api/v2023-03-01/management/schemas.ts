/**
 * TypeBox schemas of the management bodies, shaped as the contract's components (served in /openapi.json), and
 * what the management routes share.
 */
import { Type } from '@sinclair/typebox';
import { ModeSchema, ProviderIdSchema } from '../../../model/index.js';
import { CONTRACT_SCOPES } from '../../../oauth/scopes.js';

export const MANAGEMENT_PATH = '/2023-03-01/management';

/** The error responses of the Basic-authenticated and token-exchange routes (OpenAPI only). */
export const errorResponses = {
  400: { $ref: 'BadRequest#' },
  401: { $ref: 'Message#' },
  429: { $ref: 'Message#' },
  500: { $ref: 'Message#' },
};

const ScopesSchema = Type.Array(Type.Unsafe<string>({ type: 'string', enum: [...CONTRACT_SCOPES] }));

export const ClientResponseSchema = Type.Object(
  {
    client_id: Type.String(),
    client_secret: Type.Array(Type.String()),
    redirect_uris: Type.Array(Type.String()),
    name: Type.String(),
    webhook_uri: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'ClientResponse' },
);

export const ClientRequestSchema = Type.Object(
  {
    client_secret: Type.Array(Type.String({ maxLength: 512 }), { maxItems: 10 }),
    redirect_uris: Type.Array(Type.String({ maxLength: 2000 }), { minItems: 1, maxItems: 20 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    webhook_uri: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  },
  { title: 'ClientRequest', additionalProperties: false },
);

export const TokenRequestSchema = Type.Object(
  {
    client_id: Type.String({ maxLength: 200 }),
    client_secret: Type.String({ maxLength: 512 }),
    grant_type: Type.Literal('authorization_code'),
    code: Type.String({ maxLength: 512 }),
    redirect_uri: Type.String({ maxLength: 2000 }),
    /** Not in the Affix contract: lets a PKCE client use this endpoint too. */
    code_verifier: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { title: 'TokenRequest', additionalProperties: false },
);

export const TokenResponseSchema = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    mode: ModeSchema,
    provider: ProviderIdSchema,
    scopes: ScopesSchema,
  },
  { title: 'TokenResponse' },
);

export const TokensResponseSchema = Type.Array(
  Type.Object({
    token: Type.String(),
    scopes: ScopesSchema,
    created_at: Type.String({ format: 'date-time' }),
    mode: ModeSchema,
    provider: ProviderIdSchema,
    valid: Type.Boolean(),
  }),
  { title: 'TokensResponse' },
);

export const IntrospectResponseSchema = Type.Object(
  { client_id: Type.String(), mode: ModeSchema, provider: ProviderIdSchema, scopes: ScopesSchema },
  { title: 'IntrospectResponse' },
);

export const DisconnectResponseSchema = Type.Object(
  { disconnected: Type.Literal(true) },
  { title: 'DisconnectResponse' },
);
