/**
 * Each client's Standard Webhooks secrets (`whsec_…`), vault-sealed (owner = client id, purpose `webhook_secret`).
 * One is current; a rotation makes a new current one and lets the others sign for `WEBHOOK_SECRET_ROTATION_WINDOW`
 * more, so a receiver can switch without missing a verifiable webhook.
 */
import { newId } from '../ids.js';
import type { Repositories } from '../store/db.js';
import type { Vault } from '../vault/index.js';
import { newWebhookSecret } from './signing.js';

export interface SecretsScope {
  store: Pick<Repositories, 'webhookSecrets'>;
  vault: Pick<Vault, 'seal' | 'openString'>;
}

/** Adds a new current secret for the client; returns it (shown once). */
export async function addWebhookSecret(s: SecretsScope, clientId: string, now = Date.now()): Promise<string> {
  const secret = newWebhookSecret();
  await s.store.webhookSecrets.add({
    id: newId('secret'),
    clientId,
    sealed: await s.vault.seal(clientId, 'webhook_secret', secret),
    now,
  });
  return secret;
}

/** The secrets that sign now, newest first; a client made before webhooks had them gets its first one here. */
export async function signingWebhookSecrets(
  s: SecretsScope,
  clientId: string,
  now = Date.now(),
): Promise<string[]> {
  const rows = await s.store.webhookSecrets.signing(clientId, now);
  if (rows.length === 0) return [await addWebhookSecret(s, clientId, now)];
  const out: string[] = [];
  for (const r of rows) out.push(await s.vault.openString(clientId, 'webhook_secret', r.sealed));
  return out;
}

/** Rotation: a new current secret; the previous ones keep signing until `now + windowMs`. */
export async function rotateWebhookSecret(
  s: SecretsScope,
  clientId: string,
  windowMs: number,
  now = Date.now(),
): Promise<{ secret: string; previousExpireAt: number }> {
  await s.store.webhookSecrets.expireCurrent(clientId, now + windowMs, now);
  const secret = await addWebhookSecret(s, clientId, now);
  return { secret, previousExpireAt: now + windowMs };
}
