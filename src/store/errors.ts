/**
 * What the store tells its callers apart from a bug: a write refused because its connection was disconnected, and
 * a database that is unreachable, restarting or not answering in time (the caller may retry later).
 */

/** A write for a connection that was disconnected (or never existed): nothing was written. */
export class ConnectionGoneError extends Error {
  readonly code = 'connection_disconnected';
  constructor(readonly connectionId: string) {
    super(`connection ${connectionId} is disconnected; nothing was written for it`);
    this.name = 'ConnectionGoneError';
  }
}

export function isConnectionGone(err: unknown): err is ConnectionGoneError {
  return err instanceof ConnectionGoneError;
}

/**
 * SQLSTATE classes and codes that say "the server is going away, not reachable or too slow right now": 08
 * connection exceptions, 53 insufficient resources (too many connections), 57P01-57P03 administrator/crash
 * shutdown and "cannot connect now" (a terminated backend, a restart or a failover), 57014 a statement cancelled by
 * `statement_timeout`, and the two a retry resolves (serialization failure, deadlock).
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '57014', '40001', '40P01']);
const PG_CLASSES = ['08', '53'];
/** Socket errors on the way to the server. */
const NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLite: another writer held the file past busy_timeout. */
const SQLITE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
/** What node-postgres, pg-pool and Kysely say without a code when a connection died, hung or never came. */
const MESSAGES = [
  /^Connection terminated/,
  /^timeout expired$/,
  /^Query read timeout$/,
  /^timeout exceeded when trying to connect$/,
  /not queryable/,
  /^Postgres connection has been discarded$/,
];

/** True when `err` (or one of its causes) means the database is unavailable for now rather than a bug. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    if (!(e instanceof Error)) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (PG_CODES.has(code) || PG_CLASSES.some((c) => code.startsWith(c) && code.length === 5)) return true;
      if (NET_CODES.has(code) || SQLITE_CODES.has(code)) return true;
    }
    if (MESSAGES.some((m) => m.test(e instanceof Error ? e.message : ''))) return true;
    e = e.cause;
  }
  return false;
}
