/**
 * Smoke run against Prism serving Deel's published spec (static mode: answers with the spec's examples). Proves the
 * adapter speaks the real spec's dialect, not only our emulator's.
 *
 * Edits to the temp copy of the spec: the two `example: !!binary |-` tags become `example: |-` (Prism's YAML
 * parser fails on them; see shared/reference/providers/SOURCES.md). Nothing else. Prism routes on the spec's
 * path keys without the servers' `/rest/v2`, so the adapter's base URL is the bare Prism root.
 *
 * Not called here: time offs and /groups, whose examples repeat one cursor forever (`next: "next"`,
 * `cursor: "cursor"`), which the client rightly refuses as a broken cursor (asserted below); payslips, whose
 * example payroll event id is not the uuid the G2N path parameter requires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../errors.js';
import { createDeelAdapter, type DeelAdapter } from './adapter.js';
import { contextFor, UNPACED } from './test-support.js';
import { type Prism, tryStartPrism } from '../../testing/prism.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { assertUnified } from '../../testing/unified.js';
import { skipOrFailInCi } from '../../testing/skip.js';

const SPEC = providerSpec('deel', 'openapi.yaml');

describe('Deel adapter against Prism serving the published spec', () => {
  let prism: Prism | null = null;
  let why: string | null = null;
  let adapter: DeelAdapter;

  beforeAll(async () => {
    ({ prism, why } = await tryStartPrism(SPEC, {
      edit: (text) => text.replaceAll('example: !!binary |-', 'example: |-'),
    }));
    if (!prism) return;
    adapter = createDeelAdapter(contextFor(prism.url, 'prism-accepts-any-bearer-token'), UNPACED);
  }, 70_000);

  afterAll(async () => {
    await prism?.stop();
  });

  const needPrism = (ctx: { skip: () => void }) => {
    skipOrFailInCi(ctx, prism ? null : why, 'deel prism smoke');
  };

  it('verify() and employees() give schema-valid unified objects', async (ctx) => {
    needPrism(ctx);
    await adapter.verify();
    const employees = await adapter.employees();
    expect(employees.length).toBeGreaterThan(0);
    assertUnified('employee', employees);
    expect(employees[0]).toMatchObject({ first_name: 'John', last_name: 'Doe', nationality: 'American' });
  });

  it('company(), identity(), workLocations(), timesheets() and payruns() are schema-valid', async (ctx) => {
    needPrism(ctx);
    assertUnified('company', await adapter.company());
    assertUnified('identity', [await adapter.identity()]);
    assertUnified('location', await adapter.workLocations());
    const sheets = await adapter.timesheets(null);
    expect(sheets.length).toBeGreaterThan(0);
    assertUnified('timesheet', sheets);
    assertUnified('payrun', await adapter.payruns({ start_date: '2022-01-01', end_date: '2022-12-31' }));
  });

  it('a cursor the provider repeats is refused instead of looping (time offs example)', async (ctx) => {
    needPrism(ctx);
    const err = await adapter.timeOffEntries(null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_response');
  });

  it('client.raw() passes a request through and returns the status and parsed body', async (ctx) => {
    needPrism(ctx);
    const res = await adapter.client.raw({ path: '/organizations' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [{ id: '00000000-0000-0000-0000-000000000000', name: 'Example Organization' }],
    });
  });
});
