/** Mapper edge cases the emulator's data does not reach: time zones, odd dates, enum tables, request mapping. */
import { describe, expect, it } from 'vitest';
import { calendarDate, instantIso, localToUtcMs } from '../../dates.js';
import { decodeOpaqueId, opaqueId } from './ids.js';
import { mapEmploymentType, mapGender, mapSalaryInterval, mapStatus } from './to-employee.js';
import { toPersonioEmployee } from './to-personio-employee.js';
import { toTimesheet } from './to-timesheet.js';
import { mapPolicyType, mapTimeOffStatus } from './to-time-off-entry.js';

describe('personio dates', () => {
  it('keeps the local calendar day of a midnight-with-offset date (regression: UTC conversion moved it back)', () => {
    expect(calendarDate('2014-11-09T00:00:00+01:00')).toBe('2014-11-09');
    expect(calendarDate('2021-01-01')).toBe('2021-01-01');
    expect(calendarDate('2017-12-79T00:00:00+0100')).toBeNull();
    expect(calendarDate(null)).toBeNull();
  });

  it('parses instants with colon-less offsets into UTC', () => {
    expect(instantIso('2017-01-17T10:32:18+0100')).toBe('2017-01-17T09:32:18.000Z');
    expect(instantIso('not a date')).toBeNull();
  });

  it('converts Berlin wall time to UTC on both sides of DST', () => {
    expect(new Date(localToUtcMs('2026-01-15', '09:00', 'Europe/Berlin') ?? 0).toISOString()).toBe(
      '2026-01-15T08:00:00.000Z',
    );
    expect(new Date(localToUtcMs('2026-07-15', '09:00', 'Europe/Berlin') ?? 0).toISOString()).toBe(
      '2026-07-15T07:00:00.000Z',
    );
    expect(new Date(localToUtcMs('2026-03-29', '03:30', 'Europe/Berlin') ?? 0).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('an overnight attendance ends the next day; an open one has no end and 0 hours', () => {
    const night = toTimesheet(
      {
        id: 1,
        type: 'AttendancePeriod',
        attributes: { employee: 7, date: '2026-01-10', start_time: '22:00', end_time: '06:30', break: 30 },
      },
      'Europe/Berlin',
    );
    expect(night.end_time).toBe('2026-01-11T05:30:00.000Z');
    expect(night.hours_worked).toBe(8);
    const open = toTimesheet(
      {
        id: 2,
        type: 'AttendancePeriod',
        attributes: { employee: 7, date: '2026-01-10', start_time: '08:00', end_time: null },
      },
      'Europe/Berlin',
    );
    expect(open.end_time).toBeNull();
    expect(open.hours_worked).toBe(0);
  });
});

describe('personio enum tables', () => {
  it('maps statuses, genders, employment types and salary intervals explicitly', () => {
    expect(mapStatus('onboarding')).toBe('pending');
    expect(mapStatus('weird')).toBeNull();
    expect(mapGender('diverse')).toBeNull();
    expect(mapEmploymentType('external', 40)).toBe('contractor');
    expect(mapEmploymentType('internal', 20)).toBe('part_time');
    expect(mapEmploymentType('internal', 40)).toBe('full_time');
    expect(mapEmploymentType('internal', null)).toBeNull();
    expect(mapSalaryInterval('yearly')).toEqual(['year', 'year']);
    expect(mapSalaryInterval('monthly')).toEqual(['month', 'monthly']);
    expect(mapTimeOffStatus('requested')).toBe('pending');
    expect(mapPolicyType('sick_leave')).toBe('sick');
    expect(mapPolicyType('offsite_work')).toBeNull();
  });
});

describe('personio create-employee request', () => {
  it('maps the unified request to Personio field names and decodes the manager id', () => {
    const body = toPersonioEmployee({
      first_name: 'A',
      last_name: 'B',
      work_email: 'a@b.de',
      employment_status: 'pending',
      gender: 'not_specified',
      manager: {
        id: opaqueId('employee', 42),
        remote_id: null,
        first_name: null,
        last_name: null,
        work_email: null,
      },
      custom_fields: { dynamic_99: 'German', other: 'x' },
    });
    expect(body).toEqual({
      email: 'a@b.de',
      first_name: 'A',
      last_name: 'B',
      status: 'onboarding',
      supervisor_id: 42,
      custom_attributes: { dynamic_99: 'German' },
    });
    expect(decodeOpaqueId('office', opaqueId('employee', 42))).toBeNull();
  });
});
