/**
 * Expired connect flows are removed by the retention job, all of them in one pass (not 100 a minute from the page's
 * request path), with the pending connections and sealed credentials they held.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../connect/session.js';
import { authorizeUrl, hiddenFields, post, nodeWithClient, storeKinds } from '../oauth/tests/support.js';
import { retentionJob } from './background.js';

describe.each(storeKinds)('connect sessions in the retention job (%s)', (kind) => {
  const suite = nodeWithClient(kind);

  /** A flow stopped at the MFA step: a session row holding a pending connection with sealed credentials. */
  async function stoppedAtMfa(): Promise<void> {
    const page = await suite.node.app.inject({
      url: authorizeUrl({ clientId: suite.client.id, provider: 'sandbox' }),
    });
    const res = await post(suite.node.app, '/connect/credentials', {
      ...hiddenFields(page.body),
      action: 'submit',
      username: 'demo+mfa@example.com',
      password: 'pw',
    });
    expect(res.body).toContain('name="otp"');
  }

  it('the retention job removes every expired session and its pending connection, however many', async () => {
    const now = Date.now();
    for (let i = 0; i < 12; i++) await stoppedAtMfa();
    // More than any batch: rows without a connection, and rows naming one (already gone) to wipe one by one.
    const bare = 300;
    for (let i = 0; i < bare; i++) {
      await suite.node.services.store.connectSessions.insert({
        idHash: `expired-${i}`,
        clientId: suite.client.id,
        request: '{}',
        step: 'credentials',
        provider: 'sandbox',
        connectionId: i % 2 ? `con_gone${i}` : null,
        csrfHash: 'x',
        createdAt: now,
        expiresAt: now + SESSION_TTL_MS,
      });
    }
    // Still valid when the job runs: stays.
    await suite.node.services.store.connectSessions.insert({
      idHash: 'fresh',
      clientId: suite.client.id,
      request: '{}',
      step: 'credentials',
      provider: 'sandbox',
      connectionId: null,
      csrfHash: 'x',
      createdAt: now,
      expiresAt: now + 3 * SESSION_TTL_MS,
    });
    expect(await suite.node.services.store.connectSessions.count()).toBe(bare + 13);
    expect((await suite.node.services.store.connections.ofClient(suite.client.id)).length).toBe(12);

    const later = now + SESSION_TTL_MS + 60_000;
    const report = await retentionJob(suite.node.services, { now: () => later }).run();

    expect(report.connect_sessions).toBe(bare + 12);
    expect(await suite.node.services.store.connectSessions.count()).toBe(1);
    // Pending connections of abandoned flows never became connections: nothing of them is kept.
    expect(await suite.node.services.store.connections.ofClient(suite.client.id)).toEqual([]);
    expect(await retentionJob(suite.node.services, { now: () => later }).run()).toMatchObject({
      connect_sessions: 0,
    });
  }, 60_000);
});
