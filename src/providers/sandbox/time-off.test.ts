import { describe, expect, it } from 'vitest';
import { generateDataset } from './generate.js';
import { filterTimeOff, timeOffFor } from './time-off.js';
import { filterTimesheets, timesheetsFor } from './timesheets.js';

const d = generateDataset({ seed: 'leave', employees: 300, asOf: '2025-06-01' });
const { policies, entries, balances } = timeOffFor(d);
const employees = new Map(d.employees.map((e) => [e.id, e]));

describe('sandbox time-off', () => {
  it('has every kind of status, days and hours, across the past two years and the next months', () => {
    expect(new Set(entries.map((e) => e.status))).toEqual(new Set(['approved', 'pending', 'rejected']));
    expect(new Set(entries.map((e) => e.unit))).toEqual(new Set(['days', 'hours']));
    expect(entries.some((e) => e.start_date! < '2023-12-01')).toBe(true);
    expect(entries.some((e) => e.start_date! > '2025-06-01')).toBe(true);
    expect(entries.every((e) => e.start_date! >= '2023-06-01' && e.end_date! <= '2025-08-30')).toBe(true);
    for (const e of entries) {
      expect(Number.isInteger(e.amount * 2), `${e.id} amount ${e.amount}`).toBe(true);
      expect(e.amount).toBeGreaterThan(0);
      expect(e.end_date! >= e.start_date!).toBe(true);
    }
  });

  it('points at employees and policies that exist', () => {
    const policyIds = new Map(policies.map((p) => [p.id, p]));
    for (const x of [...entries, ...balances]) {
      expect(employees.get(x.employee_id)?.remote_id).toBe(x.employee_remote_id);
      const p = policyIds.get(x.policy_id ?? '');
      expect(p?.remote_id).toBe(x.policy_remote_id);
      expect(p?.type).toBe(x.policy_type);
      expect(p?.name).toBe(x.policy_name);
    }
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('balance = allowance − used, and used = approved amounts of the current year', () => {
    let nonZero = 0;
    for (const b of balances) {
      const used = entries
        .filter(
          (e) =>
            e.employee_id === b.employee_id &&
            e.policy_id === b.policy_id &&
            e.status === 'approved' &&
            e.start_date!.startsWith('2025'),
        )
        .reduce((s, e) => s + e.amount, 0);
      expect(b.used).toBe(used);
      if (used > 0) nonZero++;
      const allowance = (b.balance ?? 0) + (b.used ?? 0);
      expect(b.balance).toBe(allowance - used);
      expect(b.balance).toBeGreaterThanOrEqual(0);
    }
    expect(nonZero).toBeGreaterThan(50);
    // The allowance is the policy's, not something derived from the answer.
    const vacation = policies.find((p) => p.type === 'vacation')!;
    const someone = balances.find((b) => b.policy_id === vacation.id && b.used === 0);
    expect([15, 25, 15 * 4, 15 * 5, 15 * 6, 25 * 4, 25 * 5, 25 * 6]).toContain(someone?.balance);
  });

  it('filters by overlap with the inclusive range; null means all', () => {
    const sample = entries.find((e) => e.start_date !== e.end_date)!;
    const first = { start_date: sample.end_date!, end_date: sample.end_date! };
    const last = { start_date: sample.start_date!, end_date: sample.start_date! };
    expect(filterTimeOff(entries, first)).toContain(sample);
    expect(filterTimeOff(entries, last)).toContain(sample);
    const month = filterTimeOff(entries, { start_date: '2025-03-01', end_date: '2025-03-31' });
    expect(month.length).toBeGreaterThan(0);
    expect(month.length).toBeLessThan(entries.length);
    for (const e of month) expect(e.start_date! <= '2025-03-31' && e.end_date! >= '2025-03-01').toBe(true);
    const outside = entries.filter((e) => !month.includes(e));
    for (const e of outside) expect(e.start_date! > '2025-03-31' || e.end_date! < '2025-03-01').toBe(true);
    expect(filterTimeOff(entries, null)).toHaveLength(entries.length);
  });
});

describe('sandbox timesheets', () => {
  const rows = timesheetsFor(d);

  it('are working days in the 90 days before asOf for people paid by the hour', () => {
    expect(rows.length).toBeGreaterThan(100);
    const hourlyIds = new Set(
      d.employees.filter((e) => e.compensation_history?.at(-1)?.pay_period === 'hour').map((e) => e.id),
    );
    for (const t of rows) {
      expect(hourlyIds.has(t.employee_id)).toBe(true);
      expect(employees.get(t.employee_id)?.remote_id).toBe(t.employee_remote_id);
      const start = Date.parse(t.start_time!);
      const end = Date.parse(t.end_time!);
      expect((end - start) / 3_600_000).toBe(t.hours_worked);
      expect(Number.isInteger(t.hours_worked * 2)).toBe(true);
      expect(t.start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const day = new Date(start).getUTCDay();
      expect(day === 0 || day === 6).toBe(false);
      expect(t.start_time! >= '2025-03-03' && t.start_time! < '2025-06-01').toBe(true);
    }
  });

  it('skip days of approved time off', () => {
    const off = new Set(
      entries
        .filter((e) => e.status === 'approved' && e.start_date === e.end_date)
        .map((e) => `${e.employee_id} ${e.start_date}`),
    );
    for (const t of rows) expect(off.has(`${t.employee_id} ${t.start_time!.slice(0, 10)}`)).toBe(false);
  });

  it('filter by start date with inclusive ends; null means all', () => {
    const day = rows[Math.floor(rows.length / 2)]!.start_time!.slice(0, 10);
    const one = filterTimesheets(rows, { start_date: day, end_date: day });
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((t) => t.start_time!.startsWith(day))).toBe(true);
    expect(one).toHaveLength(rows.filter((t) => t.start_time!.startsWith(day)).length);
    expect(filterTimesheets(rows, { start_date: '2024-01-01', end_date: '2024-01-31' })).toEqual([]);
    expect(filterTimesheets(rows, null)).toHaveLength(rows.length);
  });
});
