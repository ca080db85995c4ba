/**
 * Signing key rotation: the new key is published in the JWKS at once and signs only after a delay (caches of the
 * JWKS — ours say max-age=300 — and other nodes pick it up first). Old public keys stay published while a token
 * they signed can still be valid: a key stops signing when its successor activates, and its last token expires
 * TOKEN_TTL later; only then is it retired.
 */
import type { Services } from '../services.js';

export interface RotationResult {
  kid: string;
  activeFrom: number;
  retired: string[];
}

export async function rotateSigningKey(
  services: Pick<Services, 'store' | 'keys' | 'config' | 'bus'>,
  options: { delayMs?: number; now?: number } = {},
): Promise<RotationResult> {
  const now = options.now ?? Date.now();
  const activeFrom = now + (options.delayMs ?? services.config.keyRotationDelayMs);
  const kid = await services.keys.create(activeFrom);
  const retired = await retireUnneededKeys(services, now);
  // Every node (this one first) reloads its keys and drops cached signature checks: the new key is in every JWKS
  // at once, and a retired key stops verifying everywhere.
  await services.bus.publish({ kind: 'signing-keys' });
  return { kid, activeFrom, retired };
}

/** Retires keys whose every token has expired. Returns their kids. */
export async function retireUnneededKeys(
  services: Pick<Services, 'store' | 'config'>,
  now = Date.now(),
): Promise<string[]> {
  const rows = await keysByActivation(services);
  const ttlMs = services.config.tokenTtlSeconds * 1000;
  const retired: string[] = [];
  rows.forEach((row, i) => {
    if (row.retiredAt !== null) return;
    // The first later key that is already signing ended this key's signing period.
    const successor = rows.slice(i + 1).find((r) => r.activeFrom <= now && r.retiredAt === null);
    if (!successor) return;
    if (successor.activeFrom + ttlMs < now) retired.push(row.kid);
  });
  await services.store.signingKeys.retire(retired, now);
  return retired;
}

export async function listSigningKeys(services: Pick<Services, 'store'>) {
  return (await keysByActivation(services)).map(({ kid, createdAt, activeFrom, retiredAt }) => ({
    kid,
    createdAt,
    activeFrom,
    retiredAt,
  }));
}

async function keysByActivation(services: Pick<Services, 'store'>) {
  return (await services.store.signingKeys.all()).sort((a, b) => a.activeFrom - b.activeFrom);
}
