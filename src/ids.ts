/** Prefixed opaque ids from one table, 128 random bits each (CSPRNG). */
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  client: 'cli_',
  secret: 'sec_',
  connection: 'con_',
  token: 'tok_',
  key: 'key_',
  code: 'cod_',
  request: 'req_',
  delivery: 'whd_',
  event: 'evt_',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * CSPRNG bytes drawn 4 KiB at a time: one `randomBytes` call per 256 ids instead of one per id (a request id is
 * made for every request, and the call is a measurable part of a warm one; docs/benchmarks.md, P4).
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = POOL_BYTES;

export function newId(kind: IdKind): string {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  const id = ID_PREFIXES[kind] + pool.toString('base64url', poolAt, poolAt + 16);
  // Used bytes are wiped, so the pool never holds an id already handed out.
  pool.fill(0, poolAt, poolAt + 16);
  poolAt += 16;
  return id;
}

/**
 * Whether `id` has the form `newId('request')` gives: `req_` and 22 base64url characters (a loop: cheaper than a
 * regular expression, and asked on every request by the request line and the request-log row).
 */
export function isRequestIdForm(id: string): boolean {
  if (id.length !== 26 || !id.startsWith(ID_PREFIXES.request)) return false;
  for (let i = 4; i < 26; i++) {
    const c = id.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}

/** A secret value (client secret, code): 256 bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A client secret: 160 random bits (RFC 6749 §10.10's floor), 27 base64url characters, so `client_id:secret` stays
 * within the 57 bytes that `base64` encodes on one line: `echo -n "$id:$secret" | base64` wraps at 76 characters,
 * and a wrapped Basic header breaks the request.
 */
export function newClientSecret(): string {
  return randomBytes(20).toString('base64url');
}
