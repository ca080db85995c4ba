/**
 * Gusto's token rotation through a real node (SQLite, and PostgreSQL when DATABASE_URL is set): two fetch jobs of one
 * connection meeting an expired token refresh it once, the rotated pair lands in the connection state as vault
 * ciphertext only, and later fetches start from it (the connect-page refresh token is dead by then).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeFor } from '../../model/index.js';
import { rowsIn, testStoreKinds } from '../../store/testing.js';
import { connectionToken } from '../../testing/fixtures.js';
import { type TestNode, startTestNode } from '../../testing/node.js';
import { TOKENS_STATE_KEY } from './auth.js';
import { type GustoEmulator, startEmulator } from './emulator/server.js';
import { refreshGrant } from './test-support.js';

describe.each(testStoreKinds)('gusto through the server on $name', (kind) => {
  let emu: GustoEmulator;
  let node: TestNode;
  let token = '';
  let connectionId = '';

  beforeAll(async () => {
    emu = await startEmulator({
      employees: 120,
      seed: 31,
      knobs: { rateLimitPerMinute: 0, tokenLatencyMs: 150 },
    });
    node = await startTestNode({ store: kind.name, env: { PROVIDER_GUSTO_BASE_URL: emu.baseUrl } });
    const scopes = (['employees', 'groups', 'work-locations'] as const).map((r) => scopeFor('official', r));
    ({ token, connectionId } = await connectionToken(node.services, {
      provider: 'gusto',
      credentials: { ...emu.credentials },
      scopes,
    }));
  }, 30_000);
  afterAll(async () => {
    await node?.close();
    await emu?.close();
  });

  const get = (path: string) =>
    node.app.inject({
      method: 'GET',
      url: `/2023-03-01/official${path}`,
      headers: { authorization: `Bearer ${token}` },
    });

  it('an expired token met by two fetch jobs at once is refreshed once; the new pair is sealed in the state', async () => {
    expect((await get('/groups')).statusCode).toBe(200);
    expect(emu.stats.tokenCalls).toBe(0);
    emu.expireAccessTokens();
    const [employees, locations] = await Promise.all([get('/employees'), get('/work-locations')]);
    expect(employees.statusCode, employees.body.slice(0, 300)).toBe(200);
    expect(locations.statusCode).toBe(200);
    expect(JSON.parse(employees.body)).toHaveLength(120);
    expect(emu.stats.tokenCalls).toBe(1);

    const rows = await rowsIn(node.services.store, 'connection_state', { connection_id: connectionId });
    expect(rows.map((r) => r.key)).toEqual([TOKENS_STATE_KEY]);
    const sealed = Buffer.from(rows[0]?.sealed ?? []);
    const pair = emu.currentPair();
    // Ciphertext only: neither token of the new pair appears in the row.
    expect(sealed.length).toBeGreaterThan(0);
    expect(sealed.includes(pair.refresh_token)).toBe(false);
    expect(sealed.includes(pair.access_token)).toBe(false);
    // The pair typed on the connect page is spent: Gusto no longer takes its refresh token.
    const stale = await refreshGrant(emu, emu.credentials.refresh_token);
    await stale.body?.cancel();
    expect(stale.status).toBe(401);
  });

  it('the next fetch starts from the stored pair: no refresh, no 401', async () => {
    await node.services.cache.invalidateConnection(connectionId);
    const before = { ...emu.stats };
    expect((await get('/groups')).statusCode).toBe(200);
    expect(emu.stats.tokenCalls).toBe(before.tokenCalls);
    expect(emu.stats.unauthorized).toBe(before.unauthorized);
  });
});
