/**
 * Smoke run against Prism serving HiBob's published spec UNMODIFIED (static mode: the spec's examples, or values
 * Prism makes up from the schemas where there are none). Proves the adapter speaks the real spec's dialect, not only
 * our emulator's. Prism routes on the spec's path keys without the servers' `/v1`, so the base URL is Prism's root.
 *
 * What the spec makes of it: the people search example is one employee split into one-field objects (only one
 * of them carries an `id`); the bulk salaries table has no example, and Prism invents a constant cursor
 * (`"string"`) that the client rightly refuses as a loop, so employees are read here without compensation
 * (asserted below), and compensation is covered by the emulator and the mappers test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';
import { ProviderError } from '../errors.js';
import { createHibobAdapter, type HibobAdapter } from './adapter.js';
import { type Prism, startPrism } from '../../testing/prism.js';
import { assertContract } from '../../testing/unified.js';
import { providerContext, UNPACED } from './test-support.js';

const SPEC = providerSpec('hibob', 'hibob-public-api.generated.yml');

describe('HiBob adapter against Prism serving the published spec', () => {
  let prism: Prism | undefined;
  let why = '';
  let adapter: HibobAdapter;
  let withCompensation: HibobAdapter;

  beforeAll(async () => {
    try {
      prism = await startPrism(SPEC);
    } catch (err) {
      why = String(err);
      return;
    }
    // Prism checks that a Basic header is there, not what it holds.
    const ctx = () =>
      providerContext({
        baseUrl: prism?.url,
        credentials: { service_user_id: 'SERVICE-1', token: 'prism-token' },
      });
    adapter = createHibobAdapter(ctx(), { ...UNPACED, compensation: false });
    withCompensation = createHibobAdapter(ctx(), UNPACED);
  }, 70_000);

  afterAll(async () => {
    await prism?.stop();
  });

  const needPrism = (ctx: { skip: () => void }) =>
    skipOrFailInCi(ctx, prism ? null : why, 'hibob prism smoke');

  it('verify() and employees(): the example’s one employee with an id, contract-valid', async (ctx) => {
    needPrism(ctx);
    await adapter.verify();
    const employees = await adapter.employees();
    assertContract('/employees', employees);
    expect(employees.map((e) => e.id)).toEqual(['3332883884017713938']);
    expect(employees[0]?.compensation_history).toBeNull();
  });

  it('company(), groups(), workLocations(), timeOffEntries() and timeOffBalances() are contract-valid', async (ctx) => {
    needPrism(ctx);
    const companies = await adapter.company();
    assertContract('/company', companies);
    const groups = await adapter.groups();
    assertContract('/groups', groups);
    // Prism's made-up list nests three levels deep: every level is a group.
    expect(groups).toHaveLength(3);
    const locations = await adapter.workLocations();
    assertContract('/work-locations', locations);
    const entries = await adapter.timeOffEntries({ start_date: '2019-01-01', end_date: '2019-12-31' });
    assertContract('/time-off-entries', entries);
    expect(entries.length).toBeGreaterThan(0);
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    expect(balances.map((b) => [b.employee_id, b.policy_id])).toEqual([['3332883884017713938', 'string']]);
  });

  it('with compensation, the invented salaries cursor is refused instead of looping', async (ctx) => {
    needPrism(ctx);
    const err = await withCompensation.employees().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(/repeated a cursor/);
  });

  it('passthrough returns the status and the parsed body', async (ctx) => {
    needPrism(ctx);
    const res = await adapter.passthrough({ path: '/timeoff/policy-types' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ policyTypes: ['string'] });
  });
});
