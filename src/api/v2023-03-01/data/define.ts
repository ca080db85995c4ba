/**
 * How a data endpoint is declared: its resource (scope and provider support), schemas, the parameters that key the
 * cache, and the adapter call. `registerDataRoute` mounts it under both modes with auth, 501, cache and 202.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireToken } from '../../../http/auth.js';
import { errors } from '../../../http/errors.js';
import { API_VERSION, MODES, type Mode, type Resource, scopeFor } from '../../../model/index.js';
import {
  type AdapterWith,
  hasMethod,
  RESOURCE_METHODS,
  type ResourceMethod,
} from '../../../providers/resources.js';
import type { AccessClaims } from '../../../oauth/access-tokens.js';
import type { ListSink, Provider, ProviderAdapter } from '../../../providers/types.js';
import type { Services } from '../../../services.js';
import { adapterFor, loadConnection, loadCredentials } from '../../../sync/connections.js';
import type { Connection } from '../../../store/connections.js';
import { cacheKey } from '../../../sync/response-cache.js';

export interface DataRoute<R extends Resource, Q extends TSchema, P extends TSchema> {
  /** Scope, provider support and the adapter method (`RESOURCE_METHODS[resource]`) follow from it. */
  resource: R;
  /** Path under `/2023-03-01/{mode}`, Fastify syntax. */
  path: string;
  summary: string;
  querystring?: Q | ((mode: Mode) => Q);
  params?: P;
  response: TSchema;
  /** false for /identity: the contract has no 202 there, so the request waits for the result. */
  accepted?: boolean;
  /** Extra validation that schemas cannot express (e.g. end before start). */
  check?(query: Static<Q>, params: Static<P>): void;
  /**
   * The result, from the resource's adapter method (the adapter is known to have it); a list may be pushed into
   * `sink` as it arrives, the rest returned (see `ListSink`).
   */
  fetch(
    adapter: AdapterWith<ResourceMethod<R>>,
    query: Static<Q>,
    params: Static<P>,
    sink: ListSink<unknown>,
  ): Promise<unknown>;
}

const RETRY_AFTER_SECONDS = 5;

/** The error responses every data route documents. */
const ERROR_RESPONSES = {
  400: { $ref: 'BadRequest#' },
  401: { $ref: 'AuthenticationError#' },
  403: { $ref: 'Message#' },
  429: { $ref: 'Message#' },
  500: { $ref: 'Message#' },
  501: { $ref: 'Message#' },
};

export const standardResponses = (ok: TSchema) => ({
  200: ok,
  202: { $ref: 'Message#', description: 'Accepted + pending (async job started); see Retry-After' },
  ...ERROR_RESPONSES,
  503: { $ref: 'Message#' },
});

/** Responses of a route that takes a JSON body (create employee, passthrough): `ok` plus the body's 4xx. */
export const bodyRouteResponses = <O extends Record<number, object>>(ok: O) => ({
  ...ok,
  ...ERROR_RESPONSES,
  413: { $ref: 'BadRequest#' },
  415: { $ref: 'BadRequest#' },
});

export function registerDataRoute<R extends Resource, Q extends TSchema, P extends TSchema>(
  app: FastifyInstance,
  services: Services,
  route: DataRoute<R, Q, P>,
): void {
  const method: ResourceMethod<R> = RESOURCE_METHODS[route.resource];
  for (const mode of MODES) {
    const scope = scopeFor(mode, route.resource);
    const querystring = typeof route.querystring === 'function' ? route.querystring(mode) : route.querystring;
    // Only declared parameters key the cache: unknown ones are ignored and must not multiply entries or fetches.
    const declared = Object.keys((querystring as { properties?: object } | undefined)?.properties ?? {});
    const url = `/${API_VERSION}/${mode}${route.path}`;
    // Without a query string, a route with no path parameters, no extra check and no required or defaulted query
    // parameter reads the entry of `cacheKey(connection, resource)`: the fast path may answer its warm hits.
    if (!route.params && !route.check && takesEmptyQuery(querystring)) {
      app.fastPath?.add(url, { resource: route.resource, scope });
    }
    app.withTypeProvider<TypeBoxTypeProvider>().route({
      method: 'GET',
      url,
      schema: {
        summary: route.summary,
        tags: [mode],
        security: [{ 'access-token': [] }],
        ...(querystring ? { querystring } : {}),
        ...(route.params ? { params: route.params } : {}),
        response: standardResponses(route.response),
      },
      // Our own precompressed bytes: the generic compressor must not touch them.
      compress: false,
      onRequest: requireToken(services, scope),
      handler: async (req, reply) => {
        const query = req.query;
        const params = req.params;
        route.check?.(query, params);
        const { connection, provider } = await resolveConnection(services, req, route.resource);
        const connectionId = connection.id;
        const keyParams: Record<string, unknown> = { ...(params as Record<string, unknown>) };
        for (const name of declared) keyParams[name] = (query as Record<string, unknown>)[name];
        const key = cacheKey(connectionId, route.resource, keyParams);
        const outcome = await services.jobs.resolve(
          key,
          { connectionId, resource: route.resource },
          // The adapter (and the connection's credentials) are only needed on a miss; the job's signal aborts its
          // provider calls when the connection is disconnected.
          async (sink, signal) =>
            route.fetch(
              await makeAdapter(services, provider, connection, method, signal),
              query,
              params,
              sink,
            ),
          route.accepted === false ? { waitMs: Number.POSITIVE_INFINITY } : {},
        );
        if (outcome.kind === 'pending') {
          reply.header('retry-after', String(RETRY_AFTER_SECONDS));
          return reply
            .code(202)
            .send({ message: 'Pending - Retry your call after the specified amount of seconds' });
        }
        return app.cachedAnswers.send(req, reply, outcome.entry);
      },
    });
  }
}

/**
 * The token's connection and its provider; 501 when the provider does not offer the resource in this mode.
 * `resource` null (extensions such as passthrough): support is the adapter method's presence (`makeAdapter`).
 */
export async function resolveConnection(
  services: Services,
  req: FastifyRequest,
  resource: Resource | null,
): Promise<{ connection: Connection; provider: Provider }> {
  const auth = req.auth;
  if (!auth) throw errors.invalidToken('missing bearer token');
  return connectionOf(services, auth, resource);
}

/** `resolveConnection` for a token's verified claims (the fast path has no Fastify request). */
export async function connectionOf(
  services: Services,
  auth: Pick<AccessClaims, 'sub'>,
  resource: Resource | null,
): Promise<{ connection: Connection; provider: Provider }> {
  return servedBy(services, await loadConnection(services, auth.sub), resource);
}

/**
 * The connection and its provider when it serves `resource` (the checks of `connectionOf`, without I/O): the fast
 * path calls it with this node's cached row (`services.connectionCache`).
 */
export function servedBy(
  services: Pick<Services, 'providers'>,
  connection: Connection | undefined,
  resource: Resource | null,
): { connection: Connection; provider: Provider } {
  if (!connection) throw errors.invalidToken('unknown connection');
  if (connection.status === 'disconnected') throw errors.forbidden('this token was disconnected');
  const provider = services.providers.find(connection.provider);
  const supported =
    resource === null
      ? true
      : provider !== undefined && services.providers.supports(provider, connection.mode, resource);
  if (!provider || !supported) {
    throw errors.notImplemented(
      `${connection.provider} does not support ${resource ?? 'this endpoint'} in ${connection.mode} mode`,
    );
  }
  return { connection, provider };
}

/** An adapter with the connection's credentials; 501 if the provider lacks the method behind the resource. */
export async function makeAdapter<M extends keyof ProviderAdapter>(
  services: Services,
  provider: Provider,
  connection: Connection,
  method: M,
  signal?: AbortSignal,
): Promise<AdapterWith<M>> {
  const adapter = adapterFor(
    services,
    provider,
    connection,
    await loadCredentials(services, connection),
    signal,
  );
  if (!hasMethod(adapter, method)) {
    throw errors.notImplemented(`${connection.provider} does not support ${String(method)}`);
  }
  return adapter;
}

/** Whether a request without a query string passes `querystring` as it is: nothing required, no defaults. */
function takesEmptyQuery(querystring: TSchema | undefined): boolean {
  if (!querystring) return true;
  const schema = querystring as { required?: unknown[]; properties?: Record<string, { default?: unknown }> };
  if ((schema.required?.length ?? 0) > 0) return false;
  return Object.values(schema.properties ?? {}).every((p) => p.default === undefined);
}
