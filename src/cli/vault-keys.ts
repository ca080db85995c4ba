/**
 * `affix keys rotate-kek | rewrap | kek-status | retire-kek <id>`: key-encryption-key rotation for the vault.
 *
 * - `rotate-kek` (local keyring): adds a new primary KEK. New data keys use it at once (serving nodes re-read the
 *   keyring within seconds); existing ones move with `rewrap` (or the serving node's periodic job).
 *   With AWS KMS, enable the CMK's automatic rotation instead (same ARN, nothing to rewrap); to change CMK, set
 *   the new `KMS_KEY_ID` and run `rewrap`.
 * - `rewrap [--batch N]`: moves every data key onto the primary KEK, printing progress; exit 1 if any failed.
 * - `retire-kek <id>`: refused while the KEK is primary or still wraps a data key; afterwards it never unwraps.
 */
import type { Services } from '../services.js';
import { LocalKeyring, isVaultError } from '../vault/index.js';

export type Out = (line: string) => void;
/** All these commands need: the vault and its keyring (tests pass them without a whole node). */
export type VaultServices = Pick<Services, 'vault' | 'keyring'>;

export async function rotateKek(services: VaultServices, out: Out): Promise<number> {
  const { keyring } = services;
  if (!(keyring instanceof LocalKeyring)) {
    out(
      `${keyring.id}: KMS keys rotate in KMS. Enable automatic key rotation on the CMK (nothing to rewrap), or set ` +
        'KMS_KEY_ID to a new CMK and run `affix keys rewrap`.',
    );
    return 2;
  }
  const previous = keyring.primaryKeyId();
  const next = await keyring.rotate();
  const status = await services.vault.status();
  const behind = Object.entries(status.dataKeysByKek)
    .filter(([kek]) => kek !== next)
    .reduce((n, [, c]) => n + c, 0);
  out(`rotated: primary KEK is now ${next} (was ${previous}); new data keys use it from now on`);
  out(
    `${behind} data key(s) still wrapped by older KEKs: run \`affix keys rewrap\` (serving nodes also do it hourly)`,
  );
  return 0;
}

export async function rewrap(services: VaultServices, out: Out, batchSize = 200): Promise<number> {
  const primary = services.vault.keyring.primaryKeyId();
  out(`rewrap: moving data keys onto ${primary}`);
  const result = await services.vault.rewrap({
    batchSize,
    onProgress: (p) =>
      out(
        `rewrap: ${p.total - p.remaining}/${p.total} visited (rewrapped ${p.rewrapped}, skipped ${p.skipped}, ` +
          `failed ${p.failed}, remaining ${p.remaining})`,
      ),
  });
  out(
    `rewrap: done: rewrapped ${result.rewrapped}, skipped ${result.skipped}, failed ${result.failed}, ` +
      `still not on ${primary}: ${result.remaining}`,
  );
  for (const f of result.failures) out(`rewrap: FAILED ${f.ownerId} (KEK ${f.kekId}): ${f.code}`);
  return result.failed > 0 ? 1 : 0;
}

export async function kekStatus(services: VaultServices, out: Out): Promise<number> {
  const s = await services.vault.status();
  out(`keyring: ${s.keyring}`);
  out(`primary KEK: ${s.primaryKeyId}`);
  for (const [kek, n] of Object.entries(s.dataKeysByKek)) out(`  ${kek}: ${n} data key(s)`);
  if (services.keyring instanceof LocalKeyring) {
    for (const k of services.keyring.keys()) {
      out(`  ${k.id}${k.primary ? ' (primary)' : ''}${k.retired ? ' (retired)' : ''} created ${k.createdAt}`);
    }
  }
  for (const w of s.warnings) out(`warning: ${w}`);
  return 0;
}

export async function retireKek(
  services: VaultServices,
  out: Out,
  kekId: string | undefined,
): Promise<number> {
  if (!kekId) {
    out('usage: affix keys retire-kek <kek id>');
    return 2;
  }
  try {
    await services.vault.retireKek(kekId);
  } catch (err) {
    if (isVaultError(err)) {
      out(`refused: ${err.message}`);
      return 1;
    }
    throw err;
  }
  out(`retired ${kekId}: it will never unwrap again; a value that still needs it fails loudly (retired_key)`);
  return 0;
}

/** Dispatch for `affix keys <sub>`; returns undefined for subcommands this file does not own. */
export async function vaultKeysCommand(
  services: VaultServices,
  args: string[],
  out: Out,
): Promise<number | undefined> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'rotate-kek':
      return rotateKek(services, out);
    case 'rewrap': {
      const i = rest.indexOf('--batch');
      const batch = i >= 0 ? Number(rest[i + 1]) : 200;
      if (!Number.isInteger(batch) || batch < 1) {
        out('--batch must be a positive integer');
        return 2;
      }
      return rewrap(services, out, batch);
    }
    case 'kek-status':
      return kekStatus(services, out);
    case 'retire-kek':
      return retireKek(services, out, rest[0]);
    default:
      return undefined;
  }
}
