/**
 * Smoke run against Prism serving Gusto's published spec, UNMODIFIED (Prism's YAML reader accepts the closing quotes
 * at column 0 that stricter parsers refuse; nothing is stripped or merged). Static mode: Gusto keeps its examples
 * in `x-examples`, which Prism does not read, so most answers are schema placeholders ("string" for names, dates and
 * amounts alike); a few schemas carry property examples (token info, time off). No pagination headers: lists are
 * walked until a short page. The adapter's base URL is the Prism root (the spec's paths start with `/v1`).
 *
 * What Prism's placeholders cannot give, and what the adapter answers instead (asserted below): identity, because the
 * token's owner ("8fdc31f0-…" from the example) is not among the placeholder admins ("string") → not_found; payslips,
 * because a payroll whose check date and pay period are "string" has no dates a payslip needs → bad_response.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipOrFailInCi } from '../../testing/skip.js';
import { ProviderError } from '../errors.js';
import { type GustoAdapter, createGustoAdapter } from './adapter.js';
import { type Prism, tryStartPrism } from '../../testing/prism.js';
import { assertContract } from '../../testing/unified.js';
import { GUSTO_SPEC_PATH, UNPACED, contextFor } from './test-support.js';

describe('Gusto adapter against Prism serving the published spec', () => {
  let prism: Prism | null = null;
  let why: string | null = null;
  let adapter: GustoAdapter;

  beforeAll(async () => {
    // The Gusto spec is 1.6 MB: Prism takes several seconds to read it on a busy machine.
    ({ prism, why } = await tryStartPrism(GUSTO_SPEC_PATH));
    if (prism) {
      adapter = createGustoAdapter(
        contextFor(prism.url, {
          access_token: 'prism-accepts-any-bearer-token',
          refresh_token: 'prism-never-asked-to-refresh',
          client_id: 'prism-client',
          client_secret: 'prism-secret',
        }),
        UNPACED,
      );
    }
  }, 70_000);
  afterAll(async () => {
    await prism?.stop();
  });

  const needPrism = (ctx: { skip: () => void }) => skipOrFailInCi(ctx, why, 'gusto prism smoke');

  it('verify() finds the company from the token; employees are contract-valid', async (ctx) => {
    needPrism(ctx);
    await adapter.verify();
    const employees = await adapter.employees();
    expect(employees.length).toBeGreaterThan(0);
    assertContract('/employees', employees);
    expect(employees[0]).toMatchObject({
      first_name: 'string',
      last_name: 'string',
      employment_status: 'inactive',
    });
  });

  it('company, groups, work locations, time off and payruns are contract-valid', async (ctx) => {
    needPrism(ctx);
    assertContract('/company', await adapter.company());
    assertContract('/groups', await adapter.groups());
    assertContract('/work-locations', await adapter.workLocations());
    const entries = await adapter.timeOffEntries(null);
    assertContract('/time-off-entries', entries);
    expect(entries[0]).toMatchObject({
      amount: 16,
      unit: 'hours',
      start_date: '2026-10-20',
      policy_type: 'vacation',
    });
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    expect(balances[0]).toMatchObject({ balance: 32, used: 8 });
    const payruns = await adapter.payruns({ start_date: '2025-01-01', end_date: '2025-12-31' });
    assertContract('/payruns', payruns);
    expect(payruns[0]).toMatchObject({ type: 'off_cycle', state: 'paid', payment_date: null });
  });

  it('placeholders the contract cannot carry: identity → not_found, payslips → bad_response', async (ctx) => {
    needPrism(ctx);
    const identity = await adapter.identity().catch((e: unknown) => e);
    expect(identity).toBeInstanceOf(ProviderError);
    expect((identity as ProviderError).kind).toBe('not_found');
    const payslips = await adapter.payslips('any-payroll').catch((e: unknown) => e);
    expect(payslips).toBeInstanceOf(ProviderError);
    expect((payslips as ProviderError).kind).toBe('bad_response');
  });

  it('passthrough reaches Prism with the bearer token and the version header it validates', async (ctx) => {
    needPrism(ctx);
    const res = await adapter.passthrough({ path: '/v1/token_info' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resource: { type: 'Company' } });
  });
});
