import { inspect } from 'node:util';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VaultError, type VaultErrorCode } from './errors.js';
import { KmsEmulator } from './kms-emulator.js';
import { KmsKeyring, type KmsKeyringOptions } from './kms-keyring.js';
import { MemoryDataKeyStore } from './memory-data-key-store.js';
import type { WrappedDataKey } from './types.js';
import { Vault } from './vault.js';
import { freePort } from '../testing/processes.js';

const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' };
let emulator: KmsEmulator;
let keyArn: string;

beforeAll(async () => {
  emulator = new KmsEmulator();
  await emulator.start();
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(() => {
  keyArn = emulator.createKey();
  emulator.calls.length = 0;
});

function keyring(overrides: Partial<KmsKeyringOptions> = {}): Promise<KmsKeyring> {
  return KmsKeyring.create({
    keyId: keyArn,
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials,
    maxAttempts: 1,
    ...overrides,
  });
}

async function codeOf(promise: Promise<unknown>): Promise<VaultErrorCode> {
  const err = await promise.then(
    () => {
      throw new Error('expected a VaultError');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  return (err as VaultError).code;
}

describe('KmsKeyring through the AWS SDK and the loopback KMS emulator', () => {
  it('round-trips: GenerateDataKey (AES_256) on first seal, Decrypt with the EncryptionContext on open', async () => {
    const store = new MemoryDataKeyStore();
    const vault = new Vault(await keyring(), store);
    const sealed = await vault.seal('con_kms', 'credentials', 'kms-secret');
    const row = (await store.get('con_kms')) as WrappedDataKey;
    expect(row.kekId).toBe(keyArn);

    const fresh = new Vault(await keyring(), store);
    expect(await fresh.openString('con_kms', 'credentials', sealed)).toBe('kms-secret');
    expect(emulator.calls.map((c) => c.target)).toEqual([
      'TrentService.GenerateDataKey',
      'TrentService.Decrypt',
    ]);
    const context = { affix_owner_id: 'con_kms', affix_data_key_id: row.dataKeyId };
    expect(emulator.calls[0]?.encryptionContext).toEqual(context);
    expect(emulator.calls[1]).toMatchObject({ keyId: keyArn, encryptionContext: context });
  });

  it('caches unwrapped data keys: repeated opens make one Decrypt call', async () => {
    const store = new MemoryDataKeyStore();
    const sealed = await new Vault(await keyring(), store).seal('con_hot', 'cache', 'hot');
    emulator.calls.length = 0;
    const vault = new Vault(await keyring(), store);
    for (let i = 0; i < 20; i++) expect(await vault.openString('con_hot', 'cache', sealed)).toBe('hot');
    expect(emulator.calls.filter((c) => c.target === 'TrentService.Decrypt')).toHaveLength(1);
  });

  it('an EncryptionContext mismatch is refused by KMS (InvalidCiphertextException) and surfaces as VaultError', async () => {
    const kr = await keyring();
    const generated = await kr.generateDataKey({ affix_owner_id: 'con_a', affix_data_key_id: 'dk_1' });
    expect(generated.plaintext.length).toBe(32);
    expect(
      await kr.unwrap(keyArn, generated.wrapped, { affix_owner_id: 'con_a', affix_data_key_id: 'dk_1' }),
    ).toEqual(generated.plaintext);
    expect(
      await codeOf(
        kr.unwrap(keyArn, generated.wrapped, { affix_owner_id: 'con_b', affix_data_key_id: 'dk_1' }),
      ),
    ).toBe('tampered');
    expect(emulator.calls.at(-1)?.error).toBe('InvalidCiphertextException');
    // Regression: the SDK error holds the signed request (a replayable Decrypt); it must not ride along to logs.
    const err = await kr.unwrap(keyArn, generated.wrapped, { other: 'x' }).catch((e: unknown) => e);
    expect(inspect(err, { depth: 20 })).toMatch(/InvalidCiphertextException/);
    expect(inspect(err, { depth: 20 })).not.toMatch(/AWS4-HMAC-SHA256|\$response|authorization/i);
    // The SDK hides $response as non-enumerable; serializers that walk own property names would still find it.
    const cause = (err as VaultError).cause as object;
    expect(Object.getOwnPropertyNames(cause).sort()).toEqual(['message', 'stack']);

    // Through the vault: a wrapped key copied to another owner's row.
    const store = new MemoryDataKeyStore();
    const vault = new Vault(kr, store);
    await vault.seal('con_a', 'credentials', 'a');
    const a = (await store.get('con_a')) as WrappedDataKey;
    store.rows.set('con_b', { ...a, ownerId: 'con_b' });
    expect(await codeOf(new Vault(kr, store).seal('con_b', 'credentials', 'b'))).toBe('tampered');
  });

  it('the emulator speaks the wire protocol: the raw SDK sees the KMS error name and the ARN', async () => {
    const client = new KMSClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials,
      maxAttempts: 1,
    });
    const kr = await keyring();
    const { wrapped } = await kr.wrap(Buffer.alloc(32, 1), { k: 'v' });
    const ok = await client.send(
      new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: { k: 'v' } }),
    );
    expect(ok.KeyId).toBe(keyArn);
    expect(Buffer.from(ok.Plaintext ?? [])).toEqual(Buffer.alloc(32, 1));
    const err = await client
      .send(new DecryptCommand({ CiphertextBlob: wrapped, EncryptionContext: { k: 'other' } }))
      .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    expect(err).toMatchObject({ name: 'InvalidCiphertextException', $metadata: { httpStatusCode: 400 } });
    const badSig = new KMSClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    await expect(badSig.send(new DecryptCommand({ CiphertextBlob: wrapped }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    client.destroy();
    badSig.destroy();
  });

  it('KMS down gives a clear kms_unavailable error, not a hang or garbage', async () => {
    const port = await freePort();
    const kr = await keyring({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 2000 });
    const started = Date.now();
    const err = await new Vault(kr, new MemoryDataKeyStore())
      .seal('con_down', 'credentials', 'x')
      .catch((e: unknown) => e as VaultError);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('kms_unavailable');
    expect((err as VaultError).message).toMatch(/KMS GenerateDataKey/);

    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a rewrap job moves data keys from one CMK to another; a disabled CMK still referenced fails loudly', async () => {
    const oldKey = keyArn;
    const store = new MemoryDataKeyStore();
    const before = new Vault(await keyring(), store);
    const sealed = await before.seal('con_m', 'credentials', 'migrate-me');

    const newKey = emulator.createKey('affix-vault');
    const after = new Vault(await keyring({ keyId: newKey }), store);
    expect(await after.openString('con_m', 'credentials', sealed)).toBe('migrate-me');
    expect(await after.rewrap()).toMatchObject({ rewrapped: 1, remaining: 0 });
    expect((await store.get('con_m'))?.kekId).toBe(newKey);
    expect(emulator.calls.some((c) => c.target === 'TrentService.Encrypt' && c.keyId === newKey)).toBe(true);

    await before.seal('con_stale', 'cache', 'x'); // created on the old CMK after the rewrap ran
    emulator.setKeyEnabled(oldKey, false);
    expect(
      await new Vault(await keyring({ keyId: newKey }), store).openString('con_m', 'credentials', sealed),
    ).toBe('migrate-me');
    const stale = new Vault(await keyring({ keyId: newKey }), store);
    expect(await codeOf(stale.seal('con_stale', 'cache', 'y'))).toBe('retired_key');
    expect(await codeOf(stale.retireKek(newKey))).toBe('invalid_argument');
  });

  it('an unknown CMK is unknown_kek; a blob under another CMK than the recorded one is refused', async () => {
    const kr = await keyring();
    const { wrapped } = await kr.wrap(Buffer.alloc(32, 2), { k: 'v' });
    const other = emulator.createKey();
    expect(await codeOf(kr.unwrap(other, wrapped, { k: 'v' }))).toBe('unknown_kek');
    const missing = await keyring({ keyId: 'arn:aws:kms:us-east-1:111122223333:key/nope' });
    expect(await codeOf(missing.generateDataKey({ k: 'v' }))).toBe('unknown_kek');
  });

  it('warns when the KMS endpoint is not https', async () => {
    expect((await keyring()).warnings().join('\n')).toMatch(/not https/);
    expect((await keyring({ endpoint: 'https://kms.eu-west-1.amazonaws.com' })).warnings()).toEqual([]);
  });
});
