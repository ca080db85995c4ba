/** The vault's wrapped data keys in `vault_data_keys` (contract: src/vault/data-key-store-contract.ts). */
import type { Kysely, Selectable } from 'kysely';
import type { DataKeyStore, WrappedDataKey } from '../vault/index.js';
import { whileConnected } from './connection-guard.js';
import type { Dialect } from './db.js';
import type { Database, VaultDataKeysTable } from './schema.js';

function toRecord(row: Selectable<VaultDataKeysTable>): WrappedDataKey {
  return {
    ownerId: row.owner_id,
    dataKeyId: row.data_key_id,
    kekId: row.kek_id,
    wrapped: Buffer.from(row.wrapped),
    createdAt: new Date(Number(row.created_at)),
    rotatedAt: row.rotated_at === null ? null : new Date(Number(row.rotated_at)),
  };
}

export class DataKeysRepository implements DataKeyStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async get(ownerId: string): Promise<WrappedDataKey | undefined> {
    const row = await this.db
      .selectFrom('vault_data_keys')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Owners are connections, clients and signing keys; a connection that was disconnected gets no new data key
   * (`ConnectionGoneError`): its shredded key must stay shredded, whatever a late writer tries to seal.
   */
  async insert(rec: WrappedDataKey): Promise<WrappedDataKey> {
    const stored = await whileConnected(
      this.db,
      this.dialect,
      rec.ownerId,
      async (trx) => {
        await trx
          .insertInto('vault_data_keys')
          .values({
            owner_id: rec.ownerId,
            data_key_id: rec.dataKeyId,
            kek_id: rec.kekId,
            wrapped: rec.wrapped,
            created_at: rec.createdAt.getTime(),
            rotated_at: rec.rotatedAt ? rec.rotatedAt.getTime() : null,
          })
          .onConflict((oc) => oc.column('owner_id').doNothing())
          .execute();
        return trx
          .selectFrom('vault_data_keys')
          .selectAll()
          .where('owner_id', '=', rec.ownerId)
          .executeTakeFirst();
      },
      { requireRow: false },
    );
    if (!stored) throw new Error('data key vanished right after insert');
    return toRecord(stored);
  }

  async updateWrapping(
    ownerId: string,
    dataKeyId: string,
    fromKekId: string,
    next: { kekId: string; wrapped: Buffer; rotatedAt: Date },
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('vault_data_keys')
      .set({ kek_id: next.kekId, wrapped: next.wrapped, rotated_at: next.rotatedAt.getTime() })
      .where('owner_id', '=', ownerId)
      .where('data_key_id', '=', dataKeyId)
      .where('kek_id', '=', fromKekId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async delete(ownerId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('vault_data_keys')
      .where('owner_id', '=', ownerId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async listNotWrappedWith(kekId: string, limit: number, afterOwnerId?: string): Promise<WrappedDataKey[]> {
    let q = this.db.selectFrom('vault_data_keys').selectAll().where('kek_id', '<>', kekId);
    if (afterOwnerId !== undefined) q = q.where('owner_id', '>', afterOwnerId);
    const rows = await q.orderBy('owner_id').limit(limit).execute();
    return rows.map(toRecord);
  }

  async countByKek(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('vault_data_keys')
      .select(['kek_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kek_id')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.kek_id, Number(r.n)]));
  }
}
