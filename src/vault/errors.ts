/**
 * The vault's one error class. Every failure to open a sealed value, every keyring problem and every refused
 * administrative step throws a `VaultError` with a stable snake_case `code` from the table below, so callers can
 * map it (a disconnect that races a read, a 500 with a clear log line) without parsing messages. The vault never
 * returns garbage plaintext: AES-GCM authentication fails closed and is reported as `tampered`.
 */
export const VAULT_ERROR_CODES = {
  invalid_argument: 'an argument is not acceptable (owner id, purpose, key id)',
  malformed: 'the value is not a well-formed vault ciphertext (truncated or garbled header)',
  unsupported_version: 'the ciphertext carries a format version this build does not know',
  wrong_context:
    'the ciphertext was sealed for another owner or purpose (copied from another row), or altered',
  tampered: 'authentication failed: the ciphertext, IV, tag or header were altered',
  shredded:
    "the owner's data key is gone (crypto-shredded, or never created): the value is unreadable forever",
  unknown_key:
    "the ciphertext names a data key that is not the owner's current one (older than a shred, or altered)",
  unknown_kek: 'the key-encryption key that wraps the data key is not in the keyring',
  retired_key:
    'the data key is wrapped by a retired key-encryption key; un-retire it or restore it, then rewrap',
  key_in_use: 'the key-encryption key still wraps data keys (or is the primary) and cannot be retired',
  kms_unavailable: 'the KMS endpoint could not be reached',
  kms_error: 'the KMS refused the request',
  keyring_invalid: 'the keyring file is unreadable or not valid',
  keyring_insecure: 'the keyring file is readable by other users (mode wider than 0600)',
} as const;

export type VaultErrorCode = keyof typeof VAULT_ERROR_CODES;

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(
    readonly code: VaultErrorCode,
    /** A specific, log-safe detail (ids and counts only, never key material or plaintext). */
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${code}: ${detail}` : `${code}: ${VAULT_ERROR_CODES[code]}`, options);
  }
}

export function isVaultError(err: unknown, code?: VaultErrorCode): err is VaultError {
  return err instanceof VaultError && (code === undefined || err.code === code);
}
