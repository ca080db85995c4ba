/** Edge cases of the BambooHR mappers that the emulator's tidy data does not reach. */
import { describe, expect, it } from 'vitest';
import { employeeIdFromLocation } from '../adapter.js';
import { assertUnified } from '../../../testing/unified.js';
import { toNewEmployeeBody } from './from-create-employee.js';
import { toEmployee, toEmploymentStatus, toEmploymentType } from './to-employee.js';
import { toPolicyType, toTimeOffStatus } from './to-time-off-entry.js';
import { toTimesheet } from './to-timesheet.js';
import { toDate, toTimestamp } from './values.js';

describe('bamboohr value normalisers', () => {
  it('BambooHR empty dates (0000-00-00) and impossible dates become null', () => {
    expect(toDate('0000-00-00')).toBeNull();
    expect(toDate('2025-02-30')).toBeNull();
    expect(toDate('')).toBeNull();
    expect(toDate('2025-02-28')).toBe('2025-02-28');
  });

  it('timestamps become UTC; a timestamp date takes its UTC day', () => {
    expect(toTimestamp('2025-03-01T01:30:00+09:00')).toBe('2025-02-28T16:30:00.000Z');
    expect(toDate('2025-03-01T01:30:00+09:00')).toBe('2025-02-28');
    expect(toTimestamp('not a time')).toBeNull();
  });
});

describe('bamboohr enum tables', () => {
  it('employment status and type', () => {
    expect(toEmploymentStatus('Active')).toBe('active');
    expect(toEmploymentStatus('Inactive')).toBe('inactive');
    expect(toEmploymentStatus('Terminated')).toBeNull();
    expect(toEmploymentType('Full-Time')).toBe('full_time');
    expect(toEmploymentType('part time')).toBe('part_time');
    expect(toEmploymentType('Contractor')).toBe('contractor');
    expect(toEmploymentType('Seasonal')).toBe('other');
    expect(toEmploymentType(null)).toBeNull();
  });

  it('time-off status and policy type', () => {
    expect(toTimeOffStatus('approved')).toBe('approved');
    expect(toTimeOffStatus('requested')).toBe('pending');
    expect(toTimeOffStatus('denied')).toBe('rejected');
    expect(toTimeOffStatus('canceled')).toBeNull();
    expect(toTimeOffStatus('superceded')).toBeNull();
    expect(toPolicyType('Jury Duty')).toBe('jury_duty');
    expect(toPolicyType('PTO')).toBe('vacation');
    expect(toPolicyType('Comp Time')).toBeNull();
  });
});

describe('bamboohr records with gaps', () => {
  it('an employee with restricted (null) fields is still a valid Employee', () => {
    const e = toEmployee(
      {
        employeeId: '9',
        firstName: 'Sam',
        lastName: 'Park',
        status: null,
        workEmail: null,
        hireDate: '0000-00-00',
        _restrictedFields: ['workEmail'],
      },
      { byId: new Map() },
    );
    assertUnified('employee', [e]);
    expect(e).toMatchObject({
      id: '9',
      work_email: null,
      start_date: null,
      employment_status: null,
      groups: [],
    });
    expect(e.custom_fields).toEqual({ _restrictedFields: ['workEmail'] });
  });

  it('an hour entry without hours derives nothing negative; a clock entry without hours uses start/end', () => {
    const hourOnly = toTimesheet({
      id: 1,
      employeeId: 2,
      hours: null,
      start: null,
      end: null,
      createdAt: '2025-01-01T00:00:00Z',
    });
    assertUnified('timesheet', [hourOnly], { tenths: ['hours_worked'] });
    expect(hourOnly.hours_worked).toBe(0);
    const clock = toTimesheet({
      id: 3,
      employeeId: 2,
      hours: null,
      start: '2025-01-02T09:00:00-07:00',
      end: '2025-01-02T17:30:00-07:00',
      createdAt: '2025-01-02T17:31:00-07:00',
    });
    expect(clock).toMatchObject({
      hours_worked: 8.5,
      start_time: '2025-01-02T16:00:00.000Z',
      remote_created_at: '2025-01-03',
    });
  });
});

describe('bamboohr create employee', () => {
  it('maps unified fields to BambooHR field names and drops unset ones', () => {
    expect(
      toNewEmployeeBody({
        first_name: 'Panda',
        last_name: 'Bear',
        gender: 'female',
        marital_status: 'not_specified',
        employment_status: 'active',
        employment_type: 'contractor',
        home_location: {
          street_address: '1 Main St',
          locality: 'Lindon',
          administrative_area: 'UT',
          country: 'US',
          post_code: '84042',
        },
        custom_fields: { firstName: 'ignored', shirtSize: 'M' },
      }),
    ).toEqual({
      firstName: 'Panda',
      lastName: 'Bear',
      gender: 'Female',
      status: 'Active',
      employmentHistoryStatus: 'Contractor',
      address1: '1 Main St',
      city: 'Lindon',
      state: 'UT',
      zipcode: '84042',
      country: 'US',
      shirtSize: 'M',
    });
  });

  it('reads the new id from the Location header', () => {
    expect(employeeIdFromLocation('https://acme.bamboohr.com/employees/employee.php?id=123')).toBe('123');
    expect(employeeIdFromLocation('https://acme.bamboohr.com/api/v1/employees/456')).toBe('456');
    expect(employeeIdFromLocation(undefined)).toBeNull();
  });
});
