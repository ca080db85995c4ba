/** The per-node connection cache: a bounded LRU with a short TTL, never cleared all at once when full. */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../store/connections.js';
import { CONNECTION_CACHE_MAX, ConnectionCache } from './connections.js';

const connection = (i: number): Connection => ({
  id: `con_${i}`,
  clientId: 'cli_1',
  provider: 'sandbox',
  mode: 'xhr',
  settings: {},
  status: 'active',
  createdAt: 0,
});

describe('ConnectionCache', () => {
  it('a cycle over 20,000 connections (past the old clear-all size of 10,001) still hits every time', () => {
    const cache = new ConnectionCache();
    const n = 20_000;
    for (let i = 0; i < n; i++) cache.set(connection(i), 0);
    for (let i = 0; i < n; i++) expect(cache.get(`con_${i}`, 1)?.id).toBe(`con_${i}`);
    expect(cache.size).toBe(n);
    expect(CONNECTION_CACHE_MAX).toBeGreaterThanOrEqual(50_000);
  });

  it('holds at most its bound, dropping the least recently used', () => {
    const cache = new ConnectionCache(3);
    for (let i = 0; i < 3; i++) cache.set(connection(i), 0);
    cache.get('con_0', 1);
    cache.set(connection(3), 0);
    expect(cache.size).toBe(3);
    expect(cache.get('con_1', 1)).toBeUndefined();
    for (const i of [0, 2, 3]) expect(cache.get(`con_${i}`, 1)).toBeDefined();
  });

  it('answers only within its TTL', () => {
    const cache = new ConnectionCache();
    cache.set(connection(1), 0);
    expect(cache.get('con_1', 4_999)).toBeDefined();
    expect(cache.get('con_1', 5_000)).toBeUndefined();
  });
});
