/**
 * OAuth clients: registration, secrets (sealed, several current at once), updates from the management API, and
 * constant-time secret checks.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { newClientSecret, newId } from '../ids.js';
import type { Services } from '../services.js';
import type { ClientRecord } from '../store/clients.js';
import { addWebhookSecret } from '../webhooks/secrets.js';
import { assertRedirectUris } from './redirect-uris.js';

export type { ClientRecord };

export interface NewClient {
  name: string;
  redirectUris: string[];
  webhookUri?: string | null;
  isPublic?: boolean;
  logoUrl?: string | null;
  accentColor?: string | null;
}

/**
 * Secrets set through the management API are at least as long as the ones we generate (27 base64url characters,
 * 160 bits), so a client can always send back the secret it was given.
 */
export const MIN_SECRET_LENGTH = 27;
const ACCENT = /^#[0-9a-fA-F]{6}$/;

export class ClientInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientInputError';
  }
}

function validate(input: NewClient): void {
  if (!input.name.trim() || input.name.length > 100)
    throw new ClientInputError('name must be 1 to 100 characters');
  try {
    assertRedirectUris(input.redirectUris);
  } catch (err) {
    throw new ClientInputError((err as Error).message);
  }
  if (input.webhookUri) {
    let url: URL | undefined;
    try {
      url = new URL(input.webhookUri);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || input.webhookUri.includes('#')) {
      throw new ClientInputError('webhook_uri must be an absolute http(s) URL without a fragment');
    }
  }
  if (input.logoUrl) {
    let url: URL | undefined;
    try {
      url = new URL(input.logoUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && !input.logoUrl.startsWith('data:image/'))) {
      throw new ClientInputError('logo URL must be https:// or a data:image/ URL');
    }
  }
  if (input.accentColor && !ACCENT.test(input.accentColor)) {
    throw new ClientInputError('accent colour must look like #1a73e8');
  }
}

/**
 * Registers a client; returns its one-time-visible secret (none for public clients) and its Standard Webhooks
 * signing secret (`whsec_…`, shown once too; rotatable through the management API).
 */
export async function createClient(
  services: Pick<Services, 'store' | 'vault'>,
  input: NewClient,
): Promise<{ client: ClientRecord; secret: string | null; webhookSecret: string }> {
  validate(input);
  const client: ClientRecord = {
    id: newId('client'),
    name: input.name.trim(),
    redirectUris: [...new Set(input.redirectUris)],
    webhookUri: input.webhookUri ?? null,
    logoUrl: input.logoUrl ?? null,
    accentColor: input.accentColor ?? null,
    isPublic: input.isPublic ?? false,
    createdAt: Date.now(),
  };
  await services.store.clients.insert(client);
  let secret: string | null = null;
  if (!client.isPublic) {
    secret = newClientSecret();
    await addClientSecret(services, client.id, secret);
  }
  const webhookSecret = await addWebhookSecret(services, client.id);
  return { client, secret, webhookSecret };
}

export interface ClientSecret {
  id: string;
  secret: string;
  createdAt: number;
}

/** Every current (unrevoked) secret of a client, decrypted, oldest first. */
export async function currentClientSecrets(
  services: Pick<Services, 'store' | 'vault'>,
  clientId: string,
): Promise<ClientSecret[]> {
  const out: ClientSecret[] = [];
  for (const row of await services.store.clientSecrets.current(clientId)) {
    const secret = await services.vault.open(clientId, 'client_secret', row.sealed);
    out.push({ id: row.id, secret: secret.toString('utf8'), createdAt: row.createdAt });
  }
  return out;
}

/** Seals (owner = client id, purpose `client_secret`) and stores a new current secret; returns its id. */
async function addClientSecret(
  services: Pick<Services, 'store' | 'vault'>,
  clientId: string,
  secret: string,
): Promise<string> {
  return services.store.clientSecrets.add(
    clientId,
    await services.vault.seal(clientId, 'client_secret', secret),
  );
}

export async function getClient(
  services: Pick<Services, 'store'>,
  id: string,
): Promise<ClientRecord | undefined> {
  if (!id || id.length > 200) return undefined;
  return services.store.clients.find(id);
}

export async function listClients(services: Pick<Services, 'store'>): Promise<ClientRecord[]> {
  return services.store.clients.list();
}

/** Adds a new secret; the old ones stay valid unless `revokeOthers` (rotate, deploy, then revoke). */
export async function rotateClientSecret(
  services: Pick<Services, 'store' | 'vault'>,
  clientId: string,
  options: { revokeOthers?: boolean } = {},
): Promise<string> {
  const client = await services.store.clients.find(clientId);
  if (!client) throw new ClientInputError(`unknown client ${clientId}`);
  const before = await currentClientSecrets(services, clientId);
  const secret = newClientSecret();
  await addClientSecret(services, clientId, secret);
  if (options.revokeOthers) {
    await services.store.clientSecrets.revoke(
      clientId,
      before.map((s) => s.id),
    );
  }
  return secret;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** Compared against when the client does not exist, so the time taken does not say whether it does. */
const DUMMY = digest('affix-dummy-secret');

/** True when `secret` is one of the client's current secrets. Hash-then-timingSafeEqual: lengths never leak. */
export async function verifyClientSecret(
  services: Pick<Services, 'store' | 'vault'>,
  clientId: string,
  secret: string,
): Promise<boolean> {
  const offered = digest(secret);
  const client = clientId.length <= 200 ? await services.store.clients.find(clientId) : undefined;
  if (!client) {
    timingSafeEqual(DUMMY, offered);
    return false;
  }
  let ok = false;
  for (const s of await currentClientSecrets(services, clientId)) {
    if (timingSafeEqual(digest(s.secret), offered)) ok = true;
  }
  return ok;
}

/** The management API's POST /client: replace name, redirect URIs, webhook URI and the set of secrets. */
export async function updateClient(
  services: Pick<Services, 'store' | 'vault'>,
  clientId: string,
  input: { name: string; redirect_uris: string[]; webhook_uri?: string | null; client_secret: string[] },
): Promise<ClientRecord> {
  const existing = await services.store.clients.find(clientId);
  if (!existing) throw new ClientInputError(`unknown client ${clientId}`);
  validate({ name: input.name, redirectUris: input.redirect_uris, webhookUri: input.webhook_uri ?? null });
  const wanted = [...new Set(input.client_secret)];
  if (!existing.isPublic) {
    if (wanted.length === 0) throw new ClientInputError('client_secret must list at least one secret');
    if (wanted.length > 10) throw new ClientInputError('client_secret may list at most 10 secrets');
    for (const s of wanted) {
      if (s.length < MIN_SECRET_LENGTH || s.length > 512) {
        throw new ClientInputError(`every client_secret must be ${MIN_SECRET_LENGTH} to 512 characters`);
      }
    }
  }
  await services.store.clients.update(clientId, {
    name: input.name.trim(),
    redirectUris: [...new Set(input.redirect_uris)],
    webhookUri: input.webhook_uri ?? null,
  });
  if (!existing.isPublic) {
    const current = await currentClientSecrets(services, clientId);
    const keep = new Set(wanted);
    await services.store.clientSecrets.revoke(
      clientId,
      current.filter((s) => !keep.has(s.secret)).map((s) => s.id),
    );
    const have = new Set(current.map((s) => s.secret));
    for (const s of wanted) if (!have.has(s)) await addClientSecret(services, clientId, s);
  }
  return (await services.store.clients.find(clientId)) as ClientRecord;
}
