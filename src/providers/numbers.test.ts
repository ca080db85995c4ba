/** The contract's number constraints, applied by every provider's mappers through ./numbers.ts. */
import { describe, expect, it } from 'vitest';
import { assertContract } from '../testing/unified.js';
import { contractHoursWorked, contractPayRate, contractTenths } from './numbers.js';

/** Exactly what the contract's `multipleOf: 0.1` asks, checked on the decimal text JSON carries. */
function isTenth(n: number): boolean {
  return /^-?\d+(\.\d)?$/.test(JSON.stringify(n));
}

describe('contract numbers', () => {
  it('contractTenths: one decimal, half away from zero, no float noise, no -0, no NaN', () => {
    expect(contractTenths(8 + 1 / 3)).toBe(8.3);
    expect(contractTenths(7.199999999)).toBe(7.2);
    expect(contractTenths(0.15)).toBe(0.2);
    expect(contractTenths(1.05)).toBe(1.1);
    expect(contractTenths(-1.05)).toBe(-1.1);
    expect(Object.is(contractTenths(-0.01), 0)).toBe(true);
    expect(contractTenths(Number.NaN)).toBe(0);
    expect(contractTenths(Number.POSITIVE_INFINITY)).toBe(0);
    for (let i = 0; i < 2_000; i++) expect(isTenth(contractTenths(i / 7 - 50))).toBe(true);
  });

  it('contractHoursWorked is never below 0', () => {
    expect(contractHoursWorked(-2.5)).toBe(0);
    expect(contractHoursWorked(7.75)).toBe(7.8);
  });

  it('contractPayRate: cent-exact and ≥ 0, else unknown (null)', () => {
    expect(contractPayRate(80_000.004)).toBe(80_000);
    expect(contractPayRate(12.345)).toBe(12.35);
    expect(contractPayRate(-1)).toBeNull();
    expect(contractPayRate(Number.NaN)).toBeNull();
    expect(contractPayRate(undefined)).toBeNull();
    expect(contractPayRate(0)).toBe(0);
  });

  it('what the helpers give passes the contract schema (multipleOf 0.1 on hours_worked)', () => {
    const sheets = [8 + 1 / 3, 7.199999999, 0.15, 23.95, 1e-7, -3].map((raw, i) => ({
      id: `a${i}`,
      remote_id: `a${i}`,
      employee_id: 'e',
      employee_remote_id: 'e',
      start_time: null,
      end_time: null,
      hours_worked: contractHoursWorked(raw),
      remote_created_at: null,
      remote_modified_at: null,
    }));
    expect(() => assertContract('/timesheets', sheets)).not.toThrow();
    expect(() => assertContract('/timesheets', [{ ...sheets[0], hours_worked: 8 + 1 / 3 }])).toThrow(
      /multipleOf|multiple/,
    );
  });
});
