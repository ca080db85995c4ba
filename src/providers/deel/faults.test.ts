/** Every emulator fault knob produces the documented ProviderError, and no call ever returns a partial list. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { capturedLog } from '../../testing/provider-context.js';
import { createDeelAdapter } from './adapter.js';
import { DEFAULT_KNOBS, type DeelEmulator, startEmulator } from './emulator/server.js';
import { deelProvider } from './provider.js';
import { contextFor, UNPACED } from './test-support.js';

describe('Deel fault knobs', () => {
  let emu: DeelEmulator;
  const adapter = (options = {}) =>
    createDeelAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), { ...UNPACED, ...options });

  beforeAll(async () => {
    // 250 people = 3 offset pages of 99, so a middle page exists.
    emu = await startEmulator({ employees: 250, seed: 11, knobs: { rateLimitPerSecond: 0 } });
  });
  afterEach(() => {
    Object.assign(emu.knobs, DEFAULT_KNOBS, { rateLimitPerSecond: 0 });
  });
  afterAll(() => emu.close());

  it('total_rows one above the records, twice alike → every person served, with one warning', async () => {
    emu.knobs.totalSkew = 1;
    const { log, warnings } = capturedLog();
    const logged = () =>
      createDeelAdapter({ ...contextFor(emu.baseUrl, emu.credentials.api_token), log }, UNPACED);
    const plain = await logged().employees();
    const pushed: string[] = [];
    const rest = await logged().employees({ push: (rows) => pushed.push(...rows.map((e) => e.id)) });
    expect(plain.length).toBeGreaterThan(0);
    // Streamed during the first walk, nothing left over: the second walk listed the same people.
    expect([...pushed, ...rest.map((e) => e.id)]).toEqual(plain.map((e) => e.id));
    expect(warnings.filter((w) => w.includes('Deel /people announced'))).toHaveLength(2);
  });

  it('short cursor page on /time_offs is followed to the end: every entry exactly once', async () => {
    emu.knobs.shortPage = true;
    const entries = await adapter().timeOffEntries(null);
    expect(entries.map((e) => e.id).sort()).toEqual(emu.records.timeOffs.map((t) => t.id).sort());
  });

  it('bad credentials at verify → incorrect_username_or_password', async () => {
    const bad = createDeelAdapter(contextFor(emu.baseUrl, 'not-the-token'), UNPACED);
    const err = await failure(bad.verify());
    expect(err.options.code).toBe('incorrect_username_or_password');
    const missing = deelProvider.connect({ ...contextFor(emu.baseUrl, ''), credentials: {} });
    expect((await failure(missing.verify())).options.code).toBe('incorrect_username_or_password');
  });

  it("unpaced clients meet Deel's enforced 5/s limit as 429s without Retry-After and back off", async () => {
    emu.knobs.rateLimitPerSecond = 5;
    const a = adapter({ retries: 6 });
    const before = emu.stats.rateLimited;
    const employees = await a.employees();
    const groups = await a.groups();
    expect(employees).toHaveLength(250);
    expect(groups.length).toBeGreaterThan(0);
    expect(emu.stats.rateLimited).toBeGreaterThan(before);
  });
});

describe('Deel cursor pagination at the documented rate limit', () => {
  it('groups() reads every /groups cursor page exactly once', async () => {
    const emu = await startEmulator({ employees: 1000, seed: 5 });
    try {
      const groups = await createDeelAdapter(contextFor(emu.baseUrl, emu.credentials.api_token)).groups();
      const teams = groups.filter((g) => g.type === 'team');
      expect(emu.records.groups.length).toBeGreaterThan(100);
      expect(teams.map((t) => t.id)).toEqual(emu.records.groups.map((g) => g.id));
      expect(emu.stats.rateLimited).toBe(0);
    } finally {
      await emu.close();
    }
  });
});
