/**
 * Moves an installation from one keyring to another (typically the local file → AWS KMS): new data keys and
 * rewraps go to `primary`; data keys still wrapped by a `legacy` keyring keep unwrapping through it. Run
 * `Vault.rewrap()` once, check `remaining: 0`, then drop the legacy keyring from the configuration.
 *
 * Routing is by KEK id: each keyring claims the ids it issues (`kek_vN` for the local file, ARNs/ids for KMS).
 */
import { VaultError } from './errors.js';
import type { GeneratedDataKey, Keyring, WrapContext } from './types.js';

export interface ClaimingKeyring extends Keyring {
  /** True when `keyId` is one this keyring issues (not whether it still can unwrap with it). */
  claims(keyId: string): boolean;
}

export class MigratingKeyring implements Keyring {
  readonly id: string;
  /** Present only when the primary has it, so the vault falls back to random + wrap otherwise. */
  readonly generateDataKey?: (context: WrapContext) => Promise<GeneratedDataKey>;

  constructor(
    private readonly primary: ClaimingKeyring,
    private readonly legacy: ClaimingKeyring[],
  ) {
    this.id = `${primary.id} (migrating from ${legacy.map((k) => k.id).join(', ')})`;
    const generate = primary.generateDataKey?.bind(primary);
    if (generate) this.generateDataKey = generate;
  }

  primaryKeyId(): string {
    return this.primary.primaryKeyId();
  }

  warnings(): string[] {
    return [
      ...this.primary.warnings(),
      `VAULT: migrating keyrings; run the rewrap job, then remove ${this.legacy.map((k) => k.id).join(', ')}`,
    ];
  }

  async wrap(dataKey: Buffer, context: WrapContext): Promise<{ keyId: string; wrapped: Buffer }> {
    return this.primary.wrap(dataKey, context);
  }

  async unwrap(keyId: string, wrapped: Buffer, context: WrapContext): Promise<Buffer> {
    const owner = [this.primary, ...this.legacy].find((k) => k.claims(keyId));
    if (!owner) throw new VaultError('unknown_kek', `no configured keyring issues ${keyId}`);
    return owner.unwrap(keyId, wrapped, context);
  }
}
