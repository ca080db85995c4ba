/**
 * Smoke run against Prism serving BambooHR's published spec, UNMODIFIED (Prism routes on the path keys, which
 * already start with /api/v1, so the base URL is Prism's root). Skipped, with the reason printed, if Prism does not
 * start within 20 s.
 *
 * Three things this test sets because of how Prism reads the spec, not because the adapter needs them for BambooHR:
 * - an OAuth access token: the spec lists only `oauth` on list-employees and list-locations, and Prism enforces
 *   that (a Basic request gets 401); with a token the client sends Bearer, which every operation accepts;
 * - `arrayStyle: 'repeat'`: Prism parses `fields` with OpenAPI's default `form, explode` style (repeated keys),
 *   while the spec's prose and example say comma-separated;
 * - `Prefer: example=batchByIds` on list-employees only: Prism's static first example claims `total: 2456` with a
 *   `nextCursor` it answers with the same page again, which the adapter rightly refuses as a cursor loop; the
 *   spec's other example is a complete, consistent list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.js';
import { createBambooHrAdapter } from './adapter.js';
import { type Prism, tryStartPrism } from '../../testing/prism.js';
import { providerContext } from '../../testing/provider-context.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { assertUnified } from '../../testing/unified.js';
import { skipOrFailInCi } from '../../testing/skip.js';

const SPEC = providerSpec('bamboohr', 'public.yaml');
let prism: Prism | null = null;
let baseUrl = '';
let whyNot: string | null = null;

beforeAll(async () => {
  ({ prism, why: whyNot } = await tryStartPrism(SPEC));
  baseUrl = prism?.url ?? '';
  if (whyNot) console.warn(`[bamboohr prism smoke] skipped. ${whyNot}`);
}, 70_000);

afterAll(async () => {
  await prism?.stop();
});

function adapter(credentials: Record<string, string>) {
  return createBambooHrAdapter(
    providerContext({
      connectionId: 'con_prism',
      credentials: { company_domain: 'companySubDomain', ...credentials },
      baseUrl,
    }),
    {
      arrayStyle: 'repeat',
      headersFor: (path): Record<string, string> =>
        path.startsWith('api/v1/employees?') ? { prefer: 'example=batchByIds' } : {},
    },
  );
}

describe('bamboohr adapter against Prism serving the published spec', () => {
  it('verify, company, employees, groups, locations, time off, balances and timesheets are schema-valid', async (ctx) => {
    skipOrFailInCi(ctx, whyNot, 'bamboohr prism smoke');
    const withKey = adapter({ api_key: 'prism-key' });
    await withKey.verify();
    const [company] = await withKey.company();
    assertUnified('company', [company]);
    expect(company?.legal_name).toBe('BambooHR');

    // Basic is refused where the spec lists only oauth: the error is the documented one, not a crash.
    const refused = await withKey.employees().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProviderError);
    expect((refused as ProviderError).options.code).toBe('reauthentication_required');

    const withToken = adapter({ access_token: 'prism-token' });
    await withToken.verify();
    const employees = await withToken.employees();
    expect(employees.map((e) => e.id)).toEqual(['200', '207']);
    for (const e of employees) assertUnified('employee', [e]);
    expect(employees[1]).toMatchObject({
      first_name: 'Marco',
      last_name: 'Lee',
      employment_status: 'inactive',
    });

    for (const g of await withToken.groups()) assertUnified('group', [g]);
    const locations = await withToken.workLocations();
    expect(locations.length).toBeGreaterThan(0);
    for (const l of locations) assertUnified('location', [l]);

    const range = { start_date: '2025-01-01', end_date: '2025-12-31' };
    const entries = await withToken.timeOffEntries(range);
    expect(entries.length).toBeGreaterThan(0);
    for (const t of entries) assertUnified('time-off-entry', [t], { tenths: ['amount'] });

    const balances = await withToken.timeOffBalances();
    expect(balances.length).toBe(2);
    for (const b of balances) assertUnified('time-off-balance', [b]);
    expect(balances[0]).toMatchObject({ employee_id: '200', balance: 24.5, used: 12.25 });

    const sheets = await withToken.timesheets(null);
    expect(sheets.length).toBeGreaterThan(0);
    for (const s of sheets) assertUnified('timesheet', [s], { tenths: ['hours_worked'] });
  }, 30_000);
});
