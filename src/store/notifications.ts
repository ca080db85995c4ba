/**
 * PostgreSQL LISTEN/NOTIFY for the cluster's event fan-out when there is no Redis (src/cluster/bus.ts). Sending
 * goes through the pool (`select pg_notify(channel, payload)`); listening holds one dedicated connection, outside
 * the pool, that reconnects by itself after a restart, failover or `pg_terminate_backend`. The channel is named
 * after the schema the pool works in, so deployments (and tests) sharing one database never hear each other.
 */
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

/** Longest NOTIFY payload PostgreSQL takes is 8000 bytes; ours are a few hundred. */
export const MAX_NOTIFY_BYTES = 7900;

export interface Listening {
  /** Stops listening and closes the dedicated connection. */
  close(): Promise<void>;
}

export interface ListenHandlers {
  message(payload: string): void;
  /** The listening connection is (re)established: anything sent while it was away was missed. */
  connected(): void;
  /** It was lost (it retries by itself). */
  lost(err: Error): void;
}

export class PgNotifications {
  private channelName: Promise<string> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly url: string,
    private readonly schema: string | undefined,
  ) {}

  /** `affix_events_<schema>`: one channel per schema (identifiers are at most 63 bytes). */
  channel(): Promise<string> {
    this.channelName ??= sql<{ s: string }>`select current_schema() as s`
      .execute(this.db)
      .then((r) => `affix_events_${(r.rows[0]?.s ?? 'public').replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63))
      .catch((err: unknown) => {
        this.channelName = undefined;
        throw err;
      });
    return this.channelName;
  }

  async notify(payload: string): Promise<void> {
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) throw new Error('notification payload too large');
    const channel = await this.channel();
    await sql`select pg_notify(${channel}, ${payload})`.execute(this.db);
  }

  /** Listens on the channel until closed; reconnects with a short back-off whenever the connection drops. */
  async listen(handlers: ListenHandlers): Promise<Listening> {
    const channel = await this.channel();
    let closed = false;
    let client: pg.Client | undefined;
    let retry: NodeJS.Timeout | undefined;
    let attempt = 0;

    const connect = async (): Promise<void> => {
      if (closed) return;
      const c = new pg.Client({
        connectionString: this.url,
        fallback_application_name: 'affix-listen',
        keepAlive: true,
        connectionTimeoutMillis: 5000,
        ...(this.schema ? { options: `-c search_path=${this.schema}` } : {}),
      });
      let failed = false;
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        c.removeAllListeners('notification');
        c.end().catch(() => {});
        if (client === c) client = undefined;
        if (closed) return;
        handlers.lost(err);
        attempt++;
        retry = setTimeout(() => void connect(), Math.min(200 * attempt, 2000));
      };
      c.on('error', fail);
      c.on('end', () => fail(new Error('listening connection ended')));
      c.on('notification', (n) => {
        if (n.channel === channel && n.payload !== undefined) handlers.message(n.payload);
      });
      try {
        await c.connect();
        // LISTEN takes no parameters: the name is our own (schema characters only), quoted by pg.
        await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
      } catch (err) {
        fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (closed) {
        await c.end().catch(() => {});
        return;
      }
      client = c;
      attempt = 0;
      handlers.connected();
    };

    await connect();
    return {
      close: async () => {
        closed = true;
        clearTimeout(retry);
        const c = client;
        client = undefined;
        if (c) {
          c.removeAllListeners('end');
          c.removeAllListeners('error');
          c.on('error', () => {});
          await c.end().catch(() => {});
        }
      },
    };
  }
}
