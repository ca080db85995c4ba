/** greytHR directory rows and payroll months → the contract's objects. */
import { describe, expect, it } from 'vitest';
import { assertValid, dataSchemaName } from '../../../testing/affix-spec.js';
import { generate } from '../emulator/data.js';
import { employmentStatus, toEmployee } from './to-employee.js';
import { toPayrun } from './to-payroll.js';

describe('greytHR mappers', () => {
  const data = generate({ employees: 25, seed: 3, today: new Date('2026-06-15T00:00:00Z') });

  it('every seeded employee maps to a contract-valid Employee', () => {
    const employees = data.employees.map(toEmployee);
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), employees);
    const first = employees[0];
    expect(first?.remote_id).toBe(String(data.employees[0]?.employeeId));
    expect(first?.work_location?.address?.country).toBe('IN');
  });

  it('status words: employed, gone, not yet started, unknown', () => {
    expect(['Active', 'Probation', 'Notice Period'].map(employmentStatus)).toEqual([
      'active',
      'active',
      'active',
    ]);
    expect(['Resigned', 'Terminated'].map(employmentStatus)).toEqual(['inactive', 'inactive']);
    expect(employmentStatus('Yet to Join')).toBe('pending');
    expect(employmentStatus('Sabbatical')).toBeNull();
  });

  it('a name without first/last parts splits on the first space', () => {
    const e = toEmployee({ employeeId: 9, name: 'Ravi Kumar Sharma' });
    expect([e.first_name, e.last_name, e.display_full_name]).toEqual([
      'Ravi',
      'Kumar Sharma',
      'Ravi Kumar Sharma',
    ]);
  });

  it('months → regular payruns; unreleased ones are pending', () => {
    const runs = data.months.map(toPayrun);
    assertValid(dataSchemaName('xhr', '/payruns', 'get', '200'), runs);
    expect(runs[0]).toMatchObject({
      type: 'regular',
      state: 'paid',
      start_date: '2025-06-01',
      end_date: '2025-06-30',
    });
    expect(toPayrun({ id: 1, released: false }).state).toBe('pending');
  });
});
