import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import type { Store } from './db.js';
import { testStoreKinds } from './testing.js';
import { insertClient } from '../testing/fixtures.js';
import { LocalKeyring, type Sealed, Vault } from '../vault/index.js';

describe.each(testStoreKinds)('store on $name', (kind) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  async function seed() {
    store = await kind.open();
    const clientId = await insertClient(store, { accentColor: '#0055ff', createdAt: 1_700_000_000_000 });
    const connectionId = newId('connection');
    await store.connections.insert({
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
    const client = await store.clients.find(clientId);
    expect(client).toMatchObject({ name: 'Acme', redirectUris: ['https://app.example/cb'], isPublic: false });
    expect(client?.createdAt).toBe(1_700_000_000_000);
    const conn = await store.connections.find(connectionId);
    expect(conn).toMatchObject({
      provider: 'sandbox',
      mode: 'xhr',
      status: 'active',
      settings: { employees: 7 },
    });
    expect(await store.connections.find('con_missing')).toBeUndefined();
  });

  it('tracks token status and revocation', async () => {
    const { clientId, connectionId } = await seed();
    const jti = newId('token');
    await store.tokens.insert({
      jti,
      connectionId,
      clientId,
      scopes: ['/2023-03-01/xhr/employees'],
      createdAt: Date.now(),
      expiresAt: Date.now() + 1000,
      codeId: null,
    });
    expect(await store.tokens.status(jti)).toEqual({ revoked: false, disconnected: false });
    await store.tokens.revokeOfConnection(connectionId);
    expect(await store.tokens.status(jti)).toEqual({ revoked: true, disconnected: false });
    expect(await store.tokens.status('tok_unknown')).toBeUndefined();
  });

  it('stores sealed bytes in the cache, honours expiry and deletes per connection', async () => {
    const { connectionId } = await seed();
    // The column only takes vault ciphertext (cached answers hold employee data): seal with a real vault over
    // this store.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-store-'));
    const vault = new Vault(await LocalKeyring.open({ dataDir: dir }), store.dataKeys);
    const body = await vault.seal(connectionId, 'cache', JSON.stringify([{ a: 1, b: 'é' }]));
    await store.cache.write({
      key: 'k1',
      connectionId,
      resource: 'employees',
      body,
      createdAt: 1000,
      expiresAt: 5000,
    });
    expect((await store.cache.read('k1', 2000))?.body.equals(body)).toBe(true);
    expect(await store.cache.read('k1', 6000)).toBeUndefined();
    // upsert replaces
    const empty = await vault.seal(connectionId, 'cache', '[]');
    await store.cache.write({
      key: 'k1',
      connectionId,
      resource: 'employees',
      body: empty,
      createdAt: 1000,
      expiresAt: 9000,
    });
    expect((await store.cache.read('k1', 6000))?.body.equals(empty)).toBe(true);
    expect(await store.cache.deleteExpired(10_000)).toBe(1);
    await store.cache.write({
      key: 'k2',
      connectionId,
      resource: 'x',
      body,
      createdAt: 0,
      expiresAt: 9e12,
    });
    await store.cache.deleteOfConnection(connectionId);
    expect(await store.cache.read('k2', 0)).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps per-connection adapter state rows (sealed bytes, upserted)', async () => {
    const { connectionId } = await seed();
    const bytes = (s: string) => Buffer.from(s) as Sealed;
    expect(await store.connectionState.get(connectionId, 'x')).toBeUndefined();
    await store.connectionState.put(connectionId, 'x', bytes('one'));
    await store.connectionState.put(connectionId, 'x', bytes('two'));
    expect((await store.connectionState.get(connectionId, 'x'))?.toString()).toBe('two');
  });
});
