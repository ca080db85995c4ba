/**
 * AWS KMS keyring: the KEK never leaves KMS. New data keys come from `GenerateDataKey` (KeySpec AES_256); a data
 * key is unwrapped with `Decrypt` and re-wrapped onto another CMK with `Encrypt`. The wrap context (owner id,
 * data key id) is the `EncryptionContext`, so a wrapped key copied to another owner's row does not decrypt, and
 * CloudTrail shows which connection each Decrypt was for.
 *
 * Rotation: enable KMS automatic key rotation (same key ARN, nothing to rewrap). To move to another CMK, make it
 * the `keyId` (primary) and run `Vault.rewrap()`; the old CMK keeps decrypting until it is disabled in KMS, after
 * which rows still on it fail loudly with `retired_key`.
 *
 * Tested against `kms-emulator.ts` through the real `@aws-sdk/client-kms` client (endpoint on 127.0.0.1).
 * The SDK is imported lazily, so deployments on the local keyring never load it.
 */
import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { VaultError } from './errors.js';
import type { GeneratedDataKey, Keyring, WrapContext } from './types.js';

const DATA_KEY_BYTES = 32;

export interface KmsKeyringOptions {
  /** The primary CMK: prefer the key ARN (recorded as `kek_id` beside each wrapped data key). */
  keyId: string;
  region: string;
  /** e.g. `http://127.0.0.1:4599` for the emulator, or a VPC endpoint. */
  endpoint?: string;
  /** Static credentials; omitted → the SDK's default chain (env, instance role, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts per call including retries (default 3). */
  maxAttempts?: number;
  /** Per-attempt timeout in ms (default 5000). */
  requestTimeoutMs?: number;
  /** An already configured client (its settings win over the ones above). */
  client?: KMSClient;
}

type KmsModule = typeof import('@aws-sdk/client-kms');

export class KmsKeyring implements Keyring {
  readonly id: string;

  private constructor(
    private readonly sdk: KmsModule,
    private readonly client: KMSClient,
    private readonly keyId: string,
    private readonly endpoint: string | undefined,
  ) {
    this.id = `aws-kms:${keyId}`;
  }

  static async create(options: KmsKeyringOptions): Promise<KmsKeyring> {
    if (!options.keyId) throw new VaultError('invalid_argument', 'KMS key id is required');
    const sdk = await import('@aws-sdk/client-kms');
    const config: KMSClientConfig = {
      region: options.region,
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: {
        connectionTimeout: options.requestTimeoutMs ?? 5000,
        requestTimeout: options.requestTimeoutMs ?? 5000,
        throwOnRequestTimeout: true,
      },
    };
    if (options.endpoint) config.endpoint = options.endpoint;
    if (options.credentials) config.credentials = options.credentials;
    const client = options.client ?? new sdk.KMSClient(config);
    return new KmsKeyring(sdk, client, options.keyId, options.endpoint);
  }

  primaryKeyId(): string {
    return this.keyId;
  }

  /** KMS key ids, ARNs and aliases; never the local keyring's `kek_vN`. */
  claims(keyId: string): boolean {
    return !/^kek_v\d+$/.test(keyId);
  }

  warnings(): string[] {
    if (!this.endpoint || this.endpoint.startsWith('https://')) return [];
    return [`VAULT: KMS endpoint ${this.endpoint} is not https (fine for the loopback emulator only)`];
  }

  async generateDataKey(context: WrapContext): Promise<GeneratedDataKey> {
    const out = await this.call('GenerateDataKey', this.keyId, () =>
      this.client.send(
        new this.sdk.GenerateDataKeyCommand({
          KeyId: this.keyId,
          KeySpec: 'AES_256',
          EncryptionContext: { ...context },
        }),
      ),
    );
    if (!out.Plaintext || !out.CiphertextBlob || out.Plaintext.length !== DATA_KEY_BYTES) {
      throw new VaultError('kms_error', 'GenerateDataKey returned no 32-byte key');
    }
    return {
      keyId: this.keyId,
      plaintext: Buffer.from(out.Plaintext),
      wrapped: Buffer.from(out.CiphertextBlob),
    };
  }

  async wrap(dataKey: Buffer, context: WrapContext): Promise<{ keyId: string; wrapped: Buffer }> {
    const out = await this.call('Encrypt', this.keyId, () =>
      this.client.send(
        new this.sdk.EncryptCommand({
          KeyId: this.keyId,
          Plaintext: dataKey,
          EncryptionContext: { ...context },
        }),
      ),
    );
    if (!out.CiphertextBlob) throw new VaultError('kms_error', 'Encrypt returned no ciphertext');
    return { keyId: this.keyId, wrapped: Buffer.from(out.CiphertextBlob) };
  }

  async unwrap(keyId: string, wrapped: Buffer, context: WrapContext): Promise<Buffer> {
    // KeyId pins the CMK: KMS refuses (IncorrectKeyException) a blob made under another key.
    const out = await this.call('Decrypt', keyId, () =>
      this.client.send(
        new this.sdk.DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: wrapped,
          EncryptionContext: { ...context },
        }),
      ),
    );
    if (!out.Plaintext) throw new VaultError('kms_error', 'Decrypt returned no plaintext');
    return Buffer.from(out.Plaintext);
  }

  private async call<T>(operation: string, keyId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      throw mapKmsError(operation, keyId, err);
    }
  }
}

/**
 * KMS exception names → vault codes. Anything unrecognised without an HTTP status is a transport failure.
 * The SDK error is NOT kept as `cause`: it carries `$response` with the signed request headers, and a logged
 * SigV4 `Authorization` for a Decrypt could be replayed for minutes. The cause is a plain summary instead.
 */
export function mapKmsError(operation: string, keyId: string, err: unknown): VaultError {
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const detail = e?.message && e.message !== 'UnknownError' ? ` (${e.message})` : '';
  const where = `KMS ${operation} with ${keyId}: ${name}${detail}`;
  const cause = {
    cause: new Error(`${name}${e?.code ? ` ${e.code}` : ''}${status ? ` HTTP ${status}` : ''}${detail}`),
  };
  switch (name) {
    case 'InvalidCiphertextException':
      return new VaultError('tampered', `${where}: wrapped key altered, or EncryptionContext differs`, cause);
    case 'IncorrectKeyException':
    case 'NotFoundException':
      return new VaultError('unknown_kek', where, cause);
    case 'DisabledException':
    case 'KMSInvalidStateException':
      return new VaultError(
        'retired_key',
        `${where}: the CMK is disabled or pending deletion but still referenced`,
        cause,
      );
    case 'KMSInternalException':
    case 'DependencyTimeoutException':
    case 'ThrottlingException':
    case 'TimeoutError':
      return new VaultError('kms_unavailable', where, cause);
  }
  if (status === undefined || status >= 500) return new VaultError('kms_unavailable', where, cause);
  return new VaultError('kms_error', where, cause);
}
