/**
 * Writes that belong to a connection (cached answers, adapter state, secrets, its data key) run in a transaction
 * that first reads the connection's status, so a disconnect cannot interleave: on PostgreSQL the read holds a
 * share lock on the connection row (`FOR SHARE`), which the disconnect's `UPDATE … status = 'disconnected'` waits
 * for, and which waits for a disconnect in progress and then sees its result. Either the write commits first and
 * the disconnect, which deletes afterwards, removes it; or the write sees `disconnected` and nothing is written.
 * SQLite serializes every transaction of the process on its one connection, which gives the same order.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from './db.js';
import { ConnectionGoneError } from './errors.js';
import type { Database } from './schema.js';

export interface GuardOptions {
  /**
   * false: an id with no connection row is fine (vault data keys also belong to clients and signing keys); only a
   * disconnected connection is refused. Default true: the row must exist and not be disconnected.
   */
  requireRow?: boolean;
}

/** Runs `write` while the connection is known not to be disconnected; throws `ConnectionGoneError` otherwise. */
export async function whileConnected<T>(
  db: Kysely<Database>,
  dialect: Dialect,
  connectionId: string,
  write: (trx: Transaction<Database>) => Promise<T>,
  options: GuardOptions = {},
): Promise<T> {
  // Inside a caller's transaction (`Store.transaction`) the guard joins it: Kysely has no nested transactions.
  const run = <R>(body: (trx: Transaction<Database>) => Promise<R>): Promise<R> =>
    db.isTransaction ? body(db as Transaction<Database>) : db.transaction().execute(body);
  return run(async (trx) => {
    const query = trx.selectFrom('connections').select('status').where('id', '=', connectionId);
    const row = await (dialect === 'postgres' ? query.forShare() : query).executeTakeFirst();
    const gone = row ? row.status === 'disconnected' : options.requireRow !== false;
    if (gone) throw new ConnectionGoneError(connectionId);
    return write(trx);
  });
}
