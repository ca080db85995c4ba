/** Deputy employees, operational units and timesheets → the contract's objects. */
import { describe, expect, it } from 'vitest';
import { assertValid, dataSchemaName } from '../../../testing/affix-spec.js';
import { generate } from '../emulator/data.js';
import { toEmployee, toGroup, toTimesheet } from './to-unified.js';

describe('Deputy mappers', () => {
  const data = generate({ employees: 25, seed: 3, today: new Date('2026-06-15T00:00:00Z') });

  it('every seeded employee maps to a contract-valid Employee', () => {
    const employees = data.employees.map((e) =>
      toEmployee({ ...e, ContactObject: data.contacts.get(e.Contact ?? 0) ?? null }),
    );
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), employees);
    expect(employees[0]?.manager).toBeNull();
    expect(employees[1]?.manager?.remote_id).toBe('100');
  });

  it('active flag, termination date, gender codes and a row with almost nothing', () => {
    expect(toEmployee({ Id: 1, Active: true }).employment_status).toBe('active');
    expect(toEmployee({ Id: 1, Active: false }).employment_status).toBe('inactive');
    expect(toEmployee({ Id: 1, Active: true, TerminationDate: '2026-01-31' })).toMatchObject({
      employment_status: 'inactive',
      termination_date: '2026-01-31',
    });
    expect([1, 2, 3, 0, null].map((g) => toEmployee({ Id: 1, Gender: g }).gender)).toEqual([
      'male',
      'female',
      'not_specified',
      'not_specified',
      null,
    ]);
    const bare = toEmployee({ Id: 7 });
    assertValid(dataSchemaName('xhr', '/employees', 'get', '200'), [bare]);
    expect([bare.id, bare.first_name, bare.work_location]).toEqual(['7', '', null]);
  });

  it('operational units → department groups', () => {
    const groups = data.units.map(toGroup);
    assertValid(dataSchemaName('xhr', '/groups', 'get', '200'), groups);
    expect(groups[0]).toEqual({ id: '1', remote_id: '1', name: 'Front of House (BBC)', type: 'department' });
  });

  it('timesheets: Unix seconds → ISO times, hours rounded to 0.1', () => {
    const sheets = data.timesheets.map(toTimesheet);
    assertValid(dataSchemaName('xhr', '/timesheets', 'get', '200'), sheets);
    expect(
      toTimesheet({ Id: 1, Employee: 2, StartTime: 1_767_225_600, EndTime: 1_767_254_400, TotalTime: 7.46 }),
    ).toMatchObject({
      start_time: '2026-01-01T00:00:00.000Z',
      end_time: '2026-01-01T08:00:00.000Z',
      hours_worked: 7.5,
      employee_remote_id: '2',
    });
  });
});
