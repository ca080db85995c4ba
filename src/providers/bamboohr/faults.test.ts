/** Every emulator fault knob produces the documented ProviderError (or a correct, complete result). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBambooHrAdapter } from './adapter.js';
import type { BambooHrClientOptions } from './client.js';
import { DEFAULT_KNOBS, type Emulator, startEmulator } from './emulator/server.js';
import { failure } from '../../testing/provider-failure.js';
import { capturedLog } from '../../testing/provider-context.js';
import { contextFor } from './test-support.js';
import { providerBaseUrlVar } from '../../config.js';
import { scopeFor } from '../../model/index.js';
import { startTestNode } from '../../testing/node.js';
import { connectionToken } from '../../testing/fixtures.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ employees: 250, seed: 3 });
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => {
  Object.assign(emu.knobs, DEFAULT_KNOBS);
});

const adapter = (options: BambooHrClientOptions = {}) => createBambooHrAdapter(contextFor(emu), options);

describe('bamboohr fault knobs', () => {
  it('a short page with a next cursor does not stop the walk early: every employee exactly once', async () => {
    emu.knobs.shortPage = true;
    const a = adapter();
    // The knob is live: page 2 holds 50 of 100 while its nextCursor says more exist.
    const first = (await a.client.raw({ path: '/api/v1/employees', query: { 'page[limit]': '100' } }))
      .body as {
      meta: { page: { nextCursor: string } };
    };
    const second = (
      await a.client.raw({
        path: '/api/v1/employees',
        query: { 'page[limit]': '100', 'page[after]': first.meta.page.nextCursor },
      })
    ).body as { data: unknown[]; meta: { page: { nextCursor: string | null } } };
    expect(second.data).toHaveLength(50);
    expect(second.meta.page.nextCursor).not.toBeNull();
    const employees = await a.employees();
    const ids = employees.map((e) => e.id);
    expect(new Set(ids).size).toBe(250);
    expect(ids).toEqual(emu.records.employees.map((e) => e.employeeId));
  });

  it('a short page that ends the list while meta.total says more, twice alike → served as listed, with a warning', async () => {
    emu.knobs.shortPage = true;
    emu.knobs.truncateList = true;
    const { log, warnings, facts } = capturedLog();
    const listed = await createBambooHrAdapter({ ...contextFor(emu), log }).employees();
    expect(listed.length).toBeLessThan(250);
    expect(new Set(listed.map((e) => e.remote_id)).size).toBe(listed.length);
    // Through the connection's structured logger, not a process warning.
    expect(warnings).toEqual([
      `BambooHR employees announced 250 records and returned ${listed.length} in two walks; serving what it returned`,
    ]);
    expect(facts).toEqual([{ code: 'AFFIX_PROVIDER_TOTAL', connection_id: contextFor(emu).connectionId }]);
  });

  it('bad credentials at verify → incorrect_username_or_password, and only one request (no pointless retry)', async () => {
    const before = emu.requestCount;
    const err = await failure(createBambooHrAdapter(contextFor(emu, { api_key: 'wrong' })).verify());
    expect(err.options.code).toBe('incorrect_username_or_password');
    expect(emu.requestCount - before).toBe(1);
  });

  it('latency is per response and a cursor walk stays close to the sequential floor', async () => {
    // One walk first, so the measured one is not also paying for a cold start (the shared fault tests moved out).
    await adapter().employees();
    emu.knobs.latencyMs = 20;
    const started = Date.now();
    await adapter().employees();
    const elapsed = Date.now() - started;
    // 3 sequential pages × 20 ms.
    expect(elapsed).toBeGreaterThanOrEqual(60);
    expect(elapsed).toBeLessThan(60 * 1.5 + 60);
  });
});

describe('bamboohr faults through the server (employees stream into the cache as pages arrive)', () => {
  it('two walks that disagree → 502 after the first walk was encoded; nothing cached; the next request walks again', async () => {
    const node = await startTestNode({
      env: { [providerBaseUrlVar('bamboohr')]: emu.url, CACHE_WAIT: '30s' },
    });
    try {
      const { token } = await connectionToken(node.services, {
        provider: 'bamboohr',
        credentials: { company_domain: emu.credentials.company_domain, api_key: emu.credentials.api_key },
        scopes: [scopeFor('official', 'employees')],
      });
      const get = () =>
        node.app.inject({
          method: 'GET',
          url: '/2023-03-01/official/employees',
          headers: { authorization: `Bearer ${token}` },
        });
      emu.knobs.shrinkEachWalk = true;
      const lying = await get();
      expect(lying.statusCode).toBe(502);
      Object.assign(emu.knobs, DEFAULT_KNOBS);
      const before = emu.requestCount;
      const ok = await get();
      expect(ok.statusCode).toBe(200);
      expect(emu.requestCount - before).toBe(3);
      const ids = (ok.json() as Array<{ id: string }>).map((e) => e.id);
      expect(ids).toEqual(emu.records.employees.map((e) => e.employeeId));
      // Now cached: no further provider calls.
      expect((await get()).statusCode).toBe(200);
      expect(emu.requestCount - before).toBe(3);
    } finally {
      await node.close();
    }
  });
});
