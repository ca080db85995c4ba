/**
 * Fastify assembly: shared schemas, error mapping to the contract's bodies, compression, security headers, the
 * served OpenAPI document, and every route group.
 */
import http from 'node:http';
import AjvCompiler from '@fastify/ajv-compiler';
import compress from '@fastify/compress';
import swagger from '@fastify/swagger';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { connectionOf, servedBy } from '../api/v2023-03-01/data/define.js';
import { registerDataRoutes } from '../api/v2023-03-01/data/index.js';
import { registerCoreRoutes } from '../api/core.js';
import { registerManagementRoutes } from '../api/v2023-03-01/management/index.js';
import { registerRootRedirect } from '../connect/root-redirect.js';
import { registerConnectRoutes } from '../connect/routes.js';
import { newId } from '../ids.js';
import { initErrorReports, reportError } from '../logging/error-reports.js';
import { lazyChildLogger } from '../logging/lazy-child.js';
import { registerRequestLog } from '../logging/request-log-hook.js';
import {
  AuthenticationErrorSchema,
  BadRequestSchema,
  ConflictSchema,
  MessageSchema,
  NotFoundSchema,
} from '../model/index.js';
import { registerOAuthRoutes } from '../oauth/routes.js';
import { ProviderError } from '../providers/errors.js';
import type { Services } from '../services.js';
import { isConnectionGone, isDatabaseUnavailable } from '../store/errors.js';
import { clientErrorHandler } from './client-errors.js';
import { CachedAnswers } from './compression.js';
import { ApiError, errors } from './errors.js';
import { FastPath, type Listener } from './fast-path.js';
import { acceptJsonUnderFormLabel } from './json-bodies.js';
import { keepHeaderMaps } from './header-maps.js';
import { registerMetrics } from './metrics.js';
import { registerRateLimits } from './rate-limits.js';
import { baseSecurityHeaders, registerSecurityHeaders, registerSecurityTxt } from './security.js';
import { validationMessage } from './validation-message.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** How this node answers from the response cache (negotiation, headers). */
    cachedAnswers: CachedAnswers;
    /** The fast path of warm cached GETs; undefined when disabled (AppOptions.fastPath). */
    fastPath: FastPath | undefined;
  }
}

export interface AppOptions {
  /**
   * Answer warm cached GETs before Fastify (src/http/fast-path.ts) when FAST_PATH=on; default true. Tests turn it
   * off to compare the two paths.
   */
  fastPath?: boolean;
  logger?: FastifyServerOptions['logger'];
  /** The process logger (src/logging/logger.ts); Fastify 5 takes a pino instance only here. */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

export async function buildApp(services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = services;
  // Before Fastify compiles the routes' schemas, which use up V8's transitions from the empty object (header-maps.ts).
  keepHeaderMaps();
  const prod = config.AFFIX_ENV === 'prod';
  // A trusted proxy's request id carries on (one id across its logs and ours); otherwise anyone could choose
  // the id our logs file their request under, so a new one is made.
  const requestId = config.trustProxy === false ? () => newId('request') : proxiedRequestId;
  // Made once the routes are known (below); the server's listener asks it first. Not with a trusted proxy: the
  // client IP would need Fastify's proxy rules.
  let fastifyListener: Listener | undefined;
  let listener: Listener | undefined;
  const app = Fastify({
    serverFactory: (handler, opts) => {
      fastifyListener = handler;
      return httpServer(opts, (req, res) => (listener ?? handler)(req, res));
    },
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    // One scrubbed line per request comes from src/logging/request-log-hook.ts instead of Fastify's two.
    // Our own request log (src/logging) writes one scrubbed line per request instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // A request's child logger is made only if the request logs (most do not): see src/logging/lazy-child.ts.
    childLoggerFactory: lazyChildLogger,
    bodyLimit: config.BODY_LIMIT,
    // Slow clients are cut off: the whole request within REQUEST_TIMEOUT, its headers within HEADERS_TIMEOUT, checked
    // every second (Node checks every 30 s by default, which would let a drip run half a minute past the limit).
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
    clientErrorHandler: clientErrorHandler(config.AFFIX_ENV === 'prod'),
    // Bad percent-encoding and over-long path segments, found while routing: the contract's shapes too.
    // Its reply is typed with route generics no route of ours declares; only header/code/send are used.
    // Fastify sends these without running hooks, so they get the usual headers here.
    frameworkErrors: (err, req, reply) => {
      const r = reply as unknown as Sendable;
      r.header('x-request-id', req.id);
      for (const [k, v] of Object.entries(baseSecurityHeaders(prod))) r.header(k, v);
      sendMapped(r, toApiError(err));
    },
    genReqId: requestId,
    requestIdHeader: false,
    // The client IP of limits, lockouts and logs: the socket's, or X-Forwarded-For's through trusted proxies only.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Query strings and path parameters arrive as text and are coerced; JSON bodies are taken as sent (a `1` where a
    // string belongs is a 400, never "1"). Unknown body keys are refused (400), never silently dropped.
    schemaController: { compilersFactory: { buildValidator: strictBodyValidators } },
  });

  // JSON is the only body the API takes (the connect pages add their form parser); text/plain → 415, not 400.
  app.removeContentTypeParser('text/plain');
  acceptJsonUnderFormLabel(app);
  // Response schemas document the API (OpenAPI) but are not compiled into serializers: data routes send cached
  // bytes, so fast-json-stringify code for every large data schema would only cost start-up time and memory.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  for (const schema of [
    MessageSchema,
    BadRequestSchema,
    NotFoundSchema,
    ConflictSchema,
    AuthenticationErrorSchema,
  ]) {
    app.addSchema(schema);
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Affix API (self-hosted)',
        version: '2023-03-01',
        description: 'Wire-compatible implementation of the Affix unified HR/payroll API.',
      },
      servers: [{ url: config.PUBLIC_URL }],
      components: {
        securitySchemes: {
          'access-token': { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
    },
  });

  // Generic responses (errors, /providers, OpenAPI). Data routes send their own precompressed bytes.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });

  registerSecurityHeaders(app, config);
  registerRequestLog(app, services, { mode: config.REQUEST_LOG });
  registerMetrics(app, services);
  await initErrorReports(config);
  // Before the routes: it hooks every route as it is added.
  const limits = await registerRateLimits(app, services);
  app.decorate('cachedAnswers', new CachedAnswers());
  const fastPath =
    options.fastPath !== false && config.FAST_PATH === 'on' && config.trustProxy === false
      ? new FastPath({
          services,
          answers: app.cachedAnswers,
          limits,
          securityHeaders: baseSecurityHeaders(prod),
          requestId,
          record: () => app.recordRequest,
          log: () => app.log,
          connectionOf: (auth, resource) => connectionOf(services, auth, resource),
          servedBy: (connection, resource) => servedBy(services, connection, resource),
        })
      : undefined;
  app.decorate('fastPath', fastPath);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const mapped = toApiError(err);
    // Documented answers (4xx, 501 for what a provider does not offer, 503 for an announced outage, the database
    // down or slow) are not bugs: the request line records them, and a 503 adds one line with its reason, never a
    // stack trace.
    const announced = err instanceof ApiError || err instanceof ProviderError || isDatabaseUnavailable(err);
    if (mapped.status === 503 && announced) {
      req.log.warn({ status: 503, reason: err.message }, 'request answered 503');
    } else if (mapped.status >= 500 && mapped.status !== 501) {
      req.log.error({ err }, 'request failed');
      if (mapped.status !== 503) {
        reportError(err, {
          requestId: req.id,
          method: req.method,
          route: req.routeOptions.url,
          status: mapped.status,
        });
      }
    }
    sendMapped(reply, mapped);
    return reply;
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    return reply.code(404).send({ id: path, message: `no route for ${req.method} ${path}` });
  });

  registerCoreRoutes(app, services);
  registerDataRoutes(app, services);
  registerManagementRoutes(app, services);
  registerOAuthRoutes(app, services);
  registerConnectRoutes(app, services);
  registerRootRedirect(app);
  registerSecurityTxt(app, config);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (fastPath && fastifyListener) listener = fastPath.listener(fastifyListener);
  return app;
}

/** The HTTP server Fastify would make for these options (lib/server.js), with our listener in front. */
function httpServer(opts: Record<string, unknown>, listener: Listener): http.Server {
  const server = http.createServer((opts.http ?? {}) as http.ServerOptions, listener);
  server.keepAliveTimeout = opts.keepAliveTimeout as number;
  server.requestTimeout = opts.requestTimeout as number;
  server.setTimeout(opts.connectionTimeout as number);
  const perSocket = opts.maxRequestsPerSocket as number | undefined;
  if (perSocket !== undefined && perSocket > 0) server.maxRequestsPerSocket = perSocket;
  return server;
}

const ajvPool = AjvCompiler();
const AJV_BASE = { removeAdditional: false, useDefaults: true, allErrors: false } as const;

function strictBodyValidators(
  ...[external, options]: Parameters<AjvCompiler.ValidatorFactory>
): AjvCompiler.ValidatorCompiler {
  const plugins = options && 'plugins' in options ? { plugins: options.plugins ?? [] } : {};
  const coercing = ajvPool(external, { ...plugins, customOptions: { ...AJV_BASE, coerceTypes: 'array' } });
  const strict = ajvPool(external, { ...plugins, customOptions: { ...AJV_BASE, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? strict(route) : coercing(route));
}

const PROXIED_REQUEST_ID = /^[\w.-]{1,128}$/;

/** The `x-request-id` a trusted proxy sent, when it is a plain token; a new id otherwise. */
function proxiedRequestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && PROXIED_REQUEST_ID.test(given) ? given : newId('request');
}

/** The n proxies nearest to us may name the client (hop 0 is the socket's peer). */
function trustHops(n: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < n;
}

/** Only what sending needs: Fastify types a framework-error reply with generics no route of ours declares. */
interface Sendable {
  header(key: string, value: string): unknown;
  code(status: number): { send(body: unknown): unknown };
}

function sendMapped(reply: Sendable, mapped: ApiError): void {
  for (const [k, v] of Object.entries(mapped.headers)) reply.header(k, v);
  reply.code(mapped.status).send(mapped.body);
}

/** What a 503 for an unavailable database suggests: long enough for a restart or failover to finish. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** Maps anything thrown in a request to the contract's status and body. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ProviderError) return fromProviderError(err);
  if (isConnectionGone(err)) return errors.forbidden('this token was disconnected');
  if (isDatabaseUnavailable(err)) {
    return errors.unavailable('the database is not answering; retry later', DATABASE_RETRY_AFTER_SECONDS);
  }
  const e = err as FastifyError;
  if (e?.validation) {
    return errors.badRequest(validationMessage(e.validationContext ?? 'request', e.validation));
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType('send Content-Type: application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, {
        message: 'Payload Too Large',
        validation_error: 'request body is too large',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.badRequest('the JSON body is empty');
    case 'FST_ERR_BAD_URL':
      return errors.badRequest('the URL is not valid (bad percent-encoding?)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(414, {
        message: 'URI Too Long',
        validation_error: 'a path segment is longer than 100 characters',
      });
    default:
      break;
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Framework client errors (bad JSON syntax, bad headers): say what was wrong, in the 400 shape.
    return new ApiError(e.statusCode, { message: 'Bad Request', validation_error: e.message });
  }
  return errors.internal();
}

function fromProviderError(err: ProviderError): ApiError {
  switch (err.kind) {
    case 'authentication':
      return errors.providerAuthentication(err.options.code ?? 'reauthentication_required', err.message);
    case 'mfa_required':
      return errors.providerAuthentication('incorrect_mfa_or_otp', err.message);
    case 'rate_limited':
    case 'unavailable':
      return errors.unavailable(
        `provider unavailable: ${err.message}; retry later`,
        err.options.retryAfterSeconds ?? 30,
      );
    case 'not_found':
      return errors.notFound('provider', err.message);
    case 'bad_response':
      return errors.badGateway(`provider returned an unusable response: ${err.message}`);
    case 'invalid_request':
      return errors.badRequest(err.message);
  }
}
