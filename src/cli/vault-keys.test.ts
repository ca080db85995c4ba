/**
 * KEK rotation as an operator runs it: `keys rotate-kek` (new writes use the new KEK at once, also in a serving
 * process that re-reads the keyring), `keys rewrap` with progress, `keys retire-kek`, and a retired key that is
 * still referenced (a restored backup row) failing loudly everywhere.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultRewrapJob } from '../jobs/vault-rewrap.js';
import type { Store } from '../store/db.js';
import { patchRows, testStoreKinds } from '../store/testing.js';
import { LocalKeyring, Vault, isVaultError } from '../vault/index.js';
import { vaultKeysCommand } from './vault-keys.js';

describe.each(testStoreKinds)('vault key commands on $name', (kind) => {
  let store: Store;
  let dir: string;
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function node() {
    const keyring = await LocalKeyring.open({ dataDir: dir });
    return { keyring, vault: new Vault(keyring, store.dataKeys, { cache: { maxEntries: 0 } }) };
  }
  const kekOf = async (owner: string) => {
    const row = await store.dataKeys.get(owner);
    if (!row) throw new Error(`no data key of ${owner}`);
    return row.kekId;
  };

  it('rotate-kek → new writes on the new KEK; rewrap with progress; retire; a restored old row fails loudly', async () => {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-keys-'));
    const cli = await node(); // the CLI process
    const server = await node(); // a serving process with its own copy of the keyring
    const sealed: Record<string, Buffer> = {};
    for (const owner of ['con_a', 'con_b', 'con_c', 'cli_d', 'con_e']) {
      sealed[owner] = await server.vault.seal(owner, 'credentials', `secret of ${owner}`);
    }
    const v1 = server.keyring.primaryKeyId();
    const saved = await store.dataKeys.get('con_a');
    if (!saved) throw new Error('no data key of con_a');

    const out: string[] = [];
    expect(await vaultKeysCommand(cli, ['rotate-kek'], (l) => out.push(l))).toBe(0);
    const v2 = cli.keyring.primaryKeyId();
    expect(v2).not.toBe(v1);
    expect(out.join('\n')).toContain(`primary KEK is now ${v2}`);
    expect(out.join('\n')).toContain('5 data key(s) still wrapped by older KEKs');

    // The serving process picks the rotation up on its next keyring refresh; a new owner's key uses v2.
    const job = new VaultRewrapJob(server.vault);
    await job.refreshKeyring();
    await server.vault.seal('con_new', 'credentials', 'fresh');
    expect(await kekOf('con_new')).toBe(v2);
    // Old values still open before any rewrap.
    expect((await server.vault.open('con_b', 'credentials', sealed.con_b as Buffer)).toString()).toBe(
      'secret of con_b',
    );

    out.length = 0;
    expect(await vaultKeysCommand(cli, ['rewrap', '--batch', '2'], (l) => out.push(l))).toBe(0);
    const progress = out.filter((l) => /visited/.test(l));
    expect(progress).toEqual([
      'rewrap: 2/5 visited (rewrapped 2, skipped 0, failed 0, remaining 3)',
      'rewrap: 4/5 visited (rewrapped 4, skipped 0, failed 0, remaining 1)',
      'rewrap: 5/5 visited (rewrapped 5, skipped 0, failed 0, remaining 0)',
    ]);
    for (const owner of Object.keys(sealed)) {
      expect(await kekOf(owner)).toBe(v2);
      expect((await server.vault.open(owner, 'credentials', sealed[owner] as Buffer)).toString()).toBe(
        `secret of ${owner}`,
      );
    }

    out.length = 0;
    expect(await vaultKeysCommand(cli, ['retire-kek', v2], (l) => out.push(l))).toBe(1); // the primary: refused
    expect(out[0]).toContain('key_in_use');
    expect(await vaultKeysCommand(cli, ['retire-kek', v1], (l) => out.push(l))).toBe(0);

    // A backup restored from before the rewrap: con_a's data key wrapped by the retired v1.
    await patchRows(
      store,
      'vault_data_keys',
      { kek_id: saved.kekId, wrapped: saved.wrapped },
      { owner_id: 'con_a' },
    );
    await job.refreshKeyring();
    const fresh = await node();
    const err = await fresh.vault
      .open('con_a', 'credentials', sealed.con_a as Buffer)
      .catch((e: unknown) => e);
    expect(isVaultError(err, 'retired_key')).toBe(true);
    out.length = 0;
    expect(await vaultKeysCommand(fresh, ['rewrap'], (l) => out.push(l))).toBe(1);
    expect(out.join('\n')).toContain(`FAILED con_a (KEK ${v1}): retired_key`);
    const status: string[] = [];
    await vaultKeysCommand(fresh, ['kek-status'], (l) => status.push(l));
    expect(status.join('\n')).toContain(`${v1} (retired)`);
  });

  it('the periodic job re-wraps in a serving process and reports progress', async () => {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-keys-'));
    const server = await node();
    for (const owner of ['con_1', 'con_2', 'con_3']) await server.vault.seal(owner, 'cache', 'x');
    const cli = await node();
    await vaultKeysCommand(cli, ['rotate-kek'], () => {});
    const seen: number[] = [];
    const job = new VaultRewrapJob(server.vault, { onProgress: (p) => seen.push(p.remaining) });
    const result = await job.run();
    expect(result).toMatchObject({ rewrapped: 3, remaining: 0, failed: 0 });
    expect(seen.at(-1)).toBe(0);
    expect(await job.run()).toBeUndefined(); // nothing left to do
  });
});
