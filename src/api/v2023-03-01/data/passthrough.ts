/**
 * `POST /2023-03-01/{mode}/passthrough` (an extension: not in the Affix contract). Sends one authenticated request
 * to the connection's provider, confined to its API base, and answers 200 with the provider's status, a safe
 * subset of its headers and its body, whatever that status was. Never cached; a write drops the connection's
 * cached lists. Scope: `/2023-03-01/{mode}/passthrough`, granted only when asked for by name.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requireToken } from '../../../http/auth.js';
import { errors } from '../../../http/errors.js';
import { API_VERSION, MODES, StringEnum, scopeFor } from '../../../model/index.js';
import { passthroughHeaders, passthroughPathProblem } from '../../../providers/http.js';
import type { PassthroughRequest } from '../../../providers/types.js';
import type { Services } from '../../../services.js';
import { bodyRouteResponses, makeAdapter, resolveConnection } from './define.js';

export const PASSTHROUGH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Request headers a caller may have forwarded; ours (authorization) are always set by the adapter instead. */
export const FORWARDED_REQUEST_HEADERS: readonly string[] = [
  'accept',
  'accept-language',
  'if-match',
  'if-none-match',
];

/** Visible ASCII, spaces and tabs only: header values are forwarded verbatim, and HTTP allows nothing else. */
const HeaderValue = Type.String({ maxLength: 1024, pattern: '^[\\x20-\\x7E\\t]*$' });

/** Deeper bodies are refused: no HR API takes them, and serializing them costs stack and time. */
export const MAX_BODY_DEPTH = 32;

/** True when `value` nests arrays/objects deeper than `max` (walked without recursion). */
function tooDeep(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

export const PassthroughRequestSchema = Type.Object(
  {
    method: StringEnum(PASSTHROUGH_METHODS),
    path: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^/',
      description:
        "Under the provider's API base, starting with `/` (e.g. `/company/employees` for Personio). " +
        'No `..`, `//host`, absolute URLs or backslashes, encoded or not.',
    }),
    query: Type.Optional(
      Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 2048 }), { maxProperties: 100 }),
    ),
    body: Type.Optional(Type.Unknown({ description: 'Any JSON; sent as application/json. Not with GET.' })),
    headers: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), HeaderValue, {
        maxProperties: FORWARDED_REQUEST_HEADERS.length,
        description: `Only ${FORWARDED_REQUEST_HEADERS.join(', ')} (any case).`,
      }),
    ),
  },
  { title: 'PassthroughRequest', additionalProperties: false },
);
type PassthroughInput = Static<typeof PassthroughRequestSchema>;

export const PassthroughResponseSchema = Type.Object(
  {
    status: Type.Integer({ description: "The provider's HTTP status (a provider 404 is a 200 here)." }),
    headers: Type.Record(Type.String(), Type.String(), {
      description: 'content-type, content-language, retry-after and rate-limit headers only.',
    }),
    body: Type.Unknown({
      description: 'Parsed JSON when the provider sent JSON, else text; null when empty.',
    }),
  },
  { title: 'PassthroughResponse' },
);

function forwardedHeaders(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!FORWARDED_REQUEST_HEADERS.includes(lower)) {
      throw errors.badRequest(
        `body/headers/${name} is not forwarded; allowed: ${FORWARDED_REQUEST_HEADERS.join(', ')}`,
      );
    }
    out[lower] = value;
  }
  return out;
}

/** The request as the adapter gets it, or a 400 for what schemas cannot say. */
function toPassthroughRequest(input: PassthroughInput): PassthroughRequest {
  const problem = passthroughPathProblem(input.path);
  if (problem) throw errors.badRequest(`body/path ${problem}`);
  if (input.method === 'GET' && input.body !== undefined) {
    throw errors.badRequest('body/body must be absent for GET');
  }
  if (tooDeep(input.body, MAX_BODY_DEPTH)) {
    throw errors.badRequest(`body/body nests deeper than ${MAX_BODY_DEPTH} levels`);
  }
  return {
    method: input.method,
    path: input.path,
    ...(input.query ? { query: input.query } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    ...(input.headers ? { headers: forwardedHeaders(input.headers) } : {}),
  };
}

export function registerPassthrough(app: FastifyInstance, services: Services): void {
  for (const mode of MODES) {
    app.withTypeProvider<TypeBoxTypeProvider>().post(
      `/${API_VERSION}/${mode}/passthrough`,
      {
        schema: {
          summary: 'Passthrough to the provider (extension)',
          description:
            "Not in the Affix contract. Sends an authenticated request to the connection's provider under its " +
            "API base and returns the provider's status, safe headers and body. Needs the scope " +
            `\`/${API_VERSION}/${mode}/passthrough\`. 501 for providers without a passthrough (the sandbox).`,
          tags: [mode],
          security: [{ 'access-token': [] }],
          body: PassthroughRequestSchema,
          response: bodyRouteResponses({
            200: PassthroughResponseSchema,
            502: { $ref: 'Message#' },
            503: { $ref: 'Message#' },
          }),
        },
        onRequest: requireToken(services, scopeFor(mode, 'passthrough')),
      },
      async (req, reply) => {
        const request = toPassthroughRequest(req.body);
        const { connection, provider } = await resolveConnection(services, req, null);
        const adapter = await makeAdapter(services, provider, connection, 'passthrough');
        const res = await adapter.passthrough(request);
        if (request.method !== 'GET' && res.status < 400)
          await services.cache.invalidateConnection(connection.id);
        reply.header('cache-control', 'no-store');
        // Filtered again here, whatever the adapter did: this is where data leaves for the caller.
        return reply.send({ status: res.status, headers: passthroughHeaders(res.headers), body: res.body });
      },
    );
  }
}
