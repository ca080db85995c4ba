/**
 * The sandbox's per-connection settings (`ctx.settings`), parsed and checked in one place so the CLI and the
 * connect page can reuse the same rules.
 */
import { currentMonthStart, isDate } from './dates.js';
import { MAX_EMPLOYEES, type SandboxOptions } from './dataset.js';

export const DEFAULT_SANDBOX_EMPLOYEES = 50;

/**
 * Reads `seed` (default: the connection id), `employees` (1..10,000, default 50), `asOf` (`YYYY-MM-DD`, default
 * the first day of the current UTC month), `churn` (0..1, default 0) and `epoch` (integer ≥ 0, default 0).
 * Numeric strings are accepted because settings may come from query strings or env. Throws RangeError on
 * anything else.
 *
 * @example parseSandboxSettings({ employees: '1000' }, 'con_123') // { seed: 'con_123', employees: 1000, … }
 */
export function parseSandboxSettings(
  settings: Record<string, unknown>,
  fallbackSeed: string,
  now: Date = new Date(),
): Required<SandboxOptions> {
  const seed = settings['seed'] === undefined || settings['seed'] === '' ? fallbackSeed : settings['seed'];
  if (typeof seed !== 'string' && typeof seed !== 'number')
    throw new RangeError('sandbox seed must be a string');

  const employees = toNumber(settings['employees'], DEFAULT_SANDBOX_EMPLOYEES);
  if (!Number.isInteger(employees) || employees < 1 || employees > MAX_EMPLOYEES) {
    throw new RangeError(`sandbox employees must be an integer in 1..${MAX_EMPLOYEES}`);
  }

  const asOf = settings['asOf'] ?? currentMonthStart(now);
  if (!isDate(asOf)) throw new RangeError('sandbox asOf must be a YYYY-MM-DD date');

  const churn = toNumber(settings['churn'], 0);
  if (!(churn >= 0 && churn <= 1)) throw new RangeError('sandbox churn must be a fraction in 0..1');

  const epoch = toNumber(settings['epoch'], 0);
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError('sandbox epoch must be an integer ≥ 0');

  return { seed: String(seed), employees, asOf, churn, epoch };
}

function toNumber(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return Number.NaN;
}
