/**
 * Private signing JWKs at rest: sealed by the vault (owner `sk_<kid>`, purpose `signing_key`) and kept as text in
 * `signing_keys.private_jwk` as `vault:v1:<base64>`, so the column type stays. A row written before sealing
 * existed (plain JSON) is sealed in place the first time it is loaded.
 */
import type { JWK } from 'jose';
import { sealedFromStorage } from './envelope-format.js';
import { VaultError } from './errors.js';
import type { Vault } from './vault.js';

const PREFIX = 'vault:v1:';

/**
 * Where the private parts are kept, as far as opening one needs: the store's signing keys implement it, so the
 * vault depends on this port, not on the store.
 */
export interface SigningKeyRows {
  /** Replaces `kid`'s stored private part with `next` only while it still is `current` (compare-and-set). */
  replacePrivateJwk(kid: string, current: string, next: string): Promise<void>;
}

/** The vault owner of one signing key: its own data key, so swapping two rows' private parts fails to open. */
export function signingKeyOwner(kid: string): string {
  return `sk_${kid}`;
}

export async function sealSigningJwk(vault: Vault, kid: string, privateJwk: JWK): Promise<string> {
  const sealed = await vault.sealJson(signingKeyOwner(kid), 'signing_key', privateJwk);
  return `${PREFIX}${sealed.toString('base64')}`;
}

export async function openSigningJwk(
  vault: Vault,
  rows: SigningKeyRows,
  kid: string,
  stored: string,
): Promise<JWK> {
  if (stored.startsWith(PREFIX)) {
    const sealed = sealedFromStorage(Buffer.from(stored.slice(PREFIX.length), 'base64'));
    return vault.openJson<JWK>(signingKeyOwner(kid), 'signing_key', sealed);
  }
  if (!stored.startsWith('{'))
    throw new VaultError('malformed', `private key of ${kid} is neither sealed nor JSON`);
  // Legacy plaintext row: seal it now so the plaintext leaves the table (secure_delete wipes the old page).
  const jwk = JSON.parse(stored) as JWK;
  await rows.replacePrivateJwk(kid, stored, await sealSigningJwk(vault, kid, jwk));
  return jwk;
}
