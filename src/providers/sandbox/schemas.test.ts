import { describe, expect, it } from 'vitest';
import { memoryConnectionState } from '../../testing/memory-state.js';
import { type Unified, unifiedErrors } from '../../testing/unified.js';
import type { ProviderAdapter } from '../types.js';
import { sandboxProvider } from './provider.js';

function expectAll(unified: Unified, values: readonly unknown[]): void {
  expect(values.length).toBeGreaterThan(0);
  for (const v of values) expect(unifiedErrors(unified, v)).toEqual([]);
}

describe.each([1, 60])('sandbox data passes the unified schemas (%i employees)', (employees) => {
  const adapter: ProviderAdapter = sandboxProvider.connect({
    connectionId: `con_schema_${employees}`,
    mode: 'xhr',
    credentials: { username: 'demo@example.com', password: 'x' },
    settings: { employees, asOf: '2025-06-01' },
    state: memoryConnectionState(),
    requireTls: false,
  });

  it('company, identity, groups, work locations', async () => {
    expectAll('company', (await adapter.company?.()) ?? []);
    expectAll('identity', [await adapter.identity?.()]);
    expectAll('group', (await adapter.groups?.()) ?? []);
    expectAll('location', (await adapter.workLocations?.()) ?? []);
  });

  it('employees', async () => {
    expectAll('employee', (await adapter.employees?.()) ?? []);
  });

  it('payruns and the payslips of every payrun', async () => {
    const payruns = (await adapter.payruns?.({ start_date: '2000-01-01', end_date: '2100-01-01' })) ?? [];
    expectAll('payrun', payruns);
    for (const p of payruns) expectAll('payslip', (await adapter.payslips?.(p.id)) ?? []);
  });

  it('time-off entries, balances and timesheets', async () => {
    if (employees > 1) {
      expectAll('time-off-entry', (await adapter.timeOffEntries?.(null)) ?? []);
      expectAll('timesheet', (await adapter.timesheets?.(null)) ?? []);
    }
    expectAll('time-off-balance', (await adapter.timeOffBalances?.()) ?? []);
  });

  it('a created employee', async () => {
    const all = (await adapter.employees?.()) ?? [];
    const created = await adapter.createEmployee?.({ first_name: 'Ada', last_name: 'Lovelace' });
    expectAll('employee', [created]);
    const full = await adapter.createEmployee?.({
      first_name: 'Grace',
      last_name: 'Hopper',
      manager: { id: all[0]!.id, remote_id: null, first_name: null, last_name: null, work_email: null },
      groups: [{ id: 'grp_unknown', remote_id: null, name: 'Navy', type: 'team' }],
      compensation_history: [
        {
          pay_rate: 90000,
          pay_period: 'year',
          pay_frequency: 'monthly',
          employment_type: 'full_time',
          currency: 'usd',
          effective_date: '2025-01-01',
          notes: 'hired',
        },
      ],
    });
    expectAll('employee', [full]);
  });
});
