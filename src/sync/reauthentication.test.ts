/**
 * The xhr session engine's one call site: a session that ended queues one signed
 * `connection.reauthentication_required` event through the outbox (clients with a webhook_uri), tells the observer,
 * and never throws into the read that answers 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxToken } from '../cli/sandbox.js';
import { createClient } from '../oauth/clients.js';
import { postgresUrl } from '../store/testing.js';
import { type TestNode, startTestNode } from '../testing/node.js';
import { SESSION_ENDED, notifyReauthenticationRequired } from './reauthentication.js';

const kinds = ['sqlite', ...(postgresUrl ? ['postgres' as const] : [])] as const;

describe.each(kinds)('reauthentication required on %s', (kind) => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ store: kind, env: { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' } });
  });
  afterAll(async () => {
    await node?.close();
  });

  it('queues one lifecycle event for a client with a webhook_uri and calls the observer', async () => {
    const { services } = node;
    const { client } = await createClient(services, {
      name: 'hooked',
      redirectUris: ['https://app.test/cb'],
      webhookUri: 'http://127.0.0.1:9/hook',
    });
    const { connectionId } = await createSandboxToken(services, { clientId: client.id });
    const connection = await services.store.connections.find(connectionId);
    if (!connection) throw new Error('no connection');
    const seen: string[] = [];
    services.onReauthenticationRequired = async (c) => {
      seen.push(c.id);
    };
    await notifyReauthenticationRequired(services, connection);
    const events = (await services.store.webhookEvents.list(client.id, { limit: 50 })).filter(
      (e) => e.type === 'connection.reauthentication_required',
    );
    expect(events.map((e) => e.connectionId)).toEqual([connectionId]);
    const body = JSON.parse(
      await services.vault.openString(client.id, 'webhook', events[0]?.body as Uint8Array),
    ) as {
      reason?: string;
      connection?: { id: string };
    };
    expect(body).toMatchObject({ reason: SESSION_ENDED, connection: { id: connectionId } });
    expect(seen).toEqual([connectionId]);
  });

  it('a failing observer does not throw into the read', async () => {
    const { services } = node;
    const connection = {
      id: 'conn_missing',
      clientId: 'cli_missing',
      provider: 'sandbox',
      mode: 'xhr',
    } as const;
    services.onReauthenticationRequired = async () => {
      throw new Error('observer down');
    };
    await expect(notifyReauthenticationRequired(services, connection)).resolves.toBeUndefined();
  });
});
