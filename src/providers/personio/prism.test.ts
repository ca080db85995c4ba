import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Prism, tryStartPrism } from '../../testing/prism.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';
import { assertContract, type Unified, unifiedErrors } from '../../testing/unified.js';
import { createPersonioAdapter } from './adapter.js';
import { contextFor } from './test-support.js';

const prisms: Prism[] = [];
let skipReason: string | null = null;
let urls: { data: string; auth: string } | null = null;

beforeAll(async () => {
  const [data, auth] = await Promise.all([
    tryStartPrism(providerSpec('personio', 'personio-personnel-data-api-oa3.yaml')),
    tryStartPrism(providerSpec('personio', 'personio-auth-api.yaml')),
  ]);
  for (const run of [data, auth]) if (run.prism) prisms.push(run.prism);
  skipReason = data.why ?? auth.why;
  if (data.prism && auth.prism) urls = { data: data.prism.url, auth: auth.prism.url };
  if (skipReason) console.warn(`[personio prism smoke] skipped: ${skipReason}`);
}, 70_000);

afterAll(async () => {
  await Promise.all(prisms.map((p) => p.stop()));
});

function expectValid(schema: Unified, values: unknown[]) {
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) expect(unifiedErrors(schema, v)).toEqual([]);
}

describe('personio against Prism (published specs, unmodified)', () => {
  const warnings: string[] = [];
  const adapter = () => {
    if (!urls) throw new Error('no prism');
    return createPersonioAdapter(
      contextFor(urls.data, { client_id: 'prism-client', client_secret: 'prism-secret' }),
      {
        authBaseUrl: urls.auth,
        retries: 0,
        warn: (m) => warnings.push(m),
      },
    );
  };

  it('verify(), employees() and every other resource map the spec examples to schema-valid objects', async (ctx) => {
    skipOrFailInCi(ctx, skipReason, 'personio prism smoke');
    const a = adapter();
    await a.verify();
    const employees = await a.employees();
    expectValid('employee', employees);
    assertContract('/employees', employees);
    // Announced 2, listed 1, in both walks: served as Personio consistently answers, with a warning.
    expect(employees).toHaveLength(1);
    expect(warnings.some((w) => w.includes('company/employees announced 2 records and returned 1'))).toBe(
      true,
    );
    expect(employees[0]?.first_name).toBe('Alexander');
    expect(employees[0]?.work_email).toBe('alexander.bergmann@demo.email');
    expect(employees[0]?.bank_account?.iban).toBe('DE98 8989 9898 0000 8989 00');
    expectValid('company', await a.company());
    expectValid('group', await a.groups());
    expectValid('location', await a.workLocations());
    const timesheets = await a.timesheets({ start_date: '2017-01-01', end_date: '2017-01-31' });
    expectValid('timesheet', timesheets);
    assertContract('/timesheets', timesheets);
    const entries = await a.timeOffEntries(null);
    expectValid('time-off-entry', entries);
    assertContract('/time-off-entries', entries);
    const balances = await a.timeOffBalances();
    expectValid('time-off-balance', balances);
    assertContract('/time-off-balances', balances);
  });
});
