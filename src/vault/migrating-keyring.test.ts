import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultError } from './errors.js';
import { KmsEmulator } from './kms-emulator.js';
import { KmsKeyring } from './kms-keyring.js';
import { LocalKeyring } from './local-keyring.js';
import { MemoryDataKeyStore } from './memory-data-key-store.js';
import { MigratingKeyring } from './migrating-keyring.js';
import { Vault } from './vault.js';

let emulator: KmsEmulator;
let dir: string;
beforeAll(async () => {
  emulator = new KmsEmulator();
  await emulator.start();
  dir = await mkdtemp(path.join(tmpdir(), 'affix-migrate-'));
});
afterAll(async () => {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('MigratingKeyring: local file → AWS KMS', () => {
  it('keeps old data keys readable, puts new ones on KMS, and rewrap empties the local keyring', async () => {
    const store = new MemoryDataKeyStore();
    const local = await LocalKeyring.open({ dataDir: dir });
    const before = await new Vault(local, store).seal('con_old', 'credentials', 'from-local');

    const arn = emulator.createKey();
    const kms = await KmsKeyring.create({
      keyId: arn,
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials: emulator.credentials[0],
      maxAttempts: 1,
    });
    const migrating = new MigratingKeyring(kms, [local]);
    const vault = new Vault(migrating, store);
    expect(migrating.warnings().join('\n')).toMatch(/run the rewrap job/);

    expect(await vault.openString('con_old', 'credentials', before)).toBe('from-local');
    const fresh = await vault.seal('con_new', 'credentials', 'from-kms');
    expect((await store.get('con_new'))?.kekId).toBe(arn);

    const progress: number[] = [];
    expect(await vault.rewrap({ onProgress: (p) => progress.push(p.remaining) })).toMatchObject({
      rewrapped: 1,
      remaining: 0,
    });
    expect(progress).toEqual([0]);
    expect(await store.countByKek()).toEqual({ [arn]: 2 });

    const kmsOnly = new Vault(kms, store);
    expect(await kmsOnly.openString('con_old', 'credentials', before)).toBe('from-local');
    expect(await kmsOnly.openString('con_new', 'credentials', fresh)).toBe('from-kms');
  });

  it('an id no configured keyring issues is unknown_kek', async () => {
    const local = await LocalKeyring.open({ dataDir: dir });
    const migrating = new MigratingKeyring(local, [local]);
    const err = await migrating.unwrap('arn:aws:kms:x', Buffer.alloc(40), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('unknown_kek');
    expect(migrating.generateDataKey).toBeUndefined();
  });
});
