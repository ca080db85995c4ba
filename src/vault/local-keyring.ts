/**
 * The embedded default keyring: versioned key-encryption keys (`kek_v1`, `kek_v2`, …) in one JSON file,
 * `${DATA_DIR}/keyring.json`, created on first start with mode 0600. One key is primary (wraps new data keys);
 * older keys keep unwrapping until they are retired, and a retired key refuses loudly (`retired_key`).
 *
 * File permissions: a file readable by group or others is REFUSED (`keyring_insecure`), as ssh refuses a private
 * key, unless the operator opts into `repairPermissions`, which chmods it to 0600 and reports a warning. Silently
 * fixing it would hide that the keys may already have been copied.
 *
 * The keys sit on the same disk as the data they protect, so this is for development and single-node setups;
 * `warnings()` says so loudly when `env` is `prod`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { VaultError } from './errors.js';
import type { Keyring, WrapContext } from './types.js';

const KEK_BYTES = 32;
const WRAP_VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEK_ID = /^kek_v([1-9][0-9]{0,5})$/;
/** An unknown key id triggers at most one re-read of the file per this interval (another process may have rotated). */
const RELOAD_INTERVAL_MS = 1000;
const LOCK_WAIT_MS = 5000;
const LOCK_STALE_MS = 60_000;

export const KEYRING_FILE_NAME = 'keyring.json';

interface KeyringFileKey {
  id: string;
  /** base64 of 32 random bytes. */
  material: string;
  created_at: string;
  retired: boolean;
  retired_at: string | null;
}

interface KeyringFile {
  format: 'affix-keyring';
  version: 1;
  primary: string;
  keys: KeyringFileKey[];
}

export interface LocalKeyInfo {
  id: string;
  primary: boolean;
  retired: boolean;
  createdAt: string;
  retiredAt: string | null;
}

export interface LocalKeyringOptions {
  /** `DATA_DIR`; the file is `${dataDir}/keyring.json` unless `file` is given. */
  dataDir: string;
  file?: string;
  /** `AFFIX_ENV`; `prod` adds the "use a KMS" warning. */
  env?: 'dev' | 'prod';
  /** chmod a group/other-readable file to 0600 (with a warning) instead of refusing it. Default false. */
  repairPermissions?: boolean;
  /** An unknown key id re-reads the file at most this often (default 1000 ms). */
  reloadIntervalMs?: number;
  now?: () => Date;
}

/** The message to log loudly at start when production runs on the local keyring. */
export function localKeyringProdWarning(file: string): string {
  return (
    `VAULT: AFFIX_ENV=prod is using the LOCAL keyring file ${file}. The key-encryption keys are stored on the ` +
    'same machine as the data they protect; anyone with a copy of both can decrypt every credential. ' +
    'Use AWS KMS in production (see src/vault/README.md).'
  );
}

export class LocalKeyring implements Keyring {
  readonly id: string;
  private state: KeyringFile;
  private readonly materials = new Map<string, Buffer>();
  private readonly notes: string[] = [];
  private lastReload = 0;

  private constructor(
    readonly file: string,
    state: KeyringFile,
    private readonly options: LocalKeyringOptions,
  ) {
    this.id = `local:${file}`;
    this.state = state;
    this.index();
  }

  /** Opens the keyring file, creating it (one primary key, mode 0600) when it does not exist. */
  static async open(options: LocalKeyringOptions): Promise<LocalKeyring> {
    const file = path.resolve(options.file ?? path.join(options.dataDir, KEYRING_FILE_NAME));
    const notes: string[] = [];
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    if (await createIfMissing(file, options.now ?? (() => new Date()))) {
      notes.push(
        `VAULT: created a new local keyring at ${file} (mode 0600); back it up: without it nothing decrypts`,
      );
    }
    notes.push(...(await checkPermissions(file, options.repairPermissions ?? false)));
    const keyring = new LocalKeyring(file, await readKeyringFile(file), options);
    keyring.notes.push(...notes);
    return keyring;
  }

  primaryKeyId(): string {
    return this.state.primary;
  }

  /** Local KEK ids are `kek_v<N>`; used to route unwraps while migrating to another keyring. */
  claims(keyId: string): boolean {
    return KEK_ID.test(keyId);
  }

  keys(): LocalKeyInfo[] {
    return this.state.keys.map((k) => ({
      id: k.id,
      primary: k.id === this.state.primary,
      retired: k.retired,
      createdAt: k.created_at,
      retiredAt: k.retired_at,
    }));
  }

  warnings(): string[] {
    const out = [...this.notes];
    if (this.options.env === 'prod') out.unshift(localKeyringProdWarning(this.file));
    return out;
  }

  async wrap(dataKey: Buffer, context: WrapContext): Promise<{ keyId: string; wrapped: Buffer }> {
    const keyId = this.state.primary;
    const kek = this.usableKek(keyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(wrapAad(keyId, context));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { keyId, wrapped: Buffer.concat([Buffer.from([WRAP_VERSION]), iv, body, cipher.getAuthTag()]) };
  }

  async unwrap(keyId: string, wrapped: Buffer, context: WrapContext): Promise<Buffer> {
    const interval = this.options.reloadIntervalMs ?? RELOAD_INTERVAL_MS;
    if (!this.materials.has(keyId) && Date.now() - this.lastReload >= interval) await this.reload();
    const kek = this.usableKek(keyId);
    if (wrapped.length < 1 + IV_BYTES + TAG_BYTES || wrapped[0] !== WRAP_VERSION) {
      throw new VaultError('tampered', `wrapped data key under ${keyId} is malformed`);
    }
    const iv = wrapped.subarray(1, 1 + IV_BYTES);
    const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(wrapAad(keyId, context));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([
        decipher.update(wrapped.subarray(1 + IV_BYTES, wrapped.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch (err) {
      throw new VaultError('tampered', `wrapped data key failed authentication under ${keyId}`, {
        cause: err,
      });
    }
  }

  /** Adds a new key and makes it primary; older keys keep unwrapping. Returns the new key id. */
  async rotate(): Promise<string> {
    return this.update((state) => {
      const next = Math.max(0, ...state.keys.map((k) => Number(KEK_ID.exec(k.id)?.[1] ?? 0))) + 1;
      const id = `kek_v${next}`;
      state.keys.push({
        id,
        material: randomBytes(KEK_BYTES).toString('base64'),
        created_at: this.timestamp(),
        retired: false,
        retired_at: null,
      });
      state.primary = id;
      return id;
    });
  }

  /**
   * Marks a key retired (material kept, so an operator can undo it by editing the file). Does NOT check whether
   * data keys still reference it — use `Vault.retireKek`, which does. Refuses the primary key.
   */
  async retire(keyId: string): Promise<void> {
    await this.update((state) => {
      const key = state.keys.find((k) => k.id === keyId);
      if (!key) throw new VaultError('unknown_kek', `${keyId} is not in ${this.file}`);
      if (state.primary === keyId)
        throw new VaultError('key_in_use', `${keyId} is the primary key; rotate first`);
      if (!key.retired) {
        key.retired = true;
        key.retired_at = this.timestamp();
      }
    });
  }

  /** Re-reads the file (another process, e.g. `affix keys rotate`, may have changed it). */
  async reload(): Promise<void> {
    this.lastReload = Date.now();
    await checkPermissions(this.file, this.options.repairPermissions ?? false);
    this.state = await readKeyringFile(this.file);
    this.index();
  }

  private usableKek(keyId: string): Buffer {
    const material = this.materials.get(keyId);
    if (!material) throw new VaultError('unknown_kek', `${keyId} is not in ${this.file}`);
    if (this.state.keys.find((k) => k.id === keyId)?.retired) {
      throw new VaultError(
        'retired_key',
        `${keyId} is retired but still referenced; restore it or rewrap from backup`,
      );
    }
    return material;
  }

  private index(): void {
    this.materials.clear();
    for (const k of this.state.keys) this.materials.set(k.id, Buffer.from(k.material, 'base64'));
  }

  private timestamp(): string {
    return (this.options.now ?? (() => new Date()))().toISOString();
  }

  /** Read-modify-write under a lock file, starting from what is on disk now, written atomically (temp + rename). */
  private async update<T>(change: (state: KeyringFile) => T): Promise<T> {
    return withLock(`${this.file}.lock`, async () => {
      const state = await readKeyringFile(this.file);
      const result = change(state);
      validate(state, this.file);
      await writeAtomically(this.file, state, 'replace');
      this.state = state;
      this.index();
      return result;
    });
  }
}

/** AAD for a wrapped data key: the KEK id and the context, in a form that cannot be read two ways. */
function wrapAad(keyId: string, context: WrapContext): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(['affix-kek-wrap', 1, keyId, entries]), 'utf8');
}

async function createIfMissing(file: string, now: () => Date): Promise<boolean> {
  try {
    await stat(file);
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const state: KeyringFile = {
    format: 'affix-keyring',
    version: 1,
    primary: 'kek_v1',
    keys: [
      {
        id: 'kek_v1',
        material: randomBytes(KEK_BYTES).toString('base64'),
        created_at: now().toISOString(),
        retired: false,
        retired_at: null,
      },
    ],
  };
  // link() fails if another process created the file first: then we use theirs, never overwrite it.
  return writeAtomically(file, state, 'create');
}

/** Writes a temp file with mode 0600 and moves it into place; returns false when `create` lost a race. */
async function writeAtomically(
  file: string,
  state: KeyringFile,
  mode: 'create' | 'replace',
): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (mode === 'replace') {
      await rename(tmp, file);
      return true;
    }
    try {
      await link(tmp, file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function checkPermissions(file: string, repair: boolean): Promise<string[]> {
  const info = await stat(file);
  if (!info.isFile()) throw new VaultError('keyring_invalid', `${file} is not a regular file`);
  if (process.platform === 'win32') return [];
  const notes: string[] = [];
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    if (!repair) {
      throw new VaultError(
        'keyring_insecure',
        `${file} has mode 0${mode.toString(8)}; run \`chmod 600 ${file}\` (and consider the keys exposed)`,
      );
    }
    await chmod(file, 0o600);
    notes.push(
      `VAULT: ${file} had mode 0${mode.toString(8)}; changed to 0600. Consider the keys exposed and rotate.`,
    );
  }
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    notes.push(`VAULT: ${file} is owned by uid ${info.uid}, not by this process (uid ${process.getuid()})`);
  }
  return notes;
}

async function readKeyringFile(file: string): Promise<KeyringFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new VaultError('keyring_invalid', `${file} is not readable JSON`, { cause: err });
  }
  validate(parsed, file);
  return parsed;
}

function validate(value: unknown, file: string): asserts value is KeyringFile {
  const fail = (why: string): never => {
    throw new VaultError('keyring_invalid', `${file}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const v = value as Partial<KeyringFile>;
  if (v.format !== 'affix-keyring' || v.version !== 1) fail('format must be "affix-keyring" version 1');
  if (!Array.isArray(v.keys) || v.keys.length === 0) return fail('no keys');
  const seen = new Set<string>();
  for (const k of v.keys) {
    if (typeof k?.id !== 'string' || !KEK_ID.test(k.id)) fail(`bad key id ${JSON.stringify(k?.id)}`);
    if (seen.has(k.id)) fail(`duplicate key id ${k.id}`);
    seen.add(k.id);
    if (typeof k.material !== 'string' || Buffer.from(k.material, 'base64').length !== KEK_BYTES) {
      fail(`${k.id}: material must be ${KEK_BYTES} bytes of base64`);
    }
    if (typeof k.retired !== 'boolean') fail(`${k.id}: retired must be a boolean`);
  }
  const primary = v.keys.find((k) => k.id === v.primary);
  if (!primary) return fail(`primary ${JSON.stringify(v.primary)} is not one of the keys`);
  if (primary.retired) fail(`primary ${primary.id} is retired`);
}

async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(
        lockFile,
        fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
        0o600,
      );
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lockFile).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) await unlink(lockFile).catch(() => undefined);
      else if (Date.now() > deadline)
        throw new VaultError('keyring_invalid', `${lockFile} is held by another process`);
      else await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(lockFile).catch(() => undefined);
  }
}
