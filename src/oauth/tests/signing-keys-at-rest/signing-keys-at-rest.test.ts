/**
 * Private signing keys at rest: sealed by the vault; a row written before sealing existed (plain JSON) is sealed in
 * place on first load, through the vault's `SigningKeyRows` port that the store implements.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../store/db.js';
import { testStoreKinds } from '../../../store/testing.js';
import { LocalKeyring, Vault } from '../../../vault/index.js';
import { KeyStore } from '../../keys.js';

describe.each(testStoreKinds)('signing keys at rest on $name', (kind) => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a plaintext private key row is sealed in place on first load and keeps signing', async () => {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-keys-at-rest-'));
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), store.dataKeys);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const plaintext = JSON.stringify(await exportJWK(privateKey));
    await store.signingKeys.insert({
      kid,
      alg: 'ES256',
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg: 'ES256', use: 'sig' }),
      privateJwk: plaintext,
      createdAt: 0,
      activeFrom: 0,
    });

    const keys = new KeyStore(store, vault);
    await keys.init();
    expect((await keys.signingKey()).kid).toBe(kid);
    const [row] = await store.signingKeys.all();
    expect(row?.privateJwk.startsWith('vault:v1:')).toBe(true);
    expect(row?.privateJwk).not.toContain(JSON.parse(plaintext).d);

    // A second process loads the sealed row as it is.
    const again = new KeyStore(store, vault);
    await again.init();
    expect((await again.signingKey()).kid).toBe(kid);
    expect((await store.signingKeys.all()).map((k) => k.privateJwk)).toEqual([row?.privateJwk]);
  });
});
