/** Rotation publishes the new key before signing with it, and keeps old keys while their tokens live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { patchRows } from '../../../store/testing.js';
import type { TestNode } from '../../../testing/node.js';
import { retireUnneededKeys, rotateSigningKey } from '../../key-rotation.js';
import { startNode } from '../support.js';

describe('signing key rotation', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ KEY_ROTATION_DELAY: '1h', TOKEN_TTL: '1d' });
  });
  afterAll(() => node.close());

  const kids = async () =>
    (
      (await node.app.inject({ url: '/.well-known/jwks.json' })).json() as { keys: { kid: string }[] }
    ).keys.map((k) => k.kid);
  const read = (token: string) =>
    node.app.inject({ url: '/2023-03-01/xhr/identity', headers: { authorization: `Bearer ${token}` } });

  it('publishes first, signs after the delay, old tokens keep working, old keys retire after TOKEN_TTL', async () => {
    const oldToken = await node.token();
    const oldKid = decodeProtectedHeader(oldToken).kid as string;

    const { kid: newKid, activeFrom } = await rotateSigningKey(node.services);
    expect(activeFrom - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(await kids()).toEqual(expect.arrayContaining([oldKid, newKid]));
    // Published, not yet signing.
    expect(decodeProtectedHeader(await node.token()).kid).toBe(oldKid);

    // The delay passes.
    await patchRows(node.services.store, 'signing_keys', { active_from: Date.now() }, { kid: newKid });
    await node.services.keys.reload();
    const newToken = await node.token();
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid);
    expect((await read(oldToken)).statusCode).toBe(200);
    expect((await read(newToken)).statusCode).toBe(200);

    // Within TOKEN_TTL of the switch the old key stays.
    expect(await retireUnneededKeys(node.services)).toEqual([]);
    // A day after the switch, every token it signed has expired: it is retired and leaves the JWKS.
    const later = Date.now() + 86_400_000 + 5_000;
    expect(await retireUnneededKeys(node.services, later)).toEqual([oldKid]);
    await node.services.keys.reload();
    node.services.tokens.forgetVerified();
    expect(await kids()).toEqual([newKid]);
    expect((await read(oldToken)).statusCode).toBe(401);
  });
});
