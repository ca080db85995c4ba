/** The development client and sandbox connections: `npm start` on a fresh data dir and `affix sandbox-token`. */
import { newId } from '../ids.js';
import { type Mode, allScopes } from '../model/index.js';
import type { Services } from '../services.js';
import { inTransaction } from '../sync/transaction.js';
import { enqueueLifecycleEvent } from '../webhooks/outbox.js';

export const DEV_CLIENT_NAME = 'Development client';

/** The first client, or a new development client when there is none. */
export async function ensureDevClient(services: Services): Promise<{ id: string; created: boolean }> {
  const existing = await services.store.clients.first();
  if (existing) return { id: existing.id, created: false };
  const id = newId('client');
  await services.store.clients.insert({
    id,
    name: DEV_CLIENT_NAME,
    redirectUris: ['http://localhost:3000/callback'],
    webhookUri: null,
    logoUrl: null,
    accentColor: null,
    isPublic: false,
    createdAt: Date.now(),
  });
  return { id, created: true };
}

export interface SandboxTokenOptions {
  clientId?: string;
  mode?: Mode;
  employees?: number;
}

/** A new sandbox connection and a token with every scope of its mode. */
export async function createSandboxToken(
  services: Services,
  options: SandboxTokenOptions = {},
): Promise<{ token: string; connectionId: string; clientId: string; mode: Mode }> {
  const mode = options.mode ?? 'xhr';
  const employees = options.employees ?? services.config.SANDBOX_EMPLOYEES;
  if (!Number.isInteger(employees) || employees < 1 || employees > 10_000) {
    throw new Error('--employees must be an integer from 1 to 10000');
  }
  let clientId = options.clientId;
  if (clientId) {
    if (!(await services.store.clients.find(clientId))) throw new Error(`unknown client ${clientId}`);
  } else {
    clientId = (await ensureDevClient(services)).id;
  }
  const connectionId = newId('connection');
  const owner = clientId;
  await inTransaction(services, async (tx) => {
    const connection = await tx.store.connections.insert({
      id: connectionId,
      clientId: owner,
      provider: 'sandbox',
      mode,
      settings: { seed: connectionId, employees },
      createdAt: Date.now(),
    });
    await enqueueLifecycleEvent(tx, 'connection.created', connection);
  });
  const { token } = await services.tokens.issue({
    connectionId,
    clientId,
    provider: 'sandbox',
    mode,
    scopes: allScopes(mode),
  });
  return { token, connectionId, clientId, mode };
}
