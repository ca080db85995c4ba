/** The client's own logic: OAuth refresh (single flight, sealed state, rotation) and the cursor walk's checks. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../testing/provider-failure.js';
import { createFactorialAdapter } from './adapter.js';
import { FACTORIAL_RESOURCES, FactorialClient } from './client.js';
import { DEFAULT_KNOBS, type FactorialEmulator, startEmulator } from './emulator/server.js';
import { memoryState } from '../../testing/provider-context.js';
import { apiKeyOf, contextFor, oauthOf } from './test-support.js';

describe('Factorial client', () => {
  let emu: FactorialEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ employees: 250, seed: 5 });
  });
  afterEach(() => Object.assign(emu.knobs, DEFAULT_KNOBS));
  afterAll(() => emu.close());

  it('sends the API key as x-api-key and reads every cursor page once', async () => {
    const before = emu.stats.byPath.get('employees/employees') ?? 0;
    const client = new FactorialClient(contextFor(emu.baseUrl, apiKeyOf(emu)));
    const people = await client.list<{ id: string }>('employees/employees', {
      only_active: false,
      only_managers: false,
    });
    expect(people.map((p) => p.id)).toEqual(emu.records.employees.map((e) => e.id));
    expect((emu.stats.byPath.get('employees/employees') ?? 0) - before).toBe(3);
  });

  it('an API key Factorial refuses is final: 401 → reauthentication_required, no token refresh', async () => {
    const client = new FactorialClient(contextFor(emu.baseUrl, { api_key: 'fk_not_the_key_0000' }));
    const err = await failure(client.list('teams/teams'));
    expect(err.options.code).toBe('reauthentication_required');
    expect(client.refreshes).toBe(0);
  });

  it('two concurrent requests meeting an expired access token refresh it once; the new pair is kept in state', async () => {
    const state = memoryState();
    const ctx = contextFor(emu.baseUrl, oauthOf(emu), state);
    const client = new FactorialClient(ctx);
    await client.list('teams/teams');
    emu.expireAccessTokens();
    const before = emu.stats.tokenRefreshes;
    const [teams, locations] = await Promise.all([
      client.list('teams/teams'),
      client.list('locations/locations'),
    ]);
    expect(teams).toHaveLength(emu.records.teams.length);
    expect(locations).toHaveLength(emu.records.locations.length);
    expect(emu.stats.tokenRefreshes - before).toBe(1);
    expect(client.refreshes).toBe(1);
    const saved = state.data.get('factorial.oauth') as { access_token: string; refresh_token: string };
    expect(saved.access_token).not.toBe(emu.credentials.access_token);
    // Rotated: the refresh token of the credentials was spent.
    expect(saved.refresh_token).not.toBe(emu.credentials.refresh_token);

    // A later adapter of the same connection starts from the saved pair, without refreshing again.
    const later = createFactorialAdapter(ctx);
    expect(await later.groups()).toHaveLength(emu.records.teams.length);
    expect(emu.stats.tokenRefreshes - before).toBe(1);
  });

  it('an adapter meeting a token another adapter of the connection already replaced adopts it (no refresh)', async () => {
    // Its own emulator: the shared one's first refresh token was spent (rotated) by the test above.
    const own = await startEmulator({ employees: 5, seed: 6 });
    try {
      const state = memoryState();
      const a = new FactorialClient(contextFor(own.baseUrl, oauthOf(own), state));
      const b = new FactorialClient(contextFor(own.baseUrl, oauthOf(own), state));
      await Promise.all([a.list('teams/teams'), b.list('teams/teams')]);
      own.expireAccessTokens();
      await a.list('teams/teams');
      expect(a.refreshes).toBe(1);
      // b still holds the expired token: its 401 finds the replacement in the shared state.
      await b.list('teams/teams');
      expect(b.refreshes).toBe(0);
      expect(own.stats.tokenRefreshes).toBe(1);
    } finally {
      await own.close();
    }
  });

  it('a refused refresh token → reauthentication_required', async () => {
    const client = new FactorialClient(
      contextFor(emu.baseUrl, { ...oauthOf(emu), refresh_token: 'frt_spent_or_revoked' }),
    );
    emu.expireAccessTokens();
    const err = await failure(client.list('teams/teams'));
    expect(err.kind).toBe('authentication');
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('an access token without refresh details is used as it is; once refused → reauthentication_required', async () => {
    const client = new FactorialClient(contextFor(emu.baseUrl, { access_token: 'fat_unknown_token' }));
    const err = await failure(client.list('teams/teams'));
    expect(err.options.code).toBe('reauthentication_required');
  });

  it('a short page while more follow is fetched again, then refused (never a silent partial list)', async () => {
    emu.knobs.shortPage = true;
    const before = emu.stats.byPath.get('employees/employees') ?? 0;
    const client = new FactorialClient(contextFor(emu.baseUrl, apiKeyOf(emu)));
    const err = await failure(
      client.list('employees/employees', { only_active: false, only_managers: false }),
    );
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/page 2 has 50 of 100 records/);
    // Page 1, page 2, page 2 again.
    expect((emu.stats.byPath.get('employees/employees') ?? 0) - before).toBe(3);
  });

  it('a total that disagrees with the walk is walked again once, then served as listed with a warning', async () => {
    emu.knobs.totalMismatch = true;
    const warnings: string[] = [];
    const client = new FactorialClient(contextFor(emu.baseUrl, apiKeyOf(emu)), {
      onWarning: (m) => warnings.push(m),
    });
    const before = emu.stats.byPath.get('teams/teams') ?? 0;
    const teams = await client.list('teams/teams');
    expect(teams).toHaveLength(emu.records.teams.length);
    expect((emu.stats.byPath.get('teams/teams') ?? 0) - before).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/announced 9 records and returned 8 in two walks/);
  });

  it('verify: wrong or missing credentials → incorrect_username_or_password', async () => {
    const wrong = createFactorialAdapter(contextFor(emu.baseUrl, { api_key: 'fk_wrong_wrong_wrong' }));
    expect((await failure(wrong.verify())).options.code).toBe('incorrect_username_or_password');
    const none = createFactorialAdapter(contextFor(emu.baseUrl, {}));
    expect((await failure(none.verify())).options.code).toBe('incorrect_username_or_password');
    await createFactorialAdapter(contextFor(emu.baseUrl, apiKeyOf(emu))).verify();
  });

  it('passthrough answers the provider status and body with the connection auth', async () => {
    const adapter = createFactorialAdapter(contextFor(emu.baseUrl, apiKeyOf(emu)));
    const res = await adapter.passthrough({
      path: `${FACTORIAL_RESOURCES}/teams/teams`,
      query: { limit: '2' },
    });
    expect(res.status).toBe(200);
    expect((res.body as { data: unknown[] }).data).toHaveLength(2);
  });
});
