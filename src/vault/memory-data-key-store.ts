/**
 * TEST SUPPORT ONLY: an in-memory `DataKeyStore` for the vault's own crypto tests. Not exported from index.ts;
 * the application uses the database-backed store (src/store/), which must pass data-key-store-contract.ts too.
 */
import type { DataKeyStore, WrappedDataKey } from './types.js';

export class MemoryDataKeyStore implements DataKeyStore {
  readonly rows = new Map<string, WrappedDataKey>();

  async get(ownerId: string): Promise<WrappedDataKey | undefined> {
    const row = this.rows.get(ownerId);
    return row ? copy(row) : undefined;
  }

  async insert(record: WrappedDataKey): Promise<WrappedDataKey> {
    const existing = this.rows.get(record.ownerId);
    if (existing) return copy(existing);
    this.rows.set(record.ownerId, copy(record));
    return copy(record);
  }

  async updateWrapping(
    ownerId: string,
    dataKeyId: string,
    fromKekId: string,
    next: { kekId: string; wrapped: Buffer; rotatedAt: Date },
  ): Promise<boolean> {
    const row = this.rows.get(ownerId);
    if (!row || row.dataKeyId !== dataKeyId || row.kekId !== fromKekId) return false;
    this.rows.set(ownerId, {
      ...row,
      kekId: next.kekId,
      wrapped: Buffer.from(next.wrapped),
      rotatedAt: next.rotatedAt,
    });
    return true;
  }

  async delete(ownerId: string): Promise<boolean> {
    return this.rows.delete(ownerId);
  }

  async listNotWrappedWith(kekId: string, limit: number, afterOwnerId?: string): Promise<WrappedDataKey[]> {
    return [...this.rows.values()]
      .filter((r) => r.kekId !== kekId && (afterOwnerId === undefined || r.ownerId > afterOwnerId))
      .sort((a, b) => (a.ownerId < b.ownerId ? -1 : a.ownerId > b.ownerId ? 1 : 0))
      .slice(0, limit)
      .map(copy);
  }

  async countByKek(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const row of this.rows.values()) counts[row.kekId] = (counts[row.kekId] ?? 0) + 1;
    return counts;
  }
}

/** Rows are copied in and out, as a database would, so tests cannot pass by sharing mutable Buffers. */
function copy(row: WrappedDataKey): WrappedDataKey {
  return { ...row, wrapped: Buffer.from(row.wrapped) };
}
