/** The vault's contracts: purposes, the `Sealed` brand, keyrings and the data-key store the database provides. */
import { VaultError } from './errors.js';

/** What a sealed value is for. Part of the associated data, so a value sealed for one purpose never opens as another. */
export const PURPOSES = [
  'credentials',
  'cookies',
  'client_secret',
  'cache',
  'snapshot',
  'screenshot',
  'signing_key',
  'state',
  /** A client's Standard Webhooks signing secret (`whsec_…`), owner = client id. */
  'webhook_secret',
  /** A webhook's exact body while it waits in the outbox, owner = client id. */
  'webhook',
] as const;
export type Purpose = (typeof PURPOSES)[number];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

declare const sealedBrand: unique symbol;
/**
 * Bytes that came out of `Vault.seal()` (or were read back from a column that only ever receives them).
 * Storage code types its secret columns as `Sealed`, so passing a plaintext `Buffer` there is a compile error.
 */
export type Sealed = Buffer & { readonly [sealedBrand]: true };

/**
 * Owner ids are opaque prefixed ids (`con_…`, `cli_…`, a signing key's `kid`). No `:` is allowed so the
 * associated-data string `affix:v1:<owner>:<purpose>` can never be read two ways.
 */
const OWNER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function assertOwnerId(ownerId: string): void {
  if (typeof ownerId !== 'string' || !OWNER_ID.test(ownerId)) {
    throw new VaultError(
      'invalid_argument',
      `owner id must match ${OWNER_ID} (got ${JSON.stringify(ownerId)})`,
    );
  }
}

export function assertPurpose(purpose: string): asserts purpose is Purpose {
  if (!isPurpose(purpose)) {
    throw new VaultError('invalid_argument', `unknown purpose ${JSON.stringify(purpose)}`);
  }
}

/**
 * Context bound to a wrapped data key: the owner and the data key id. Local keyrings put it in the AES-GCM
 * associated data; AWS KMS receives it as the `EncryptionContext` (and logs it in CloudTrail, so ids only).
 */
export type WrapContext = Readonly<Record<string, string>>;

export interface GeneratedDataKey {
  /** The KEK that wraps it (`kek_v3`, a KMS key ARN). */
  keyId: string;
  plaintext: Buffer;
  wrapped: Buffer;
}

/** A source of key-encryption keys (KEKs). Implementations: `LocalKeyring` (file), `KmsKeyring` (AWS KMS). */
export interface Keyring {
  /** `local:<path>` or `aws-kms:<key id>`: for logs and status output. */
  readonly id: string;
  /** The KEK that new data keys (and rewraps) use. */
  primaryKeyId(): string;
  wrap(dataKey: Buffer, context: WrapContext): Promise<{ keyId: string; wrapped: Buffer }>;
  /** Throws `VaultError` `unknown_kek`, `retired_key`, `tampered`, `kms_unavailable` … never returns garbage. */
  unwrap(keyId: string, wrapped: Buffer, context: WrapContext): Promise<Buffer>;
  /** One round trip instead of random + wrap when the backend can (KMS `GenerateDataKey`). */
  generateDataKey?(context: WrapContext): Promise<GeneratedDataKey>;
  /** Marks a KEK retired: it can no longer unwrap. Call through `Vault.retireKek`, which checks references. */
  retire?(keyId: string): Promise<void>;
  /** Problems an operator must hear about at start (the caller logs them). */
  warnings(): string[];
}

/** One owner's data key as the database stores it: only ever wrapped. */
export interface WrappedDataKey {
  ownerId: string;
  /** Random id written into every ciphertext sealed with this key (`dk_…`). */
  dataKeyId: string;
  /** The KEK that wraps `wrapped` (`kek_v2`, a KMS key ARN). */
  kekId: string;
  wrapped: Buffer;
  createdAt: Date;
  /** When `wrapped` was last moved to another KEK; null until the first rewrap. */
  rotatedAt: Date | null;
}

/**
 * What the vault needs from the database (table `vault_data_keys`, see README.md). Deliberately narrow.
 * There is no blind `put`: an upsert could resurrect a data key that `delete` (crypto-shredding) just removed,
 * or let two concurrent first seals overwrite each other's key and orphan ciphertexts.
 */
export interface DataKeyStore {
  get(ownerId: string): Promise<WrappedDataKey | undefined>;
  /**
   * Inserts when the owner has no row; otherwise keeps the existing row. Returns the row stored afterwards, so
   * the loser of a race uses the winner's key. SQL: `INSERT … ON CONFLICT (owner_id) DO NOTHING` then `SELECT`.
   */
  insert(record: WrappedDataKey): Promise<WrappedDataKey>;
  /**
   * Compare-and-swap for rewrap: updates `kek_id`, `wrapped`, `rotated_at` only where `owner_id`, `data_key_id`
   * and `kek_id = fromKekId` still match. Returns false when the row changed or was deleted meanwhile.
   */
  updateWrapping(
    ownerId: string,
    dataKeyId: string,
    fromKekId: string,
    next: { kekId: string; wrapped: Buffer; rotatedAt: Date },
  ): Promise<boolean>;
  /** Deletes the owner's row. Returns whether a row existed (shred is idempotent either way). */
  delete(ownerId: string): Promise<boolean>;
  /** Rows whose `kek_id` differs from `kekId`, ordered by `owner_id`, strictly after `afterOwnerId` when given. */
  listNotWrappedWith(kekId: string, limit: number, afterOwnerId?: string): Promise<WrappedDataKey[]>;
  /** Row counts grouped by `kek_id` (`SELECT kek_id, count(*) … GROUP BY kek_id`). */
  countByKek(): Promise<Record<string, number>>;
}
