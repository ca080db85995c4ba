/**
 * Keeps Node's request `headers` objects on shared V8 maps (hidden classes) for the usual first header names.
 *
 * Node builds `req.headers` for every request by adding each header to an empty object (`{}`, then
 * `headers[name] = value`). V8 keeps at most 1,536 transitions from the empty object's map to maps with one
 * property; once they are used up, an empty object that gets a property name without a transition yet gets a map of
 * its own, and so do the objects built from it: every header store then misses V8's inline caches and makes new
 * maps (~17,000 instructions a request, a fifth of a bare server's whole request: docs/benchmarks.md, "P4, fourth
 * pass"). In Affix the transitions are used up while Fastify compiles the routes' schemas (`ready`). Giving the usual
 * first header names their transitions before that, and keeping one object per name alive (a transition to a map no
 * object uses any more is dropped by the garbage collector), keeps requests whose first header is one of them on
 * shared maps. Nothing else depends on it: a request starting with another header is answered the same, slower.
 */

/** Request headers a client sends first, lower-cased as Node keys them. */
export const FIRST_HEADER_NAMES = [
  'host',
  'user-agent',
  'accept',
  'accept-encoding',
  'accept-language',
  'authorization',
  'connection',
  'content-type',
  'content-length',
  'cookie',
  'cache-control',
  'if-none-match',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-real-ip',
  'x-request-id',
  'forwarded',
  'via',
  'traceparent',
] as const;

const kept: Record<string, string>[] = [];

/** Idempotent; call before anything compiles many schemas (buildApp does, before Fastify is made). */
export function keepHeaderMaps(): void {
  if (kept.length > 0) return;
  for (const name of FIRST_HEADER_NAMES) {
    const headers: Record<string, string> = {};
    headers[name] = '';
    kept.push(headers);
  }
}
