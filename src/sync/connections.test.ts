/**
 * Adapter state at rest, as sensitive as the credentials it came from: refreshed provider tokens and web
 * sessions live in `connection_state`, sealed under the connection's data key. Rows hold no plaintext, a row
 * copied under another key does not open, and disconnect (crypto-shredding) leaves nothing that opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids.js';
import { testStoreKinds } from '../store/testing.js';
import { seedConnections } from '../testing/fixtures.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { sealedConnectionState } from './connections.js';
import { wipeConnection } from './wipe-connection.js';

describe.each(testStoreKinds)('sealed connection state on $name', (kind) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ store: kind.name });
  });
  afterAll(() => node.close());

  const connection = async () =>
    (await seedConnections(node.services.store, { provider: 'personio.de', mode: 'official' }))
      .connections[0] as string;

  it('round-trips values and stores only ciphertext', async () => {
    const id = await connection();
    const state = sealedConnectionState(node.services, id);
    const secret = `refresh-${newId('token')}`;
    expect(await state.get('oauth')).toBeUndefined();
    await state.set('oauth', { access_token: secret, expires_at: 1 });
    await state.set('oauth', { access_token: secret, expires_at: 2 });
    expect(await state.get('oauth')).toEqual({ access_token: secret, expires_at: 2 });
    const raw = await node.services.store.connectionState.get(id, 'oauth');
    expect(raw).toBeDefined();
    expect(raw?.includes(Buffer.from(secret))).toBe(false);
    expect(raw?.includes(Buffer.from('access_token'))).toBe(false);
  });

  it('a row copied under another key, or to another connection, does not open', async () => {
    const {
      connections: [a, b],
    } = await seedConnections(node.services.store, { count: 2 });
    if (!a || !b) throw new Error('no connections');
    const stateA = sealedConnectionState(node.services, a);
    await stateA.set('session', { cookie: 'sid=1' });
    const sealed = await node.services.store.connectionState.get(a, 'session');
    if (!sealed) throw new Error('no row');
    await node.services.store.connectionState.put(a, 'other', sealed);
    await expect(stateA.get('other')).rejects.toThrow(/holds "session"/);
    await node.services.store.connectionState.put(b, 'session', sealed);
    await expect(sealedConnectionState(node.services, b).get('session')).rejects.toThrow();
  });

  it('disconnect deletes the rows and shreds the key that sealed them', async () => {
    const id = await connection();
    await sealedConnectionState(node.services, id).set('session', { cookie: 'sid=2' });
    await wipeConnection(node.services, id);
    expect(await node.services.store.connectionState.get(id, 'session')).toBeUndefined();
  });
});
