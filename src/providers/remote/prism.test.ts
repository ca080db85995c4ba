/**
 * Smoke run against Prism serving Remote's published spec (static mode answers with the spec's own examples), with
 * ONE edit to the temp copy (the vendored file stays as published): the `example: !!binary |-` tag (a PDF example,
 * line 11789) becomes `example: |-`; Prism's YAML parser fails on `!!binary` ("data.replace is not a function"), as
 * it does on Deel's spec. Nothing the adapter reads is touched.
 *
 * Proves the adapter speaks the real spec's dialect, not only our emulator's, including where the spec contradicts
 * itself (README "Prism"): the employments and time-off list examples have no `data` wrapper (their schemas have
 * one), the companies example has one (its schema has not), the balance example says `leave_entitlements` (its
 * schema `timeoff_entitlements`); all are read. Prism checks the OAuth2 security scheme: the token goes as Bearer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Prism, tryStartPrism } from '../../testing/prism.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';
import { assertContract } from '../../testing/unified.js';
import { createRemoteAdapter, type RemoteAdapter } from './adapter.js';
import { contextFor } from './test-support.js';

const SPEC = providerSpec('remote', 'openapi.yaml');

describe('Remote adapter against Prism serving the published spec', () => {
  let prism: Prism | null = null;
  let why = '';
  let adapter: RemoteAdapter;

  beforeAll(async () => {
    const run = await tryStartPrism(SPEC, {
      edit: (text) => text.replaceAll('example: !!binary |-', 'example: |-'),
    });
    prism = run.prism;
    if (!prism) {
      why = run.why ?? 'prism did not start';
      return;
    }
    adapter = createRemoteAdapter(contextFor(prism.url, 'ra_test_prism_checks_only_that_a_token_is_sent'), {
      retries: 0,
    });
  }, 70_000);

  afterAll(async () => {
    await prism?.stop();
  });

  const needPrism = (ctx: { skip: () => void }) => skipOrFailInCi(ctx, why || null, 'remote prism smoke');

  it('verify() and company() from the spec examples', async (ctx) => {
    needPrism(ctx);
    await adapter.verify();
    const company = await adapter.company();
    assertContract('/company', company);
    expect(company).toHaveLength(1);
    expect(company[0]).toMatchObject({
      legal_name: 'Your Company Name',
      // The countries example lists Portugal only, so the company's USA stays unknown: null, never invalid.
      address: { locality: 'San Francisco', country: null },
    });
  });

  it('groups and time off entries are contract-valid', async (ctx) => {
    needPrism(ctx);
    const groups = await adapter.groups();
    assertContract('/groups', groups);
    expect(groups.map((g) => g.name)).toEqual(['Marketing']);
    const entries = await adapter.timeOffEntries(null);
    assertContract('/time-off-entries', entries);
  });

  it('employees and balances from the examples: Jane Smith, her two entitlements', async (ctx) => {
    needPrism(ctx);
    const employees = await adapter.employees();
    assertContract('/employees', employees);
    expect(employees).toHaveLength(1);
    // The list example and the details example are different people; the list wins for what it has.
    expect(employees[0]).toMatchObject({ first_name: 'Jane', last_name: 'Smith', job_title: 'Engineer' });
    const balances = await adapter.timeOffBalances();
    assertContract('/time-off-balances', balances);
    expect(balances.map((b) => [b.policy_name, b.balance])).toEqual([
      ['Annual paid time off', 25],
      ['Extra days for good performance', 3],
    ]);
  });
});
