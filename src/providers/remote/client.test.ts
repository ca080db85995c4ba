/** The Remote client against the emulator: Bearer auth, page/page_size walks, totals as hints, and pacing. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { createRemoteAdapter } from './adapter.js';
import { RemoteClient } from './client.js';
import { DEFAULT_KNOBS, type RemoteEmulator, startEmulator } from './emulator/server.js';
import { contextFor, UNPACED } from './test-support.js';

describe('Remote client', () => {
  let emu: RemoteEmulator;
  const client = (options = {}) =>
    new RemoteClient(contextFor(emu.baseUrl, emu.credentials.api_token), { ...UNPACED, ...options });
  const count = (path: string) => emu.stats.byPath.get(path) ?? 0;

  beforeAll(async () => {
    // 250 employments = pages of 100, 100 and 50.
    emu = await startEmulator({ employees: 250, seed: 5 });
  });
  afterEach(() => Object.assign(emu.knobs, DEFAULT_KNOBS));
  afterAll(() => emu.close());

  it('walks page/page_size: three pages of at most 100, each asked once, every record once in order', async () => {
    const before = count('/v1/employments');
    const list = await client().list<{ id?: string }>('/v1/employments', 'employments');
    expect(list.map((e) => e.id)).toEqual(emu.records.employments.map((e) => e.id));
    expect(count('/v1/employments') - before).toBe(3);
  });

  it('a smaller page size walks more pages to the same list; counters beside data (departments) are read too', async () => {
    const list = await client({ pageSize: 7 }).list<{ id?: string }>('/v1/employments', 'employments');
    expect(list).toHaveLength(250);
    const departments = await client({ pageSize: 2 }).list('/v1/company-departments', 'company_departments', {
      company_id: emu.records.company.id ?? '',
    });
    expect(departments).toHaveLength(emu.records.departments.length);
  });

  it('a short page before the last is fetched again, then refused (never a silent partial list)', async () => {
    emu.knobs.shortPage = true;
    const before = count('/v1/employments');
    const err = await failure(client().list('/v1/employments', 'employments'));
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/page 2 of 3 has 50 of 100 records/);
    // Pages 1, 2, 3 and page 2 again.
    expect(count('/v1/employments') - before).toBe(4);
  });

  it('a total that disagrees with the walk is walked again once, then served as listed with a warning', async () => {
    emu.knobs.totalMismatch = true;
    const warnings: string[] = [];
    const before = count('/v1/timeoff');
    const list = await client({ onWarning: (m: string) => warnings.push(m) }).list('/v1/timeoff', 'timeoffs');
    expect(list).toHaveLength(emu.records.timeoffs.length);
    const pages = Math.ceil(emu.records.timeoffs.length / 100);
    expect(count('/v1/timeoff') - before).toBe(2 * pages);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`announced ${emu.records.timeoffs.length + 1} records`));
  });

  it('sends the token as Bearer; a refused token is final (401 → reauthentication_required)', async () => {
    const wrong = new RemoteClient(contextFor(emu.baseUrl, 'ra_test_not_the_token'), UNPACED);
    const err = await failure(wrong.list('/v1/employments', 'employments'));
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
    const none = createRemoteAdapter(contextFor(emu.baseUrl, ''), UNPACED);
    expect((await failure(none.verify())).options.code).toBe('incorrect_username_or_password');
  });

  it("paced to Remote's window: 12 requests against a 5-per-400 ms window never meet a 429", async () => {
    emu.knobs.rateLimit = { requests: 5, perMs: 400 };
    const paced = createRemoteAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), {
      // The same window, with a little slack so our clock and the emulator's never disagree by a request.
      rateLimit: { requests: 5, perMs: 450 },
      detailsMaxEmployees: 0,
    });
    const limitedBefore = emu.stats.rateLimited;
    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => paced.company()));
    expect(emu.stats.rateLimited - limitedBefore).toBe(0);
    // 24 requests (companies and countries) at 5 per 450 ms: at least four full windows waited.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 450 - 50);
  });

  it('passthrough answers the provider status and body with the connection auth', async () => {
    const adapter = createRemoteAdapter(contextFor(emu.baseUrl, emu.credentials.api_token), UNPACED);
    const res = await adapter.passthrough({ path: '/v1/employments', query: { page_size: '2' } });
    expect(res.status).toBe(200);
    expect((res.body as { data: { employments: unknown[] } }).data.employments).toHaveLength(2);
  });
});
