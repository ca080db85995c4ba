/**
 * Single-flight re-login across nodes: two real `affix serve` processes on one PostgreSQL schema read one Deputy
 * connection whose session has ended. Twenty concurrent reads (ten per node, each a different resource query, so
 * none is answered from the shared cache) meet the expired session on both nodes while the sign-in is slow; the
 * re-login runs under the connection's PostgreSQL advisory lock, so exactly one node signs in and the other, once
 * the lock is free, finds the newer session in the sealed state and reloads that cookie jar instead of signing in.
 *
 * Needs DATABASE_URL=postgres://… (skips, saying so, otherwise: SQLite is one process, where the per-node
 * single-flight of web-session.test.ts is the whole story).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { newId } from '../../ids.js';
import { allScopes } from '../../model/index.js';
import { type Services, createServices } from '../../services.js';
import { postgresUrl } from '../../store/testing.js';
import { storeCredentials } from '../../sync/connections.js';
import { type Cluster, startCluster } from '../../testing/cluster.js';
import { skipOrFailInCi } from '../../testing/skip.js';
import { type DeputyEmulator, startEmulator } from '../deputy/emulator/server.js';

describe('xhr re-login across two nodes on PostgreSQL', () => {
  let emu: DeputyEmulator;
  let cluster: Cluster;
  let admin: Services;
  let token = '';

  const skip = postgresUrl ? null : 'DATABASE_URL is not a postgres:// URL';

  beforeAll(async () => {
    if (skip) return;
    emu = await startEmulator({ employees: 20, days: 30, seed: 21 });
    cluster = await startCluster({
      nodes: 2,
      env: {
        PROVIDER_DEPUTY_BASE_URL: emu.url,
        RATE_LIMITS: 'off',
        CACHE_WAIT: '200ms',
        PROVIDER_READ_TIMEOUT: '10s',
      },
    });
    // The connection, as the connect page would have stored it with "keep me signed in".
    admin = await createServices(loadConfig({ ...cluster.env, LOG_LEVEL: 'silent' }));
    const client = newId('client');
    await admin.store.clients.insert({
      id: client,
      name: 'Roster sync',
      redirectUris: ['https://app.example.com/callback'],
      webhookUri: null,
      logoUrl: null,
      accentColor: null,
      isPublic: false,
      createdAt: Date.now(),
    });
    const connectionId = newId('connection');
    await admin.store.connections.insert({
      id: connectionId,
      clientId: client,
      provider: 'deputy',
      mode: 'xhr',
      settings: {},
      createdAt: Date.now(),
    });
    await storeCredentials(admin, connectionId, {
      install: 'acme.au',
      username: emu.username,
      password: emu.knobs.password,
    });
    token = (
      await admin.tokens.issue({
        connectionId,
        clientId: client,
        provider: 'deputy',
        mode: 'xhr',
        scopes: allScopes('xhr'),
      })
    ).token;
  }, 120_000);

  afterAll(async () => {
    await admin?.close();
    await cluster?.stop();
    await emu?.close();
  });

  /** A read through `base`, polling its 202s until the answer is there. */
  async function read(base: string, url: string): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${base}/2023-03-01/xhr${url}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.body?.cancel();
      if (res.status !== 202) return res.status;
      await new Promise((r) => setTimeout(r, 150));
    }
    return 202;
  }

  it('twenty concurrent reads on two nodes during expiry → exactly one login; the other node reloads the jar', async (ctx) => {
    skipOrFailInCi(ctx, skip, 'cross-node re-login test (PostgreSQL)');
    const [one, two] = cluster.nodes;
    if (!one || !two) throw new Error('two nodes');
    // A first sign-in (through node 1), then the session ends.
    expect(await read(one.base, '/groups')).toBe(200);
    expect(emu.stats.logins).toBe(1);
    emu.expireSessions();
    emu.knobs.loginDelayMs = 1_500;
    const unauthorized = emu.stats.unauthorized;
    const urls = Array.from(
      { length: 20 },
      (_, i) => `/timesheets?start_date=2020-01-${String(i + 1).padStart(2, '0')}&end_date=2100-01-01`,
    );
    const statuses = await Promise.all(urls.map((u, i) => read((i % 2 ? two : one).base, u)));
    emu.knobs.loginDelayMs = 0;
    expect(statuses).toEqual(Array(20).fill(200));
    expect(emu.stats.logins).toBe(2);
    // Both nodes met the ended session (each of the twenty first calls was refused), yet one signed in.
    expect(emu.stats.unauthorized - unauthorized).toBeGreaterThanOrEqual(2);
    expect(emu.stats.unauthorized - unauthorized).toBeLessThanOrEqual(20);
  }, 120_000);
});
