/**
 * Xero through a whole node, on SQLite and (with DATABASE_URL) PostgreSQL: the refreshed, rotated tokens live in the
 * connection's sealed adapter state in the real store (never in plaintext), and concurrent API requests, each with
 * its own adapter, refresh exactly once, cold and after the access token expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeFor } from '../../model/index.js';
import { testStoreKinds } from '../../store/testing.js';
import { connectionToken } from '../../testing/fixtures.js';
import { type TestNode, startTestNode } from '../../testing/node.js';
import { type XeroEmulator, startEmulator } from './emulator/server.js';
import { XERO_TOKEN_STATE_KEY } from './tokens.js';

const RESOURCES = ['groups', 'payruns', 'time-off-balances', 'employees'] as const;

let emu: XeroEmulator;
beforeAll(async () => {
  emu = await startEmulator({ employees: 8, seed: 41, knobs: { perMinute: 0, perDay: 0, concurrent: 0 } });
});
afterAll(() => emu.close());

describe.each(testStoreKinds)('Xero through the server on $name', (kind) => {
  let node: TestNode;
  let token = '';
  let connectionId = '';
  let refreshToken = '';

  beforeAll(async () => {
    node = await startTestNode({
      store: kind.name,
      env: { PROVIDER_XERO_UK_BASE_URL: emu.baseUrl, CACHE_WAIT: '20s' },
    });
    refreshToken = emu.issueRefreshToken();
    ({ token, connectionId } = await connectionToken(node.services, {
      provider: 'xero uk',
      credentials: { ...emu.credentials, refresh_token: refreshToken },
      scopes: RESOURCES.map((r) => scopeFor('official', r)),
    }));
  });
  afterAll(() => node?.close());

  const getAll = () =>
    Promise.all(
      RESOURCES.map((r) =>
        node.app.inject({
          method: 'GET',
          url: `/2023-03-01/official/${r}${r === 'payruns' ? '?start_date=2026-01-01&end_date=2026-12-31' : ''}`,
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );

  it('concurrent first requests refresh once; the rotated pair is sealed in the store', async () => {
    const before = emu.stats.tokenCalls;
    const responses = await getAll();
    for (const res of responses) expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    // One call of the token endpoint at all, not one refresh that won a race against the others.
    expect(emu.stats.tokenCalls - before).toBe(1);
    const sealed = await node.services.store.connectionState.get(connectionId, XERO_TOKEN_STATE_KEY);
    expect(sealed).toBeDefined();
    const raw = Buffer.from(sealed ?? []).toString('latin1');
    expect(raw).not.toContain('emu_rt_');
    expect(raw).not.toContain('emu_at_');
    expect(raw).not.toContain(refreshToken);
  });

  it('after the access token expired, concurrent requests refresh once more', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    emu.expireAccessTokens();
    const before = emu.stats.tokenCalls;
    const responses = await getAll();
    for (const res of responses) expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(emu.stats.tokenCalls - before).toBe(1);
  });
});
