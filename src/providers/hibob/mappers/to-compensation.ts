/**
 * HiBob's salaries (payroll) table → the contract's compensation history. An entry's `base` is the rate in major
 * units of its currency per `payPeriod` (85000 a year, 42.5 an hour), which is what the contract's `pay_rate` and
 * `pay_period` mean, so the amount is passed on as is (to the cent). `payFrequency` is how often it is paid.
 */
import { contractPayRate } from '../../numbers.js';
import type { Employee } from '../../../model/index.js';
import type { HibobBulkSalaries, HibobSalaryEntry } from '../raw.js';
import { num, squash, str, toCurrency, toDate } from './values.js';
import { type PayFrequency, payPeriodWord } from '../../mapping.js';

type Compensation = NonNullable<Employee['compensation_history']>[number];

/** HiBob `payPeriod` (Annual, Hourly, Daily, Weekly, Monthly) → the contract's free-text period, as its "year". */
export function mapPayPeriod(period: unknown): string | null {
  const value = str(period);
  if (!value) return null;
  // A custom period is passed on in HiBob's words rather than dropped.
  return payPeriodWord(squash(value)) ?? value.toLowerCase();
}

/** HiBob `payFrequency` (Monthly, Semi Monthly, Weekly, Bi-Weekly) → the contract's enum. */
export function mapPayFrequency(frequency: unknown): PayFrequency | null {
  const value = str(frequency);
  if (!value) return null;
  switch (squash(value)) {
    case 'monthly':
      return 'monthly';
    case 'semimonthly':
    case 'twiceamonth':
      return 'semimonthly';
    case 'weekly':
      return 'weekly';
    case 'biweekly':
    case 'fortnightly':
      return 'biweekly';
    case 'annual':
    case 'annually':
    case 'yearly':
      return 'year';
    default:
      return 'other';
  }
}

export function toCompensation(entry: HibobSalaryEntry): Compensation {
  const rate = num(entry.base?.value);
  return {
    pay_rate: contractPayRate(rate),
    pay_period: mapPayPeriod(entry.payPeriod),
    pay_frequency: mapPayFrequency(entry.payFrequency),
    // A salary entry does not say; the employment table does, and it is not read for this.
    employment_type: null,
    currency: toCurrency(entry.base?.currency),
    effective_date: toDate(entry.effectiveDate),
    notes: str(entry.change?.reason),
  };
}

/** An employee's entries, oldest first (undated ones last), as the history they are. */
export function toCompensationHistory(entries: readonly HibobSalaryEntry[]): Compensation[] {
  // `YYYY-MM-DD` days order as their text does: a plain comparison, not `localeCompare` (ICU collation, per pair of
  // every employee's entries).
  return entries.map(toCompensation).sort((a, b) => {
    const x = a.effective_date ?? '9999';
    const y = b.effective_date ?? '9999';
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

type BulkValues = NonNullable<NonNullable<HibobBulkSalaries['results']>[number]['values']>;

/**
 * One employee's entries from a bulk-table row. The spec nests them one level deeper (`values: [{ values:
 * [SalaryEntry] }]`) than HiBob's per-employee endpoint (`values: [SalaryEntry]`); both are read.
 */
export function salaryEntries(values: BulkValues | undefined): HibobSalaryEntry[] {
  const out: HibobSalaryEntry[] = [];
  for (const value of values ?? []) {
    if (value === null || typeof value !== 'object') continue;
    const nested = (value as { values?: unknown }).values;
    if (Array.isArray(nested)) {
      for (const entry of nested) if (entry !== null && typeof entry === 'object') out.push(entry);
    } else {
      out.push(value as HibobSalaryEntry);
    }
  }
  return out;
}

/**
 * The employee ids of one bulk-table error. The spec's example names them only in its message ("You don't have
 * permission to access data for employees with ids: 2578509511618723822"); a plain string id is read too.
 */
export function deniedEmployeeIds(error: unknown): string[] {
  if (typeof error === 'string') return [error];
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return [];
  const list = /ids?:\s*([\d\s,]+)$/.exec(message)?.[1] ?? '';
  return list
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
