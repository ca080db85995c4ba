/** Personio's own faults (the shared knobs are in ../faults.test.ts): credentials, tokens, short pages, 500s. */
import { afterEach, describe, expect, it } from 'vitest';
import { createPersonioAdapter } from './adapter.js';
import { personioProvider } from './provider.js';
import { contextFor } from './test-support.js';
import { failure } from '../../testing/provider-failure.js';
import { closeEmulators, emulatorWithAdapter as setup, streamedEmployees } from './test-support.js';

afterEach(closeEmulators);

describe('personio faults', () => {
  it('bad credentials at verify → authentication incorrect_username_or_password', async () => {
    const { emu } = await setup();
    const adapter = personioProvider.connect(
      contextFor(emu.baseUrl, { client_id: emu.credentials.client_id, client_secret: 'wrong-secret-123' }),
    );
    const err = await failure(adapter.verify());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('incorrect_username_or_password');
    expect(emu.stats.dataCalls).toBe(0);
  });

  it('429 with Retry-After is retried and then succeeds', async () => {
    const { emu, adapter } = await setup({ knobs: { rateLimitEvery: 2, retryAfterSeconds: 1 } });
    const employees = await adapter.employees();
    expect(employees).toHaveLength(250);
    expect(emu.stats.dataCalls).toBeGreaterThan(3);
  });

  it('a 500 is not retried and maps to unavailable', async () => {
    const { emu, adapter } = await setup({ knobs: { failEvery: 1, status5xx: 500 } });
    const err = await failure(adapter.groups());
    expect(err.kind).toBe('unavailable');
    expect(emu.stats.dataCalls).toBe(1);
  });

  it('malformed JSON → bad_response', async () => {
    const { adapter } = await setup({ knobs: { malformedJson: true } });
    const err = await failure(adapter.timeOffEntries(null));
    expect(err.kind).toBe('bad_response');
  });

  it('a persistently short page in the middle → bad_response, never a silent partial list', async () => {
    const { adapter } = await setup({ knobs: { shortPage: true } });
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/has \d+ of 100 records and more follow/);
  });

  it('a short page once is fetched again and the list is complete', async () => {
    const { emu, adapter } = await setup({ knobs: { shortPage: 'once' } });
    const employees = await adapter.employees();
    expect(new Set(employees.map((e) => e.remote_id)).size).toBe(250);
    expect(emu.knobs.shortPage).toBe(false);
  });

  it('a total that disagrees with the records twice is a hint: served as Personio answers, with a warning', async () => {
    const warnings: string[] = [];
    const { emu, adapter } = await setup({ knobs: { totalSkew: 1 } }, { warn: (m) => warnings.push(m) });
    const employees = await adapter.employees();
    expect(new Set(employees.map((e) => e.remote_id)).size).toBe(250);
    expect(warnings).toEqual([
      'Personio company/employees announced 251 records and returned 250 in two walks; serving what it returned',
    ]);
    // Walked exactly twice: pages at 0, 100, 200 (the announced 251 needs no fourth page), each twice.
    expect(emu.stats.requests.filter((r) => r.startsWith('/v1/company/employees?')).length).toBe(6);
  });

  it('a total low by one: the walk goes past it and serves every record, with a warning', async () => {
    const warnings: string[] = [];
    const { adapter } = await setup(
      { employees: 200, knobs: { totalSkew: -1 } },
      { warn: (m) => warnings.push(m) },
    );
    expect(await adapter.employees()).toHaveLength(200);
    expect(warnings).toHaveLength(1);
  });

  it('two walks that disagree (the list changes while read) → bad_response, no list served', async () => {
    const warnings: string[] = [];
    const { emu, adapter } = await setup(
      { knobs: { shrinkEachWalk: true } },
      { warn: (m) => warnings.push(m) },
    );
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('bad_response');
    expect(err.message).toBe(
      'Personio company/employees announced 250 records; two walks returned 249 and 248',
    );
    expect(warnings).toEqual([]);
    // Once the list holds still, the next call is complete and quiet: nothing of the failed walks was kept.
    emu.knobs.shrinkEachWalk = false;
    expect(await adapter.employees()).toHaveLength(248);
    expect(warnings).toEqual([]);
  });

  it('streamed into a sink, the totals and short-page rules hold as for the whole list', async () => {
    const warnings: string[] = [];
    const skewed = await setup({ knobs: { totalSkew: 1 } }, { warn: (m) => warnings.push(m) });
    const served = await streamedEmployees(skewed.adapter);
    expect(served.list).toEqual(await skewed.adapter.employees());
    expect(served.list).toHaveLength(250);
    expect(warnings).toHaveLength(2);

    const shortOnce = await setup({ knobs: { shortPage: 'once' } });
    const complete = await streamedEmployees(shortOnce.adapter);
    expect(new Set(complete.list.map((e) => e.remote_id)).size).toBe(250);
    expect(shortOnce.emu.knobs.shortPage).toBe(false);

    const short = await setup({ knobs: { shortPage: true } });
    const shortErr = await failure(streamedEmployees(short.adapter));
    expect(shortErr.kind).toBe('bad_response');

    const shrinking = await setup({ knobs: { shrinkEachWalk: true } });
    const changed = await failure(streamedEmployees(shrinking.adapter));
    expect(changed.kind).toBe('bad_response');
  });

  it('short time-off page (page-number pagination) → bad_response', async () => {
    const { adapter } = await setup({ employees: 400, knobs: { shortPage: true } }, { pageSize: 50 });
    const err = await failure(adapter.timeOffEntries(null));
    expect(err.kind).toBe('bad_response');
  });

  it('an expired token (401 once) is refreshed through /auth and the call succeeds', async () => {
    const { emu, adapter } = await setup();
    await adapter.groups();
    expect(emu.stats.authCalls).toBe(1);
    emu.knobs.expireToken = true;
    expect((await adapter.groups()).length).toBeGreaterThan(0);
    expect(emu.stats.authCalls).toBe(2);
  });

  it('401 that survives a refresh → reauthentication_required', async () => {
    const { adapter, emu } = await setup();
    emu.knobs.expireToken = 'always';
    const err = await failure(adapter.employees());
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('credentials revoked after connecting → reauthentication_required (not incorrect password)', async () => {
    const { emu } = await setup();
    const adapter = createPersonioAdapter(
      contextFor(emu.baseUrl, { client_id: emu.credentials.client_id, client_secret: 'revoked-secret-1' }),
    );
    const err = await failure(adapter.employees());
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('403 → insufficient_permission, after one fresh-token retry', async () => {
    const { adapter, emu } = await setup({ knobs: { forbidden: true } });
    const err = await failure(adapter.timesheets(null));
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('insufficient_permission');
    expect(emu.stats.authCalls).toBe(2);
  });

  it('verify() with valid credentials but no employee permission → insufficient_permission', async () => {
    const { adapter } = await setup({ knobs: { forbidden: true } });
    const err = await failure(adapter.verify());
    expect(err.options.code).toBe('insufficient_permission');
  });
});
