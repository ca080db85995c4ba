/** The vault: envelope encryption for every secret Affix stores. See README.md for the format and the table. */
export { DataKeyCache, type CachedDataKey, type DataKeyCacheOptions } from './data-key-cache.js';
export { contextString, FORMAT_VERSION, parseEnvelope, sealedFromStorage } from './envelope-format.js';
export { isVaultError, VAULT_ERROR_CODES, VaultError, type VaultErrorCode } from './errors.js';
export { openKeyring, type KeyringSettings } from './keyring-factory.js';
export { KmsEmulator, type KmsCall, type KmsEmulatorOptions } from './kms-emulator.js';
export { KmsKeyring, mapKmsError, type KmsKeyringOptions } from './kms-keyring.js';
export {
  KEYRING_FILE_NAME,
  LocalKeyring,
  localKeyringProdWarning,
  type LocalKeyInfo,
  type LocalKeyringOptions,
} from './local-keyring.js';
export { MigratingKeyring, type ClaimingKeyring } from './migrating-keyring.js';
export { openSigningJwk, sealSigningJwk, signingKeyOwner, type SigningKeyRows } from './signing-key-seal.js';
export {
  assertOwnerId,
  isPurpose,
  PURPOSES,
  type DataKeyStore,
  type GeneratedDataKey,
  type Keyring,
  type Purpose,
  type Sealed,
  type WrapContext,
  type WrappedDataKey,
} from './types.js';
export {
  Vault,
  wrapContext,
  type RewrapProgress,
  type RewrapResult,
  type VaultOptions,
  type VaultStatus,
} from './vault.js';
