/**
 * The sealed-value format (version 1). One place encodes and parses it.
 *
 * ```
 * offset        size  field
 * 0             1     version = 0x01
 * 1             1     L = length of the data key id (1..64)
 * 2             L     data key id, ASCII (`dk_` + 16 random bytes base64url)
 * 2+L           4     context fingerprint = SHA-256("affix:v1:<ownerId>:<purpose>")[0..4]
 * 6+L           12    IV (random per seal)
 * 18+L          n     AES-256-GCM ciphertext (n ≥ 0)
 * end-16        16    GCM tag
 * AAD = header bytes [0, 6+L) ‖ "affix:v1:<ownerId>:<purpose>"
 * ```
 *
 * Why the *data key id* and not the KEK id: the KEK is recorded beside the wrapped data key (table
 * `vault_data_keys.kek_id`). Re-wrapping a data key under a new KEK then touches one small row per owner, never
 * the ciphertexts; and a ciphertext from before a shred names a data key that no longer exists.
 *
 * The fingerprint is a diagnostic, not a security control (owner ids are not secret): it lets `open()` say
 * `wrong_context` ("copied from another row or purpose") instead of a generic `tampered`. Integrity comes from GCM,
 * whose AAD covers the fingerprint, the whole header, the owner and the purpose.
 */
import { createHash } from 'node:crypto';
import { VaultError } from './errors.js';
import type { Purpose, Sealed } from './types.js';

export const FORMAT_VERSION = 0x01;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const FINGERPRINT_BYTES = 4;
const MAX_KEY_ID_BYTES = 64;
const DATA_KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ParsedEnvelope {
  dataKeyId: string;
  fingerprint: Buffer;
  header: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** The associated-data string; also what the fingerprint hashes. */
export function contextString(ownerId: string, purpose: Purpose): string {
  return `affix:v1:${ownerId}:${purpose}`;
}

export function fingerprint(ownerId: string, purpose: Purpose): Buffer {
  return createHash('sha256').update(contextString(ownerId, purpose)).digest().subarray(0, FINGERPRINT_BYTES);
}

export function encodeHeader(dataKeyId: string, ownerId: string, purpose: Purpose): Buffer {
  if (!DATA_KEY_ID.test(dataKeyId)) throw new VaultError('invalid_argument', 'bad data key id');
  const id = Buffer.from(dataKeyId, 'ascii');
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id, fingerprint(ownerId, purpose)]);
}

export function aad(header: Buffer, ownerId: string, purpose: Purpose): Buffer {
  return Buffer.concat([header, Buffer.from(contextString(ownerId, purpose), 'utf8')]);
}

/** Parses the structure only; authenticity is decided by GCM in the vault. */
export function parseEnvelope(bytes: Uint8Array): ParsedEnvelope {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 2) throw new VaultError('malformed', `sealed value too short (${buf.length} bytes)`);
  if (buf[0] !== FORMAT_VERSION) {
    throw new VaultError('unsupported_version', `format version 0x${(buf[0] ?? 0).toString(16)} is not 0x01`);
  }
  const idLen = buf[1] ?? 0;
  if (idLen < 1 || idLen > MAX_KEY_ID_BYTES)
    throw new VaultError('malformed', `bad data key id length ${idLen}`);
  const headerLen = 2 + idLen + FINGERPRINT_BYTES;
  if (buf.length < headerLen + IV_BYTES + TAG_BYTES) {
    throw new VaultError('malformed', `sealed value truncated (${buf.length} bytes)`);
  }
  const dataKeyId = buf.subarray(2, 2 + idLen).toString('latin1');
  if (!DATA_KEY_ID.test(dataKeyId)) throw new VaultError('malformed', 'data key id has invalid characters');
  return {
    dataKeyId,
    fingerprint: buf.subarray(2 + idLen, headerLen),
    header: buf.subarray(0, headerLen),
    iv: buf.subarray(headerLen, headerLen + IV_BYTES),
    ciphertext: buf.subarray(headerLen + IV_BYTES, buf.length - TAG_BYTES),
    tag: buf.subarray(buf.length - TAG_BYTES),
  };
}

/**
 * Brands bytes read back from a sealed column. Checks the structure so a plaintext that slipped into a column
 * fails here rather than later; it does not (cannot) check authenticity.
 */
export function sealedFromStorage(bytes: Uint8Array): Sealed {
  parseEnvelope(bytes);
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)) as Sealed;
}
