import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint, parseEnvelope, sealedFromStorage } from './envelope-format.js';
import { VaultError, type VaultErrorCode } from './errors.js';
import { LocalKeyring } from './local-keyring.js';
import { MemoryDataKeyStore } from './memory-data-key-store.js';
import { PURPOSES, type Sealed, type WrappedDataKey } from './types.js';
import { Vault, wrapContext } from './vault.js';

let dir: string;
let keyring: LocalKeyring;
let store: MemoryDataKeyStore;
let vault: Vault;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'affix-vault-'));
  keyring = await LocalKeyring.open({ dataDir: dir });
  store = new MemoryDataKeyStore();
  vault = new Vault(keyring, store);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectVaultError(promise: Promise<unknown>, ...codes: VaultErrorCode[]): Promise<VaultError> {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected a VaultError, got a value: ${String(value)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  if (codes.length > 0) expect(codes).toContain((err as VaultError).code);
  return err as VaultError;
}

const secret = 'hunter2-P4ssw0rd!-with-a-long-tail-€';

describe('seal / open', () => {
  it.each(PURPOSES)('round-trips a value sealed for purpose %s', async (purpose) => {
    const sealed = await vault.seal('con_123', purpose, `${purpose}:${secret}`);
    expect(await vault.openString('con_123', purpose, sealed)).toBe(`${purpose}:${secret}`);
  });

  it('round-trips binary, empty and large values, and JSON', async () => {
    const binary = Buffer.from([0, 255, 1, 254, 0, 0]);
    expect(await vault.open('con_1', 'screenshot', await vault.seal('con_1', 'screenshot', binary))).toEqual(
      binary,
    );
    expect((await vault.open('con_1', 'cache', await vault.seal('con_1', 'cache', ''))).length).toBe(0);
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    expect(
      (await vault.open('con_1', 'snapshot', await vault.seal('con_1', 'snapshot', big))).equals(big),
    ).toBe(true);
    const creds = { username: 'ann', password: secret };
    expect(
      await vault.openJson('con_1', 'credentials', await vault.sealJson('con_1', 'credentials', creds)),
    ).toEqual(creds);
  });

  it('a labelled value opens under its label only; a label holds no NUL', async () => {
    const png = Buffer.from([0, 1, 0, 2]);
    const sealed = await vault.sealLabelled('con_1', 'screenshot', 'shot-a', png);
    expect(await vault.openLabelled('con_1', 'screenshot', 'shot-a', sealed)).toEqual(png);
    // Authentic, but another file's: refused as not this one (a prefix of the label is not the label).
    expect(await vault.openLabelled('con_1', 'screenshot', 'shot-b', sealed)).toBeUndefined();
    expect(await vault.openLabelled('con_1', 'screenshot', 'shot', sealed)).toBeUndefined();
    expect(await vault.openLabelled('con_1', 'screenshot', '', sealed)).toBeUndefined();
    // Still bound to owner and purpose like any sealed value.
    await expect(vault.openLabelled('con_2', 'screenshot', 'shot-a', sealed)).rejects.toMatchObject({
      code: 'wrong_context',
    });
    await expect(vault.sealLabelled('con_1', 'cache', 'a\0b', png)).rejects.toThrow(/NUL/);
  });

  it('uses a fresh IV per seal: the same plaintext never seals to the same bytes', async () => {
    const seen = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const sealed = await vault.seal('con_1', 'credentials', secret);
      seen.add(sealed.toString('hex'));
      ivs.add(parseEnvelope(sealed).iv.toString('hex'));
      expect(parseEnvelope(sealed).iv.length).toBe(12);
      expect(parseEnvelope(sealed).tag.length).toBe(16);
    }
    expect(seen.size).toBe(50);
    expect(ivs.size).toBe(50);
  });

  it('writes version byte 0x01 and the data key id into the ciphertext; the KEK id lives beside the data key', async () => {
    const sealed = await vault.seal('con_1', 'credentials', secret);
    const record = await store.get('con_1');
    expect(sealed[0]).toBe(0x01);
    expect(parseEnvelope(sealed).dataKeyId).toBe(record?.dataKeyId);
    expect(record?.dataKeyId).toMatch(/^dk_[A-Za-z0-9_-]{22}$/);
    expect(record?.kekId).toBe('kek_v1');
  });

  it('follows the documented format: plain node:crypto with the data key and AAD = header ‖ "affix:v1:<owner>:<purpose>" decrypts it', async () => {
    const sealed = await vault.seal('con_fmt', 'cookies', 'sid=1');
    const record = (await store.get('con_fmt')) as WrappedDataKey;
    const dataKey = await keyring.unwrap(
      record.kekId,
      record.wrapped,
      wrapContext('con_fmt', record.dataKeyId),
    );
    const idLen = sealed[1] ?? 0;
    const headerLen = 2 + idLen + 4;
    expect(sealed.subarray(2, 2 + idLen).toString('ascii')).toBe(record.dataKeyId);
    expect(sealed.subarray(2 + idLen, headerLen)).toEqual(
      createHash('sha256').update('affix:v1:con_fmt:cookies').digest().subarray(0, 4),
    );
    const decrypt = (aadBytes: Buffer) => {
      const d = createDecipheriv('aes-256-gcm', dataKey, sealed.subarray(headerLen, headerLen + 12));
      d.setAAD(aadBytes);
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([
        d.update(sealed.subarray(headerLen + 12, sealed.length - 16)),
        d.final(),
      ]).toString();
    };
    const header = sealed.subarray(0, headerLen);
    expect(decrypt(Buffer.concat([header, Buffer.from('affix:v1:con_fmt:cookies')]))).toBe('sid=1');
    // The owner and purpose themselves are authenticated, not only their 4-byte fingerprint.
    expect(() => decrypt(header)).toThrow();
    expect(() => decrypt(Buffer.concat([header, Buffer.from('affix:v1:con_fmt:cache')]))).toThrow();
  });

  it('never leaves the plaintext in the ciphertext, raw, base64 or hex', async () => {
    const plaintext = `${secret}${secret}`;
    const sealed = await vault.seal('con_1', 'credentials', plaintext);
    const asLatin1 = sealed.toString('latin1');
    for (const needle of [
      plaintext,
      secret.slice(0, 8),
      Buffer.from(plaintext).toString('base64'),
      Buffer.from(plaintext).toString('base64').slice(0, 12),
      Buffer.from(plaintext).toString('hex'),
      Buffer.from(plaintext).toString('hex').slice(0, 16),
    ]) {
      expect(sealed.includes(Buffer.from(needle))).toBe(false);
      expect(asLatin1.includes(needle)).toBe(false);
      expect(sealed.toString('base64').includes(needle)).toBe(false);
      expect(sealed.toString('hex').includes(needle)).toBe(false);
    }
  });

  it('never stores the data key itself: only its wrapped form, and no plaintext in the keyring file', async () => {
    await vault.seal('con_1', 'credentials', secret);
    const record = (await store.get('con_1')) as WrappedDataKey;
    const dataKey = await keyring.unwrap(
      record.kekId,
      record.wrapped,
      wrapContext('con_1', record.dataKeyId),
    );
    expect(dataKey.length).toBe(32);
    expect(record.wrapped.includes(dataKey)).toBe(false);
    const file = await readFile(keyring.file);
    expect(file.includes(Buffer.from(secret))).toBe(false);
    expect(file.includes(dataKey)).toBe(false);
    expect(file.includes(Buffer.from(dataKey.toString('base64')))).toBe(false);
  });

  it('rejects owner ids that could make the associated data ambiguous, and unknown purposes', async () => {
    await expectVaultError(vault.seal('con:1', 'credentials', 'x'), 'invalid_argument');
    await expectVaultError(vault.seal('', 'credentials', 'x'), 'invalid_argument');
    // @ts-expect-error: not a purpose
    await expectVaultError(vault.seal('con_1', 'passwords', 'x'), 'invalid_argument');
  });
});

describe('tampering and misuse fail with VaultError, never garbage', () => {
  let sealed: Sealed;
  beforeEach(async () => {
    sealed = await vault.seal('con_a', 'credentials', secret);
  });

  it('a flipped bit in any byte (header, data key id, fingerprint, IV, ciphertext, tag) is rejected', async () => {
    expect(sealed.length).toBeGreaterThan(60);
    for (let i = 0; i < sealed.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const copy = Buffer.from(sealed);
        copy[i] = (copy[i] ?? 0) ^ mask;
        await expectVaultError(vault.open('con_a', 'credentials', copy));
      }
    }
  });

  it('a flipped byte in the IV, the body or the tag is reported as tampered', async () => {
    const env = parseEnvelope(sealed);
    const ivAt = env.header.length;
    for (const at of [
      ivAt,
      ivAt + 11,
      ivAt + 12,
      sealed.length - 17,
      sealed.length - 16,
      sealed.length - 1,
    ]) {
      const copy = Buffer.from(sealed);
      copy[at] = (copy[at] ?? 0) ^ 0x55;
      await expectVaultError(vault.open('con_a', 'credentials', copy), 'tampered');
    }
  });

  it('ciphertext of owner A opened as owner B (copied to another row) fails', async () => {
    await vault.seal('con_b', 'credentials', 'b-secret');
    await expectVaultError(vault.open('con_b', 'credentials', sealed), 'wrong_context');
  });

  it('a swapped owner with a forged fingerprint still fails authentication', async () => {
    await vault.seal('con_b', 'credentials', 'b-secret');
    const forged = Buffer.from(sealed);
    const bHeader = parseEnvelope(await vault.seal('con_b', 'credentials', 'x')).header;
    const aHeader = parseEnvelope(sealed).header;
    // Splice B's header (its data key id and fingerprint) onto A's IV/body/tag.
    const spliced = Buffer.concat([bHeader, forged.subarray(aHeader.length)]);
    await expectVaultError(vault.open('con_b', 'credentials', spliced), 'tampered');
  });

  it('the wrong purpose fails (credentials opened as cookies)', async () => {
    await expectVaultError(vault.open('con_a', 'cookies', sealed), 'wrong_context');
  });

  it('the wrong purpose with a forged fingerprint still fails: the purpose is in the associated data', async () => {
    const env = parseEnvelope(sealed);
    for (const purpose of PURPOSES.filter((p) => p !== 'credentials')) {
      const forged = Buffer.from(sealed);
      fingerprint('con_a', purpose).copy(forged, env.header.length - 4);
      await expectVaultError(vault.open('con_a', purpose, forged), 'tampered');
    }
  });

  it('an unknown data key id fails', async () => {
    const env = parseEnvelope(sealed);
    const forged = Buffer.from(sealed);
    forged.write('dk_AAAAAAAAAAAAAAAAAAAAAA', 2, 'latin1');
    expect(parseEnvelope(forged).dataKeyId).not.toBe(env.dataKeyId);
    await expectVaultError(vault.open('con_a', 'credentials', forged), 'unknown_key');
  });

  it('an unknown KEK id beside the data key fails with unknown_kek', async () => {
    const record = (await store.get('con_a')) as WrappedDataKey;
    store.rows.set('con_a', { ...record, kekId: 'kek_v99' });
    const fresh = new Vault(keyring, store);
    await expectVaultError(fresh.open('con_a', 'credentials', sealed), 'unknown_kek');
  });

  it('a wrapped data key copied to another owner does not unwrap (owner is in the wrap context)', async () => {
    await vault.seal('con_b', 'credentials', 'b');
    const a = (await store.get('con_a')) as WrappedDataKey;
    store.rows.set('con_b', { ...a, ownerId: 'con_b' });
    const fresh = new Vault(keyring, store);
    const copied = await vault.seal('con_a', 'credentials', 'x');
    await expectVaultError(fresh.open('con_b', 'credentials', copied), 'wrong_context', 'tampered');
    // Even with a ciphertext whose header names B correctly, the unwrap itself fails.
    await expectVaultError(fresh.seal('con_b', 'credentials', 'y'), 'tampered');
  });

  it('a truncated ciphertext fails at every length', async () => {
    for (let len = 0; len < sealed.length; len++) {
      await expectVaultError(
        vault.open('con_a', 'credentials', sealed.subarray(0, len)),
        'malformed',
        'tampered',
      );
    }
  });

  it('a changed version byte fails with unsupported_version', async () => {
    for (const v of [0x00, 0x02, 0xff]) {
      const copy = Buffer.from(sealed);
      copy[0] = v;
      await expectVaultError(vault.open('con_a', 'credentials', copy), 'unsupported_version');
    }
  });

  it('a plaintext that slipped into a sealed column is refused when read back', () => {
    expect(() => sealedFromStorage(Buffer.from('{"password":"x"}'))).toThrow(VaultError);
    expect(sealedFromStorage(sealed).equals(sealed)).toBe(true);
  });
});

describe('shred', () => {
  it('makes every ciphertext of the owner unreadable, and the next seal creates a NEW data key', async () => {
    const a1 = await vault.seal('con_a', 'credentials', secret);
    const a2 = await vault.seal('con_a', 'cookies', 'sid=abc');
    const b = await vault.seal('con_b', 'credentials', 'other');
    const before = (await store.get('con_a'))?.dataKeyId;

    expect(await vault.shred('con_a')).toBe(true);
    expect(await store.get('con_a')).toBeUndefined();
    await expectVaultError(vault.open('con_a', 'credentials', a1), 'shredded');
    await expectVaultError(vault.open('con_a', 'cookies', a2), 'shredded');
    // A fresh process (no cache) cannot either.
    await expectVaultError(new Vault(keyring, store).open('con_a', 'credentials', a1), 'shredded');
    // Other owners are untouched.
    expect(await vault.openString('con_b', 'credentials', b)).toBe('other');

    const a3 = await vault.seal('con_a', 'credentials', 'new');
    const after = (await store.get('con_a'))?.dataKeyId;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await vault.openString('con_a', 'credentials', a3)).toBe('new');
    await expectVaultError(vault.open('con_a', 'credentials', a1), 'unknown_key');
  });

  it('is idempotent', async () => {
    await vault.seal('con_a', 'credentials', secret);
    expect(await vault.shred('con_a')).toBe(true);
    expect(await vault.shred('con_a')).toBe(false);
    expect(await vault.shred('con_never')).toBe(false);
  });

  it('drops the cached key: a load racing the shred does not put the shredded key back', async () => {
    const sealed = await vault.seal('con_a', 'credentials', secret);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // The real store, with a get() that waits for the gate: the read happens before the delete, returns after.
    const slow = new (class extends MemoryDataKeyStore {
      override async get(ownerId: string) {
        const row = await super.get(ownerId);
        await gate;
        return row;
      }
    })();
    for (const [k, v] of store.rows) slow.rows.set(k, v);
    const other = new Vault(keyring, slow);
    const racing = other.open('con_a', 'credentials', sealed);
    await new Promise((r) => setTimeout(r, 10));
    await other.shred('con_a');
    release();
    // The open that started before the shred may complete (it is concurrent with it) …
    expect((await racing).toString()).toBe(secret);
    // … but nothing stays usable afterwards.
    await expectVaultError(other.open('con_a', 'credentials', sealed), 'shredded');
  });

  it('another instance with the key cached stops within the cache TTL, or at once after forget()', async () => {
    let now = 1_000_000;
    const sealed = await vault.seal('con_a', 'credentials', secret);
    const other = new Vault(keyring, store, { cache: { ttlMs: 30_000, now: () => now } });
    expect((await other.open('con_a', 'credentials', sealed)).toString()).toBe(secret);
    await vault.shred('con_a');
    now += 30_001;
    await expectVaultError(other.open('con_a', 'credentials', sealed), 'shredded');

    const again = await vault.seal('con_b', 'credentials', secret);
    await other.open('con_b', 'credentials', again);
    await vault.shred('con_b');
    other.forget('con_b');
    await expectVaultError(other.open('con_b', 'credentials', again), 'shredded');
  });
});

describe('data keys', () => {
  it('concurrent first seals for one owner share one data key', async () => {
    const sealed = await Promise.all(
      Array.from({ length: 20 }, (_, i) => vault.seal('con_new', 'cache', `v${i}`)),
    );
    expect(store.rows.size).toBe(1);
    const fresh = new Vault(keyring, store);
    for (const [i, s] of sealed.entries())
      expect(await fresh.openString('con_new', 'cache', s)).toBe(`v${i}`);
  });

  it('two processes sealing a new owner at once end up on the winner key, both values readable', async () => {
    const p1 = new Vault(keyring, store);
    const p2 = new Vault(keyring, store);
    const [s1, s2] = await Promise.all([
      p1.seal('con_race', 'cache', 'one'),
      p2.seal('con_race', 'cache', 'two'),
    ]);
    expect(parseEnvelope(s1).dataKeyId).toBe(parseEnvelope(s2).dataKeyId);
    const fresh = new Vault(keyring, store);
    expect(await fresh.openString('con_race', 'cache', s1)).toBe('one');
    expect(await fresh.openString('con_race', 'cache', s2)).toBe('two');
  });

  it('client ids and signing keys are owners too', async () => {
    const s = await vault.seal('cli_abc', 'client_secret', 'sk_live_123');
    expect(await vault.openString('cli_abc', 'client_secret', s)).toBe('sk_live_123');
    const k = await vault.seal('key_2024-01.es256', 'signing_key', '{"d":"..."}');
    expect(await vault.openString('key_2024-01.es256', 'signing_key', k)).toBe('{"d":"..."}');
  });
});
