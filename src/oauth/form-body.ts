/**
 * `application/x-www-form-urlencoded` bodies for the OAuth endpoints and the connect page, registered inside their
 * own Fastify scope only. Parsed with URLSearchParams so a duplicated parameter can be refused (RFC 6749 §3.1,
 * §3.2: "parameters MUST NOT be included more than once").
 */
import type { FastifyInstance } from 'fastify';

const FORM = 'application/x-www-form-urlencoded';

export function registerFormParser(scope: FastifyInstance): void {
  // The app's root takes JSON under this label for Affix's JSON endpoints (src/http/json-bodies.ts); here it is a form.
  if (scope.hasContentTypeParser(FORM)) scope.removeContentTypeParser(FORM);
  scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });
}

export interface FormFields {
  fields: Record<string, string>;
  duplicated: string[];
}

/** Single-valued fields and the names that appeared more than once. Empty values count as absent (RFC 6749 §3.1). */
export function formFields(params: URLSearchParams): FormFields {
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const [k, v] of params) {
    if (seen.has(k)) duplicated.add(k);
    seen.add(k);
    if (v !== '') fields[k] = v;
  }
  return { fields, duplicated: [...duplicated] };
}
