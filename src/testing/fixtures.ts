/** Small data fixtures shared by suites. Not imported by production code. */
import { newId } from '../ids.js';
import type { Employee, Mode, ProviderId } from '../model/index.js';
import { webEmployee } from '../providers/session/web-mappers.js';
import type { Provider } from '../providers/types.js';
import type { Store } from '../store/db.js';
import { ensureDevClient } from '../cli/sandbox.js';
import type { Services } from '../services.js';
import { storeCredentials } from '../sync/connections.js';

/** An employee with every nullable field null (custom fields too), active; `overrides` set the rest. */
export function blankEmployee(overrides: Partial<Employee> & Pick<Employee, 'id' | 'first_name'>): Employee {
  return webEmployee({
    last_name: 'Employee',
    employment_status: 'active',
    custom_fields: null,
    ...overrides,
  });
}

/** A client row (no secrets) named Acme, straight into the store, with `fields` over the defaults; its id. */
export async function insertClient(
  store: Store,
  fields: Partial<Parameters<Store['clients']['insert']>[0]> = {},
): Promise<string> {
  const id = newId('client');
  await store.clients.insert({
    id,
    name: 'Acme',
    redirectUris: ['https://app.example/cb'],
    webhookUri: null,
    logoUrl: null,
    accentColor: null,
    isPublic: false,
    createdAt: Date.now(),
    ...fields,
  });
  return id;
}

/** A client row (no secrets) and `count` connections of it, straight into the store. */
export async function seedConnections(
  store: Store,
  o: { provider?: ProviderId; mode?: Mode; count?: number } = {},
): Promise<{ clientId: string; connections: string[] }> {
  const clientId = await insertClient(store);
  const connections: string[] = [];
  for (let i = 0; i < (o.count ?? 1); i++) {
    const id = newId('connection');
    await store.connections.insert({
      id,
      clientId,
      provider: o.provider ?? 'sandbox',
      mode: o.mode ?? 'xhr',
      settings: {},
      createdAt: Date.now(),
    });
    connections.push(id);
  }
  return { clientId, connections };
}

/**
 * A connection of the dev client to `provider` (its `credentials` sealed, as the connect flow stores them) and a
 * token for it with `scopes`: what a finished connect flow leaves behind, without the pages.
 */
export async function connectionToken(
  services: Services,
  o: {
    provider: ProviderId;
    mode?: Mode;
    credentials?: Record<string, string>;
    settings?: Record<string, unknown>;
    scopes: string[];
  },
): Promise<{ token: string; connectionId: string; clientId: string }> {
  const clientId = (await ensureDevClient(services)).id;
  const connectionId = newId('connection');
  const mode = o.mode ?? 'official';
  await services.store.connections.insert({
    id: connectionId,
    clientId,
    provider: o.provider,
    mode,
    settings: o.settings ?? {},
    createdAt: Date.now(),
  });
  if (o.credentials && Object.keys(o.credentials).length > 0) {
    await storeCredentials(services, connectionId, o.credentials);
  }
  const { token } = await services.tokens.issue({
    connectionId,
    clientId,
    provider: o.provider,
    mode,
    scopes: o.scopes,
  });
  return { token, connectionId, clientId };
}

/**
 * A provider made up for a test, under the id `humaans` (a provider of the contract we have no adapter for), in
 * xhr mode offering `employees` unless `declaration` says otherwise.
 */
export function testProvider(connect: Provider['connect'], declaration: Partial<Provider> = {}): Provider {
  return {
    id: 'humaans',
    limits: 'none (test provider)',
    displayName: 'Test provider',
    tags: [],
    modes: ['xhr'],
    auth: { xhr: 'password' },
    fields: { xhr: [] },
    resources: { xhr: ['employees'] },
    connect,
    ...declaration,
  };
}
