import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import { deleteCacheOfConnection, deleteExpiredCache, readCacheEntry, writeCacheEntry } from './cache.js';
import { findClient, insertClient } from './clients.js';
import {
  readConnectionState,
  writeConnectionState,
  findConnection,
  insertConnection,
} from './connections.js';
import type { Store } from './db.js';
import { testStoreKinds } from './testing.js';
import { LocalKeyring, type Sealed, Vault } from '../vault/index.js';
import { dataKeyStore } from './data-keys.js';
import { insertToken, revokeTokensOfConnection, tokenStatus } from './tokens.js';

describe.each(testStoreKinds)('store on $name', (kind) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  async function seed() {
    store = await kind.open();
    const clientId = newId('client');
    await insertClient(store, {
      id: clientId,
      name: 'Acme',
      redirectUris: ['https://app.example/cb'],
      webhookUri: null,
      logoUrl: null,
      accentColor: '#0055ff',
      isPublic: false,
      createdAt: 1_700_000_000_000,
    });
    const connectionId = newId('connection');
    await insertConnection(store, {
      id: connectionId,
      clientId,
      provider: 'sandbox',
      mode: 'xhr',
      settings: { employees: 7 },
      createdAt: 1_700_000_000_001,
    });
    return { clientId, connectionId };
  }

  it('migrates twice without change and round-trips clients and connections', async () => {
    const { clientId, connectionId } = await seed();
    expect(await store.migrate()).toEqual([]);
    const client = await findClient(store, clientId);
    expect(client).toMatchObject({ name: 'Acme', redirectUris: ['https://app.example/cb'], isPublic: false });
    expect(client?.createdAt).toBe(1_700_000_000_000);
    const conn = await findConnection(store, connectionId);
    expect(conn).toMatchObject({
      provider: 'sandbox',
      mode: 'xhr',
      status: 'active',
      settings: { employees: 7 },
    });
    expect(await findConnection(store, 'con_missing')).toBeUndefined();
  });

  it('tracks token status and revocation', async () => {
    const { clientId, connectionId } = await seed();
    const jti = newId('token');
    await insertToken(store, {
      jti,
      connectionId,
      clientId,
      scopes: ['/2023-03-01/xhr/employees'],
      createdAt: Date.now(),
      expiresAt: Date.now() + 1000,
      codeId: null,
    });
    expect(await tokenStatus(store, jti)).toEqual({ revoked: false, disconnected: false });
    await revokeTokensOfConnection(store, connectionId);
    expect(await tokenStatus(store, jti)).toEqual({ revoked: true, disconnected: false });
    expect(await tokenStatus(store, 'tok_unknown')).toBeUndefined();
  });

  it('stores sealed bytes in the cache, honours expiry and deletes per connection', async () => {
    const { connectionId } = await seed();
    // The column only takes vault ciphertext (cached answers hold employee data): seal with a real vault over
    // this store.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-store-'));
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), dataKeyStore(store));
    const body = await vault.seal(connectionId, 'cache', JSON.stringify([{ a: 1, b: 'é' }]));
    await writeCacheEntry(store, {
      key: 'k1',
      connectionId,
      resource: 'employees',
      body,
      createdAt: 1000,
      expiresAt: 5000,
    });
    expect((await readCacheEntry(store, 'k1', 2000))?.body.equals(body)).toBe(true);
    expect(await readCacheEntry(store, 'k1', 6000)).toBeUndefined();
    // upsert replaces
    const empty = await vault.seal(connectionId, 'cache', '[]');
    await writeCacheEntry(store, {
      key: 'k1',
      connectionId,
      resource: 'employees',
      body: empty,
      createdAt: 1000,
      expiresAt: 9000,
    });
    expect((await readCacheEntry(store, 'k1', 6000))?.body.equals(empty)).toBe(true);
    expect(await deleteExpiredCache(store, 10_000)).toBe(1);
    await writeCacheEntry(store, {
      key: 'k2',
      connectionId,
      resource: 'x',
      body,
      createdAt: 0,
      expiresAt: 9e12,
    });
    await deleteCacheOfConnection(store, connectionId);
    expect(await readCacheEntry(store, 'k2', 0)).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps per-connection adapter state rows (sealed bytes, upserted)', async () => {
    const { connectionId } = await seed();
    const bytes = (s: string) => Buffer.from(s) as Sealed;
    expect(await readConnectionState(store, connectionId, 'x')).toBeUndefined();
    await writeConnectionState(store, connectionId, 'x', bytes('one'));
    await writeConnectionState(store, connectionId, 'x', bytes('two'));
    expect((await readConnectionState(store, connectionId, 'x'))?.toString()).toBe('two');
  });
});
