import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnvelope } from './envelope-format.js';
import { VaultError, type VaultErrorCode } from './errors.js';
import { LocalKeyring } from './local-keyring.js';
import { MemoryDataKeyStore } from './memory-data-key-store.js';
import type { RewrapProgress } from './vault.js';
import { Vault } from './vault.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'affix-keyring-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

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

const posix = process.platform !== 'win32';

describe('LocalKeyring file', () => {
  it.runIf(posix)(
    'is created on first start at DATA_DIR/keyring.json with mode 0600 and one primary key',
    async () => {
      const dataDir = path.join(dir, 'nested', 'data');
      const keyring = await LocalKeyring.open({ dataDir });
      expect(keyring.file).toBe(path.resolve(dataDir, 'keyring.json'));
      expect((await stat(keyring.file)).mode & 0o777).toBe(0o600);
      expect(keyring.primaryKeyId()).toBe('kek_v1');
      expect(keyring.keys()).toEqual([
        expect.objectContaining({ id: 'kek_v1', primary: true, retired: false }),
      ]);
      expect(keyring.warnings().join('\n')).toMatch(/created a new local keyring/);
      const json = JSON.parse(await readFile(keyring.file, 'utf8'));
      expect(json).toMatchObject({ format: 'affix-keyring', version: 1, primary: 'kek_v1' });
      expect(Buffer.from(json.keys[0].material, 'base64').length).toBe(32);
    },
  );

  it('is reloaded from disk by a second instance, which still decrypts', async () => {
    const store = new MemoryDataKeyStore();
    const first = await LocalKeyring.open({ dataDir: dir });
    const sealed = await new Vault(first, store).seal('con_1', 'credentials', 'pw');
    const second = await LocalKeyring.open({ dataDir: dir });
    expect(second.warnings().join('\n')).not.toMatch(/created/);
    expect(await new Vault(second, store).openString('con_1', 'credentials', sealed)).toBe('pw');
  });

  it('two processes starting at once agree on one file (no overwrite)', async () => {
    const [a, b] = await Promise.all([
      LocalKeyring.open({ dataDir: dir }),
      LocalKeyring.open({ dataDir: dir }),
    ]);
    const store = new MemoryDataKeyStore();
    const sealed = await new Vault(a, store).seal('con_1', 'cache', 'x');
    expect(await new Vault(b, store).openString('con_1', 'cache', sealed)).toBe('x');
  });

  it.runIf(posix)('refuses a file readable by group or others (keyring_insecure)', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      await chmod(keyring.file, mode);
      expect(await codeOf(LocalKeyring.open({ dataDir: dir }))).toBe('keyring_insecure');
    }
    expect((await stat(keyring.file)).mode & 0o777).toBe(0o660);
  });

  it.runIf(posix)('repairs the mode to 0600 with a warning only when asked to', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    await chmod(keyring.file, 0o644);
    const repaired = await LocalKeyring.open({ dataDir: dir, repairPermissions: true });
    expect((await stat(keyring.file)).mode & 0o777).toBe(0o600);
    expect(repaired.warnings().join('\n')).toMatch(/had mode 0644; changed to 0600/);
  });

  it('refuses a corrupted or hand-broken file with keyring_invalid', async () => {
    const file = path.join(dir, 'keyring.json');
    const cases: unknown[] = [
      'not json',
      { format: 'affix-keyring', version: 1, primary: 'kek_v1', keys: [] },
      {
        format: 'affix-keyring',
        version: 1,
        primary: 'kek_v2',
        keys: [{ id: 'kek_v1', material: Buffer.alloc(32).toString('base64'), retired: false }],
      },
      {
        format: 'affix-keyring',
        version: 1,
        primary: 'kek_v1',
        keys: [{ id: 'kek_v1', material: 'c2hvcnQ=', retired: false }],
      },
      {
        format: 'affix-keyring',
        version: 1,
        primary: 'kek_v1',
        keys: [{ id: 'kek_v1', material: Buffer.alloc(32).toString('base64'), retired: true }],
      },
    ];
    for (const content of cases) {
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
      expect(await codeOf(LocalKeyring.open({ dataDir: dir }))).toBe('keyring_invalid');
    }
  });

  it('warns loudly in prod that a KMS should be used; not in dev', async () => {
    const prod = await LocalKeyring.open({ dataDir: dir, env: 'prod' });
    expect(prod.warnings()[0]).toMatch(
      /AFFIX_ENV=prod is using the LOCAL keyring.*Use AWS KMS in production/s,
    );
    const dev = await LocalKeyring.open({ dataDir: dir, env: 'dev' });
    expect(dev.warnings().join('\n')).not.toMatch(/KMS/);
  });
});

describe('KEK rotation, rewrap and retirement', () => {
  it('rotate: new data keys use the new KEK, values under the old KEK still open, also from a fresh instance', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    const store = new MemoryDataKeyStore();
    const vault = new Vault(keyring, store);
    const old = await vault.seal('con_old', 'credentials', 'old-secret');

    expect(await keyring.rotate()).toBe('kek_v2');
    expect(keyring.primaryKeyId()).toBe('kek_v2');
    expect((await stat(keyring.file)).mode & 0o777).toBe(posix ? 0o600 : expect.any(Number));

    const fresh = await vault.seal('con_new', 'credentials', 'new-secret');
    expect((await store.get('con_new'))?.kekId).toBe('kek_v2');
    expect((await store.get('con_old'))?.kekId).toBe('kek_v1');
    expect(await vault.openString('con_old', 'credentials', old)).toBe('old-secret');

    const reopened = new Vault(await LocalKeyring.open({ dataDir: dir }), store);
    expect(await reopened.openString('con_old', 'credentials', old)).toBe('old-secret');
    expect(await reopened.openString('con_new', 'credentials', fresh)).toBe('new-secret');
    expect(await keyring.rotate()).toBe('kek_v3');
  });

  it('a running process picks up a key rotated (and rewrapped to) by another process', async () => {
    const server = await LocalKeyring.open({ dataDir: dir, reloadIntervalMs: 0 });
    const store = new MemoryDataKeyStore();
    const serverVault = new Vault(server, store, { cache: { maxEntries: 0 } });
    const sealed = await serverVault.seal('con_1', 'cookies', 'sid');

    const cli = await LocalKeyring.open({ dataDir: dir });
    await cli.rotate();
    await new Vault(cli, store).rewrap();
    expect((await store.get('con_1'))?.kekId).toBe('kek_v2');
    expect(await serverVault.openString('con_1', 'cookies', sealed)).toBe('sid');
  });

  it('rewrap moves every data key to the primary KEK, reports progress, and ciphertexts still open', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    const store = new MemoryDataKeyStore();
    const vault = new Vault(keyring, store);
    const sealed = new Map<string, Buffer>();
    for (let i = 0; i < 25; i++) {
      const owner = `con_${String(i).padStart(2, '0')}`;
      sealed.set(owner, await vault.seal(owner, 'credentials', `pw-${owner}`));
    }
    await keyring.rotate();
    await vault.seal('con_fresh', 'credentials', 'on v2 already');
    const before = new Map([...store.rows].map(([k, v]) => [k, v.wrapped.toString('hex')]));

    const progress: RewrapProgress[] = [];
    const result = await vault.rewrap({ batchSize: 10, onProgress: (p) => progress.push(p) });

    expect(result).toMatchObject({ rewrapped: 25, remaining: 0, failed: 0, skipped: 0 });
    expect(progress.map((p) => [p.rewrapped, p.remaining, p.total])).toEqual([
      [10, 15, 25],
      [20, 5, 25],
      [25, 0, 25],
    ]);
    expect(await store.countByKek()).toEqual({ kek_v2: 26 });
    for (const [owner, row] of store.rows) {
      if (owner === 'con_fresh') continue;
      expect(row.wrapped.toString('hex')).not.toBe(before.get(owner));
      expect(row.rotatedAt).toBeInstanceOf(Date);
    }
    const fresh = new Vault(await LocalKeyring.open({ dataDir: dir }), store);
    for (const [owner, s] of sealed)
      expect(await fresh.openString(owner, 'credentials', s)).toBe(`pw-${owner}`);
    // Data key ids are unchanged: rewrap never touches ciphertexts.
    for (const [owner, s] of sealed)
      expect(parseEnvelope(s).dataKeyId).toBe(store.rows.get(owner)?.dataKeyId);

    expect(await vault.rewrap()).toMatchObject({ rewrapped: 0, remaining: 0 });
  });

  it('rewrap counts a broken row as failed and goes on with the others', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    const store = new MemoryDataKeyStore();
    const vault = new Vault(keyring, store);
    for (const id of ['con_a', 'con_b', 'con_c']) await vault.seal(id, 'cache', id);
    const b = store.rows.get('con_b');
    if (b) store.rows.set('con_b', { ...b, wrapped: Buffer.from(b.wrapped).fill(0, 5, 10) });
    await keyring.rotate();
    const result = await vault.rewrap();
    expect(result).toMatchObject({ rewrapped: 2, failed: 1, remaining: 1 });
    expect(result.failures).toEqual([{ ownerId: 'con_b', kekId: 'kek_v1', code: 'tampered' }]);
  });

  it('retiring a KEK that still wraps data keys is refused; after rewrap it succeeds', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    const store = new MemoryDataKeyStore();
    const vault = new Vault(keyring, store);
    const sealed = await vault.seal('con_a', 'credentials', 'pw');

    expect(await codeOf(vault.retireKek('kek_v1'))).toBe('key_in_use'); // primary
    await keyring.rotate();
    const err = await vault.retireKek('kek_v1').catch((e: unknown) => e as VaultError);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).code).toBe('key_in_use');
    expect((err as VaultError).message).toMatch(/kek_v1 still wraps 1 data key/);
    expect(keyring.keys().find((k) => k.id === 'kek_v1')?.retired).toBe(false);

    await vault.rewrap();
    await vault.retireKek('kek_v1');
    expect(keyring.keys().find((k) => k.id === 'kek_v1')).toMatchObject({ retired: true });
    const reloaded = await LocalKeyring.open({ dataDir: dir });
    expect(reloaded.keys().find((k) => k.id === 'kek_v1')).toMatchObject({ retired: true });
    expect(await new Vault(reloaded, store).openString('con_a', 'credentials', sealed)).toBe('pw');
    expect(await codeOf(keyring.retire('kek_v2'))).toBe('key_in_use');
    expect(await codeOf(keyring.retire('kek_v7'))).toBe('unknown_kek');
  });

  it('a retired KEK that is still referenced (e.g. a restored backup) fails loudly on open and seal', async () => {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    const store = new MemoryDataKeyStore();
    const vault = new Vault(keyring, store);
    const sealed = await vault.seal('con_a', 'credentials', 'pw');
    await keyring.rotate();
    // Bypasses Vault.retireKek's reference check, as an operator editing the file (or a DB restore) would.
    await keyring.retire('kek_v1');

    const fresh = new Vault(await LocalKeyring.open({ dataDir: dir }), store);
    expect(await codeOf(fresh.open('con_a', 'credentials', sealed))).toBe('retired_key');
    expect(await codeOf(fresh.seal('con_a', 'credentials', 'new'))).toBe('retired_key');
    const rewrap = await fresh.rewrap();
    expect(rewrap).toMatchObject({ rewrapped: 0, failed: 1, remaining: 1 });
    expect(rewrap.failures[0]?.code).toBe('retired_key');
  });
});
