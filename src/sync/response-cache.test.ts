/**
 * The response cache at rest (it holds employee data): rows hold vault ciphertext only, the warm path never
 * decrypts, and a row that was tampered with, swapped with another connection's or another key's, or replaced
 * by plaintext reads as a miss (deleted, reported) so the fetch runs again — garbage is never served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/db.js';
import { patchRows, removeRows, rowsIn, testStoreKinds } from '../store/testing.js';
import { seedConnections } from '../testing/fixtures.js';
import { LocalKeyring, Vault, parseEnvelope } from '../vault/index.js';
import { FetchJobs } from './fetch-jobs.js';
import { ResponseCache, cacheKey } from './response-cache.js';

describe.each(testStoreKinds)('encrypted response cache on $name', (kind) => {
  let store: Store;
  let dir: string;
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setup() {
    store = await kind.open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-cache-'));
    const keyring = await LocalKeyring.open({ dataDir: dir });
    const vault = new Vault(keyring, store.dataKeys);
    const { connections } = await seedConnections(store, { count: 2 });
    const discarded: Array<{ key: string; code: string }> = [];
    const fresh = () => new ResponseCache(store, 60_000, vault, { onDiscard: (d) => discarded.push(d) });
    return { vault, connections: connections as [string, string], discarded, fresh };
  }

  const rawBody = async (key: string) => {
    const [row] = await rowsIn(store, 'cache_entries', { key });
    if (!row) throw new Error(`no cache row ${key}`);
    return Buffer.from(row.body);
  };
  const setBody = (key: string, body: Buffer) => patchRows(store, 'cache_entries', { body }, { key });
  const rowCount = async (key: string) => (await rowsIn(store, 'cache_entries', { key })).length;

  it('stores ciphertext only, and a fresh node reads it back', async () => {
    const { connections, fresh } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    const value = [{ first_name: 'Zoë-canary-7f3a', salary: 123456 }];
    await fresh().put(key, con, 'employees', value);
    const raw = await rawBody(key);
    expect(raw.includes(Buffer.from('canary-7f3a'))).toBe(false);
    expect(parseEnvelope(raw).dataKeyId).toMatch(/^dk_/);
    const back = await fresh().get(key);
    expect((await back?.bytes('identity'))?.toString()).toBe(JSON.stringify(value));
  });

  it('serves the warm path from memory without decrypting (works even with the data key gone)', async () => {
    const { connections, fresh } = await setup();
    const [con] = connections;
    const cache = fresh();
    const key = cacheKey(con, 'company');
    await cache.put(key, con, 'company', { name: 'Acme' });
    // Remove the data key behind the vault's back: a decrypt on this path would now fail.
    await removeRows(store, 'vault_data_keys');
    expect((await cache.peek(key)?.bytes('identity'))?.toString()).toBe('{"name":"Acme"}');
  });

  it('a flipped ciphertext byte reads as a miss, deletes the row and reports "tampered"', async () => {
    const { connections, fresh, discarded } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    await fresh().put(key, con, 'employees', [{ a: 1 }]);
    const raw = await rawBody(key);
    raw.writeUInt8((raw.at(-20) ?? 0) ^ 0x01, raw.length - 20);
    await setBody(key, raw);
    expect(await fresh().get(key)).toBeUndefined();
    expect(discarded).toEqual([{ key, connectionId: con, code: 'tampered' }]);
    expect(await rowCount(key)).toBe(0);
  });

  it("another connection's row swapped in reads as a miss (wrong_context)", async () => {
    const { connections, fresh, discarded } = await setup();
    const [a, b] = connections;
    const keyA = cacheKey(a, 'employees');
    const keyB = cacheKey(b, 'employees');
    const cache = fresh();
    await cache.put(keyA, a, 'employees', [{ who: 'a' }]);
    await cache.put(keyB, b, 'employees', [{ who: 'b' }]);
    const rawA = await rawBody(keyA);
    const rawB = await rawBody(keyB);
    await setBody(keyA, rawB);
    await setBody(keyB, rawA);
    const reader = fresh();
    expect(await reader.get(keyA)).toBeUndefined();
    expect(await reader.get(keyB)).toBeUndefined();
    expect(discarded.map((d) => d.code)).toEqual(['wrong_context', 'wrong_context']);
  });

  it("the same connection's rows swapped between two keys read as misses (the key is sealed inside)", async () => {
    const { connections, fresh, discarded } = await setup();
    const [con] = connections;
    const k1 = cacheKey(con, 'employees');
    const k2 = cacheKey(con, 'company');
    const cache = fresh();
    await cache.put(k1, con, 'employees', []);
    await cache.put(k2, con, 'company', { name: 'x' });
    const r1 = await rawBody(k1);
    await setBody(k1, await rawBody(k2));
    await setBody(k2, r1);
    expect(await fresh().get(k1)).toBeUndefined();
    expect(discarded.map((d) => d.code)).toEqual(['wrong_cache_key']);
  });

  it('plaintext slipped into the column is refused, never served', async () => {
    const { connections, fresh, discarded } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    await fresh().put(key, con, 'employees', []);
    await setBody(key, Buffer.from('[{"first_name":"plain"}]'));
    expect(await fresh().get(key)).toBeUndefined();
    // '[' is not the format version byte 0x01.
    expect(discarded[0]?.code).toBe('unsupported_version');
  });

  it('a discarded row turns into a fresh fetch through FetchJobs (served value is the real one)', async () => {
    const { connections, fresh } = await setup();
    const [a, b] = connections;
    const keyA = cacheKey(a, 'employees');
    const keyB = cacheKey(b, 'employees');
    const writer = fresh();
    await writer.put(keyA, a, 'employees', [{ who: 'a' }]);
    await writer.put(keyB, b, 'employees', [{ who: 'b' }]);
    await setBody(keyA, await rawBody(keyB));
    let fetches = 0;
    const jobs = new FetchJobs(fresh(), 5_000);
    const outcome = await jobs.resolve(keyA, { connectionId: a, resource: 'employees' }, async () => {
      fetches++;
      return [{ who: 'a', fresh: true }];
    });
    expect(fetches).toBe(1);
    expect(outcome.kind === 'ready' && (await outcome.entry.bytes('identity')).toString()).toBe(
      '[{"who":"a","fresh":true}]',
    );
  });

  it('after a shred the rows of that connection are unreadable', async () => {
    const { connections, fresh, vault, discarded } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    await fresh().put(key, con, 'employees', [{ a: 1 }]);
    await vault.shred(con);
    expect(await fresh().get(key)).toBeUndefined();
    expect(discarded[0]?.code).toBe('shredded');
  });

  it('a big list is held and stored only compressed, and still served byte for byte in every encoding', async () => {
    const { connections, fresh } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    // About 10 MB of JSON: over the size above which the body is never assembled.
    const value = Array.from({ length: 20_000 }, (_, i) => ({
      id: `emp_${i}`,
      name: `Zoë ${i}`,
      note: 'x'.repeat(480),
    }));
    const json = JSON.stringify(value);
    const cache = fresh();
    const entry = await cache.put(key, con, 'employees', value);
    expect(entry.size).toBeLessThan(json.length / 10);
    expect((await entry.bytes('identity')).toString()).toBe(json);
    expect(zlib.gunzipSync(await entry.bytes('gzip')).toString()).toBe(json);
    expect(zlib.brotliDecompressSync(await entry.bytes('br')).toString()).toBe(json);
    const back = await fresh().get(key);
    expect(back?.etag).toBe(entry.etag);
    expect(back?.size).toBe(entry.size);
    expect((await back?.bytes('identity'))?.toString()).toBe(json);
  });
});
