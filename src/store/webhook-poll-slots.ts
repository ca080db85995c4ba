/**
 * The `webhook_poll_slots` table: per polled connection, the start of the last poll interval slot a
 * `webhooks.poll` job was enqueued for (src/webhooks/schedule.ts). `claim` moves it forward only, in the caller's
 * transaction with the job it enqueues, so however many schedulers run (every worker runs one) a connection gets
 * one poll job per slot. A slot is a time (epoch ms), not an index, so changing WEBHOOK_POLL_INTERVAL never lets a
 * connection's slots go backwards.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface PollCandidate {
  connectionId: string;
  /** Start of the last slot claimed (epoch ms); null when never polled by the schedule. */
  slotAt: number | null;
}

export class WebhookPollSlotsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Active connections of clients with a `webhook_uri`, with their last claimed slot, by id. */
  async candidates(): Promise<PollCandidate[]> {
    const rows = await this.db
      .selectFrom('connections as c')
      .innerJoin('clients as cl', 'cl.id', 'c.client_id')
      .leftJoin('webhook_poll_slots as s', 's.connection_id', 'c.id')
      .select(['c.id as id', 's.slot_at as slot_at'])
      .where('c.status', '=', 'active')
      .where('cl.webhook_uri', 'is not', null)
      .orderBy('c.id')
      .execute();
    return rows.map((r) => ({ connectionId: r.id, slotAt: r.slot_at == null ? null : Number(r.slot_at) }));
  }

  /** Records `slotAt` as the connection's last slot if it is later than the recorded one; true when it was. */
  async claim(connectionId: string, slotAt: number): Promise<boolean> {
    const res = await this.db
      .insertInto('webhook_poll_slots')
      .values({ connection_id: connectionId, slot_at: slotAt })
      .onConflict((oc) =>
        oc
          .column('connection_id')
          .doUpdateSet({ slot_at: (eb) => eb.ref('excluded.slot_at') })
          .where('webhook_poll_slots.slot_at', '<', slotAt),
      )
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** The connection's last claimed slot (tests). */
  async slotOf(connectionId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('webhook_poll_slots')
      .select('slot_at')
      .where('connection_id', '=', connectionId)
      .executeTakeFirst();
    return row ? Number(row.slot_at) : undefined;
  }
}
