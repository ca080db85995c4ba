/**
 * The sandbox dataset's shape and the small helpers the derived parts (time-off, timesheets, payslips) share. Kept
 * apart from generate.ts so a server loads faker (tens of MB) only when a sandbox connection first reads data.
 */
import type { Company, Currency, Employee, Group, Identity, Location, Payrun } from '../../model/index.js';
import { isWeekend, weekday } from './dates.js';
import type { CountryInfo } from './locale-data.js';

export const MAX_EMPLOYEES = 10_000;

export interface SandboxOptions {
  seed: string;
  /** 1 … 10,000 */
  employees: number;
  /** `YYYY-MM-DD`: "today" for the generated company. */
  asOf: string;
  /** Fraction of employees changed per epoch (hire / leave / edit); 0 = stable. */
  churn?: number;
  /** Which poll we are at; each epoch applies one more round of churn on top of the previous ones. */
  epoch?: number;
}

/** What payroll, time-off and timesheets need to know about an employee beyond the unified object. */
export interface EmployeeFacts {
  index: number;
  startDay: number;
  /** Last employed day, null while employed. */
  termDay: number | null;
  country: CountryInfo;
  currency: Currency;
  /** Paid per hour worked (pay_period 'hour') rather than a yearly salary. */
  hourly: boolean;
  contractor: boolean;
  /** Hours of a normal working day for this person (part-timers work fewer). */
  dailyHours: number;
  /** Weekdays (1 = Monday … 5 = Friday) this person works. */
  workDays: readonly number[];
  /** Pay rates by effective day, ascending; mirrors compensation_history. */
  comp: readonly { day: number; rate: number; period: 'year' | 'hour' }[];
}

export interface SandboxDataset {
  options: Required<SandboxOptions>;
  asOfDay: number;
  company: Company;
  locations: Location[];
  groups: Group[];
  employees: Employee[];
  /** Parallel to `employees`. */
  facts: EmployeeFacts[];
  identity: Identity;
  payruns: Payrun[];
}

/** Freezes a value and everything under it: cached sandbox data is shared between callers. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Whether `day` is a working day for this person (weekday they work, employed). */
export function worksOn(f: EmployeeFacts, day: number): boolean {
  if (isWeekend(day) || day < f.startDay || (f.termDay !== null && day > f.termDay)) return false;
  return f.workDays.includes(weekday(day));
}
