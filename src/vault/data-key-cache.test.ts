import { describe, expect, it } from 'vitest';
import { DataKeyCache } from './data-key-cache.js';

const entry = (id: string) => ({
  dataKeyId: `dk_${id}`,
  kekId: 'kek_v1',
  key: Buffer.alloc(32, id.charCodeAt(0)),
});

describe('DataKeyCache', () => {
  it('is bounded: the least recently used entry goes first', () => {
    const cache = new DataKeyCache({ maxEntries: 2 });
    cache.set('a', entry('a'));
    cache.set('b', entry('b'));
    expect(cache.get('a')?.dataKeyId).toBe('dk_a'); // a is now most recent
    cache.set('c', entry('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.dataKeyId).toBe('dk_a');
    expect(cache.get('c')?.dataKeyId).toBe('dk_c');
  });

  it('expires entries after the TTL, counted from load (use does not extend it)', () => {
    let now = 0;
    const cache = new DataKeyCache({ ttlMs: 1000, now: () => now });
    cache.set('a', entry('a'));
    now = 999;
    expect(cache.get('a')).toBeDefined();
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('an owner vouched for stays past the TTL, up to its own lifetime from load, only while vouched', () => {
    let now = 0;
    let vouching = true;
    const cache = new DataKeyCache({
      ttlMs: 1000,
      vouchedTtlMs: 10_000,
      vouched: (owner) => owner.startsWith('con_') && vouching,
      now: () => now,
    });
    cache.set('con_a', entry('a'));
    cache.set('cli_b', entry('b'));
    now = 5_000;
    expect(cache.get('con_a')?.dataKeyId).toBe('dk_a');
    expect(cache.get('cli_b')).toBeUndefined(); // not vouched for: 1 s from load
    now = 9_999;
    expect(cache.get('con_a')?.dataKeyId).toBe('dk_a'); // use does not extend it …
    now = 10_000;
    expect(cache.get('con_a')).toBeUndefined(); // … its lifetime from load is over: loaded again
    cache.set('con_a', entry('a'));
    now = 11_500;
    vouching = false; // the feed is not current: the TTL applies again
    expect(cache.get('con_a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('can be disabled and cleared', () => {
    const off = new DataKeyCache({ maxEntries: 0 });
    off.set('a', entry('a'));
    expect(off.get('a')).toBeUndefined();
    const cache = new DataKeyCache();
    cache.set('a', entry('a'));
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', entry('b'));
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('DataKeyCache at scale', () => {
  it('a cycle over 20,000 owners (past the old default bound of 10,000) still hits every time', () => {
    const cache = new DataKeyCache();
    const n = 20_000;
    for (let i = 0; i < n; i++) cache.set(`con_${i}`, entry(`con_${i}`));
    for (let i = 0; i < n; i++) expect(cache.get(`con_${i}`)).toBeDefined();
    expect(cache.size).toBe(n);
  });
});
