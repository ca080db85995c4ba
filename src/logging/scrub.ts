/**
 * Value scrubbing for anything that leaves the process as text (log lines, error reports): bearer and basic
 * credentials, JWT signatures, and secret-looking query parameters. A JWT keeps at most its header and payload
 * (ids and times, useful when debugging), never the signature, so a logged token cannot be replayed.
 */

const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g;
const BEARER = /\b(bearer)(\s+)([A-Za-z0-9\-._~+/]+=*)/gi;
const BASIC = /\b(basic)(\s+)([A-Za-z0-9+/]{8,}=*)/gi;
/** Query or form parameters whose values are secrets wherever they appear (URLs, bodies echoed in messages). */
export const SECRET_PARAMS = [
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'code',
  'authorization_code',
  'code_verifier',
  'client_secret',
  'password',
  'api_key',
  'apikey',
  'secret',
  'session',
  'cookie',
  'sig',
  'signature',
];
/** A cookie header quoted inside a message (`Cookie: a=b; c=d`) up to the end of the line or quote. */
const COOKIE_HEADER = /\b((?:set-)?cookie)(\s*[:=]\s*)[^\r\n"'\\]+/gi;
const PARAM = new RegExp(`([?&;]|\\b)(${SECRET_PARAMS.join('|')})=([^&\\s#"'<>\\\\]*)`, 'gi');

export const STRIPPED = '[signature stripped]';
export const REDACTED = '[redacted]';

/** `header.payload` of a JWT-shaped string (the signature and any JWE parts removed). */
export function jwtWithoutSignature(token: string): string {
  const [header = '', payload = ''] = token.split('.');
  return `${header}.${payload}.${STRIPPED}`;
}

export function scrubString(text: string): string {
  // Cheap pre-checks keep the common case (nothing to scrub) at a few indexOf calls.
  const lower = text.toLowerCase();
  let out = text;
  if (lower.includes('bearer')) {
    out = out.replace(BEARER, (m, scheme: string, sp: string, cred: string, offset: number, all: string) => {
      // Already scrubbed on an earlier pass (`eyJ….eyJ….[signature stripped]`): leave it.
      if (all.startsWith(STRIPPED, offset + m.length)) return m;
      return cred.startsWith('eyJ') && (cred.split('.')[2] ?? '') !== ''
        ? `${scheme}${sp}${jwtWithoutSignature(cred)}`
        : `${scheme}${sp}${REDACTED}`;
    });
  }
  if (lower.includes('basic'))
    out = out.replace(BASIC, (_m, scheme: string, sp: string) => `${scheme}${sp}${REDACTED}`);
  if (lower.includes('cookie')) {
    out = out.replace(COOKIE_HEADER, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  }
  if (out.includes('eyJ')) out = out.replace(JWT, (m) => (m.includes(STRIPPED) ? m : jwtWithoutSignature(m)));
  if (out.includes('=')) {
    out = out.replace(PARAM, (_m, pre: string, name: string) => `${pre}${name}=${REDACTED}`);
  }
  return out;
}

/**
 * A scrubbed deep copy: every string value passed through `scrubString`, keys whose names are secret replaced
 * whole. Errors and other class instances are left to their serializers (which scrub their own output).
 */
export function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : scrubDeep(v, depth + 1);
  }
  return out;
}

/** Object keys whose values are never kept, at any depth (the pino `redact` paths cover known places too). */
export const SECRET_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'client_secret',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'secret',
  'api_key',
  'apikey',
  'x-api-key',
]);

/** A request path for logs: the path as sent, query values of secret parameters redacted, JWTs stripped. */
export function scrubPath(url: string): string {
  return scrubString(url.length > 2048 ? `${url.slice(0, 2048)}…` : url);
}
