/** Picks the keyring from settings: the local file by default, AWS KMS when a key id is configured. */
import { KmsKeyring, type KmsKeyringOptions } from './kms-keyring.js';
import { LocalKeyring, type LocalKeyringOptions } from './local-keyring.js';
import type { Keyring } from './types.js';

export type KeyringSettings =
  | ({ kind: 'local' } & LocalKeyringOptions)
  | ({ kind: 'aws-kms' } & KmsKeyringOptions);

/**
 * @example
 * const keyring = await openKeyring({ kind: 'local', dataDir: config.DATA_DIR, env: config.AFFIX_ENV });
 * for (const w of keyring.warnings()) log.warn(w);
 */
export async function openKeyring(settings: KeyringSettings): Promise<Keyring> {
  switch (settings.kind) {
    case 'local':
      return LocalKeyring.open(settings);
    case 'aws-kms':
      return KmsKeyring.create(settings);
  }
}
