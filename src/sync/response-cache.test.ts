/**
 * The response cache at rest (it holds employee data): rows hold vault ciphertext only, the warm path never
 * decrypts, and a row that was tampered with, swapped with another connection's or another key's, or replaced
 * by plaintext reads as a miss (deleted, reported) so the fetch runs again — garbage is never served.
 */
import { randomBytes } from 'node:crypto';
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
import { ENTRY_OVERHEAD_BYTES, ResponseCache, cacheKey } from './response-cache.js';

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

  it("a refreshed list is compressed at REFRESH_BROTLI_QUALITY at most (FetchJobs' refreshQuality)", async () => {
    const { connections, fresh } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    // Alike records with a little noise: brotli's quality shows in the size.
    const texts = Array.from({ length: 2_000 }, (_, i) =>
      JSON.stringify({ id: `emp_${i}`, name: `Person ${(i * 7919) % 1000}`, team: `team ${i % 13}` }),
    );
    const refreshed = async (quality: number) => {
      const outcome = await new FetchJobs(fresh(), 5_000, undefined, quality).resolve(
        key,
        { connectionId: con, resource: 'employees' },
        async (sink) => {
          sink.pushJson(texts);
          return [];
        },
        { refresh: true },
      );
      if (outcome.kind !== 'ready') throw new Error('not ready');
      expect((await outcome.entry.bytes('identity')).toString()).toBe(`[${texts.join(',')}]`);
      return outcome.entry.br.length;
    };
    const low = await refreshed(0);
    const high = await refreshed(11);
    expect(high).toBeLessThan(low * 0.8);
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
    const back = await fresh().get(key);
    expect(back?.etag).toBe(entry.etag);
    // Read back, the body is a slice of its decrypted row (not copied), which pins the label and ETag too: counted.
    expect(back?.size).toBeGreaterThanOrEqual(entry.size);
    expect(back?.size).toBeLessThanOrEqual(entry.size + 1_024);
    expect((await entry.bytes('identity')).toString()).toBe(json);
    expect(zlib.gunzipSync(await entry.bytes('gzip')).toString()).toBe(json);
    expect(zlib.brotliDecompressSync(await entry.bytes('br')).toString()).toBe(json);
    expect((await back?.bytes('identity'))?.toString()).toBe(json);
    // The JSON is made per request, never held; its gzip form (small) is kept and counted.
    expect(entry.held).toEqual(['gzip']);
    expect(cache.memoryBytes).toBe(entry.size);
  });

  it('a row read back is the stored ETag and brotli bytes: one unseal, nothing decompressed or kept besides', async () => {
    const { connections, fresh } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'employees');
    const written = await fresh().put(key, con, 'employees', [{ a: 'ü' }]);
    const reader = fresh();
    const back = await reader.get(key);
    expect(back?.etag).toBe(written.etag);
    expect(back?.br.equals(written.br)).toBe(true);
    expect(back?.held).toEqual([]);
    expect(reader.memoryBytes).toBe(back?.size);
    // A second read is memory's.
    expect(reader.peek(key)).toBe(back);
  });

  it('a row sealed by the earlier format (brotli only, under the bare key) is a miss, discarded', async () => {
    const { connections, fresh, vault, discarded } = await setup();
    const [con] = connections;
    const key = cacheKey(con, 'company');
    const br = zlib.brotliCompressSync('{"name":"old"}');
    const body = await vault.sealLabelled(con, 'cache', key, br);
    await store.cache.write({
      key,
      connectionId: con,
      resource: 'company',
      body,
      createdAt: 1,
      expiresAt: Date.now() + 60_000,
    });
    expect(await fresh().get(key)).toBeUndefined();
    expect(discarded).toEqual([{ key, connectionId: con, code: 'wrong_cache_key' }]);
    expect(await rowCount(key)).toBe(0);
  });

  it('counts every byte an entry holds, encodings made on request included', async () => {
    const { connections, fresh } = await setup();
    const [con] = connections;
    const cache = fresh();
    const key = cacheKey(con, 'employees');
    const value = Array.from({ length: 300 }, (_, i) => ({ id: `emp_${i}`, name: `Zoë ${i}` }));
    const json = Buffer.from(JSON.stringify(value));
    const entry = await cache.put(key, con, 'employees', value);
    const base = ENTRY_OVERHEAD_BYTES + key.length + con.length + entry.etag.length;
    expect(entry.size).toBe(base + entry.br.length);
    expect(cache.memoryBytes).toBe(entry.size);
    // Two requests at once share one decompression; the JSON is then held and counted.
    const [a, b] = await Promise.all([entry.bytes('identity'), entry.bytes('identity')]);
    expect(a).toBe(b);
    expect(a.equals(json)).toBe(true);
    const gz = await entry.bytes('gzip');
    expect(zlib.gunzipSync(gz).equals(json)).toBe(true);
    expect(entry.held.sort()).toEqual(['gzip', 'identity']);
    expect(entry.size).toBe(base + entry.br.length + json.length + gz.length);
    expect(cache.memoryBytes).toBe(entry.size);
    // Each buffer is its own allocation, not a view keeping a bigger one alive.
    for (const buf of [entry.br, a, gz]) expect(buf.buffer.byteLength).toBe(buf.length);
    // Dropped: nothing counted.
    await cache.invalidateConnection(con);
    expect(cache.memoryBytes).toBe(0);
  });

  /**
   * Twelve keys of one connection, a body for each of one size (brotli of random hex does not shrink much), and a
   * cache with room for four entries and `slack` bytes, not five; an entry may take the whole cap (by default an
   * eighth).
   */
  async function roomForFour(slack: number) {
    const { connections, vault } = await setup();
    const [con] = connections;
    const keys = Array.from({ length: 12 }, (_, i) => cacheKey(con, 'company', { n: i }));
    const body = (i: number) => ({ n: i, x: randomBytes(2000).toString('hex') });
    const probe = new ResponseCache(store, 60_000, vault);
    const one = (await probe.put(keys[0] as string, con, 'company', body(0))).size;
    const cap = 4 * one + slack;
    const cache = new ResponseCache(store, 60_000, vault, { maxMemoryBytes: cap, maxEntryBytes: cap });
    return { con, keys, body, cap, cache };
  }

  it('evicts the least recently used entry, and stays within its cap on a cyclic pattern larger than it', async () => {
    const { con, keys, body, cap, cache } = await roomForFour(100);
    for (let i = 0; i < 4; i++) await cache.put(keys[i] as string, con, 'company', body(i));
    expect(cache.memoryEntries).toBe(4);
    // 0 is read: 1 is now the least recently used and goes first.
    expect(cache.peek(keys[0] as string)).toBeDefined();
    await cache.put(keys[4] as string, con, 'company', body(4));
    expect(cache.peek(keys[1] as string)).toBeUndefined();
    for (const i of [0, 2, 3, 4]) expect(cache.peek(keys[i] as string), `key ${i}`).toBeDefined();
    // Order now (least recent first): 0 2 3 4. Reading 0 and 2 leaves 3 first in line.
    cache.peek(keys[0] as string);
    cache.peek(keys[2] as string);
    await cache.put(keys[5] as string, con, 'company', body(5));
    expect(cache.peek(keys[3] as string)).toBeUndefined();
    expect(cache.memoryBytes).toBeLessThanOrEqual(cap);
    // A cycle over twelve keys (three times the cap): every read goes to the store, memory stays within the cap.
    for (let i = 6; i < 12; i++) await cache.put(keys[i] as string, con, 'company', body(i));
    for (let round = 0; round < 3; round++) {
      for (const key of keys) {
        const entry = await cache.get(key);
        expect(entry?.key).toBe(key);
        await entry?.bytes('identity');
        expect(cache.memoryBytes).toBeLessThanOrEqual(cap);
      }
    }
  });

  it('a cycle over three times what memory holds keeps hitting what it holds; a key asked for more comes in', async () => {
    // An entry read from the store counts its row's label and ETag too.
    const { con, keys, body, cap, cache } = await roomForFour(1_100);
    for (let i = 0; i < 12; i++) await cache.put(keys[i] as string, con, 'company', body(i));
    const held = () => keys.filter((k) => cache.holds(k));
    const first = held();
    expect(first).toHaveLength(4);
    // Least recently used alone would replace an entry on every read here and never hit.
    for (let round = 0; round < 3; round++) {
      let hits = 0;
      for (const key of keys) {
        const wasHeld = cache.holds(key);
        expect((await cache.get(key))?.key).toBe(key);
        if (wasHeld) hits++;
        expect(cache.memoryBytes).toBeLessThanOrEqual(cap);
      }
      expect(hits, `round ${round}`).toBe(4);
      expect(held()).toEqual(first);
    }
    // One key outside memory asked for again and again: it comes in, pushing out the least recently used.
    const hot = keys.find((k) => !cache.holds(k)) as string;
    for (let i = 0; i < 4 && !cache.holds(hot); i++) await cache.get(hot);
    expect(cache.holds(hot)).toBe(true);
    expect(held()).toHaveLength(4);
  });

  it("CACHE_MEMORY=0 keeps nothing in memory: every read is the store's", async () => {
    const { connections, vault } = await setup();
    const [con] = connections;
    const cache = new ResponseCache(store, 60_000, vault, { maxMemoryBytes: 0 });
    const key = cacheKey(con, 'company');
    const put = await cache.put(key, con, 'company', { name: 'x' });
    expect(cache.peek(key)).toBeUndefined();
    expect((await cache.get(key))?.etag).toBe(put.etag);
    expect(cache.memoryBytes).toBe(0);
  });
});

describe('cacheKey', () => {
  it('is the same without params as with none set, and sorts and encodes those given', () => {
    expect(cacheKey('con_a', 'employees')).toBe('con_a|employees|');
    expect(cacheKey('con_a', 'employees', {})).toBe('con_a|employees|');
    expect(cacheKey('con_a', 'employees', { x: undefined, y: null })).toBe('con_a|employees|');
    expect(cacheKey('con_a', 'employees', { status: 'a b', a: 1 })).toBe('con_a|employees|a=1&status=a%20b');
  });
});
