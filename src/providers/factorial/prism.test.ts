/**
 * Smoke run against Prism serving Factorial's published spec (the vendored excerpt; static mode answers with the
 * spec's own examples). Proves the adapter speaks the real spec's dialect, not only our emulator's.
 *
 * Two edits, made to a temp copy only (the vendored file stays as published; README "Prism"):
 * - merged: an `example` on `_paged_index_meta` (`has_next_page: false`, `total: 1`). The schema has no examples,
 *   so Prism invents `has_next_page: true` with `end_cursor: "string"` on every page, a cursor that never advances,
 *   which the client rightly refuses (asserted below against the unmerged copy).
 * - stripped: `required: true` on `job_catalog_tree_node_uuids[]` of `GET contracts/contract_versions`. It is a
 *   filter ("filtering with other node types will return no results"); sending it would hide contracts, so the
 *   client never does, and Prism would answer 422 to every contract listing.
 * Prism checks the security schemes: the adapter connects with an API key (`x-api-key`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { type Prism, tryStartPrism } from '../../testing/prism.js';
import { providerSpec } from '../../testing/provider-specs.js';
import { skipOrFailInCi } from '../../testing/skip.js';
import { ProviderError } from '../errors.js';
import { createFactorialAdapter, type FactorialAdapter } from './adapter.js';
import { FACTORIAL_RESOURCES } from './client.js';
import { assertContract } from '../../testing/unified.js';
import { contextFor } from './test-support.js';

const SPEC = providerSpec('factorial', 'oas-2026-07-01.excerpt.yaml');

type Json = Record<string, unknown>;

/** The temp copy's two edits (see the file comment); nothing else changes. */
function testCopy(text: string): string {
  const doc = YAML.parse(text) as {
    paths: Record<string, { get: { parameters: Array<Json & { name: string }> } }>;
    components: { schemas: Record<string, Json> };
  };
  const meta = doc.components.schemas['_paged_index_meta'];
  if (!meta) throw new Error('the spec lost _paged_index_meta');
  meta['example'] = { has_previous_page: false, has_next_page: false, limit: 100, total: 1 };
  const contracts = doc.paths[`${FACTORIAL_RESOURCES}/contracts/contract_versions`]?.get.parameters ?? [];
  const filter = contracts.find((p) => p.name === 'job_catalog_tree_node_uuids[]');
  if (!filter) throw new Error('the spec lost the job_catalog_tree_node_uuids[] filter');
  delete filter['required'];
  return YAML.stringify(doc);
}

describe('Factorial adapter against Prism serving the published spec', () => {
  const prisms: Prism[] = [];
  let why = '';
  let adapter: FactorialAdapter;
  let unmerged: FactorialAdapter;

  beforeAll(async () => {
    const [a, b] = await Promise.all([tryStartPrism(SPEC, { edit: testCopy }), tryStartPrism(SPEC)]);
    for (const run of [a, b]) if (run.prism) prisms.push(run.prism);
    if (!a.prism || !b.prism) {
      why = a.why ?? b.why ?? '';
      return;
    }
    const creds = { api_key: 'prism-checks-only-that-a-key-is-sent' };
    adapter = createFactorialAdapter(contextFor(a.prism.url, creds), { retries: 0 });
    unmerged = createFactorialAdapter(contextFor(b.prism.url, creds), { retries: 0 });
  }, 70_000);

  afterAll(async () => {
    await Promise.all(prisms.map((p) => p.stop()));
  });

  const needPrism = (ctx: { skip: () => void }) => skipOrFailInCi(ctx, why || null, 'factorial prism smoke');

  it('verify() and employees() give contract-valid employees from the spec examples', async (ctx) => {
    needPrism(ctx);
    await adapter.verify();
    const employees = await adapter.employees();
    assertContract('/employees', employees);
    expect(employees).toHaveLength(1);
    expect(employees[0]).toMatchObject({
      remote_id: '2',
      first_name: 'Ana',
      last_name: 'Blanco Perez',
      // The spec's example contract version belongs to employee 1, not to the example employee 2.
      job_title: null,
      work_location: { name: 'Barcelona Office' },
      manager: { remote_id: '1' },
    });
  });

  it('every other resource is contract-valid', async (ctx) => {
    needPrism(ctx);
    assertContract('/company', await adapter.company());
    assertContract('/groups', await adapter.groups());
    assertContract('/work-locations', await adapter.workLocations());
    const entries = await adapter.timeOffEntries({ start_date: '2028-09-01', end_date: '2028-09-30' });
    expect(entries).toHaveLength(1);
    assertContract('/time-off-entries', entries);
    assertContract('/time-off-balances', await adapter.timeOffBalances());
    const sheets = await adapter.timesheets({ start_date: '2023-09-30', end_date: '2023-10-01' });
    expect(sheets).toHaveLength(1);
    assertContract('/timesheets', sheets);
  });

  it('against the unmerged spec, the never-advancing example cursor is refused instead of looping', async (ctx) => {
    needPrism(ctx);
    const err = await unmerged.groups().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe('bad_response');
  });
});
