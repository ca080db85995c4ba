/**
 * The contract's constraints on the numbers mappers serve, in one place. The contract (reference/affix/openapi.yaml)
 * says `multipleOf: 0.1` for `Timesheet.hours_worked` and `TimeOffEntry.amount`, and the model says `minimum: 0`
 * for a compensation's `pay_rate`. Providers hand over whatever their arithmetic gives (8.333… hours from minutes,
 * float noise such as 7.199999…, NaN from a string that is not a number, -0): these helpers turn it into a number
 * the contract allows, and every provider's mappers use them.
 */

/**
 * A `multipleOf: 0.1` number (hours, days): rounded half away from zero to one decimal, free of float noise beyond
 * that; anything not finite is 0 and -0 is 0. Negative values stay negative (a correction may take hours back).
 * @example contractTenths(8 + 1 / 3) // 8.3
 */
export function contractTenths(n: number): number {
  if (!Number.isFinite(n)) return 0;
  const rounded = Math.sign(n) * (Math.round(Math.abs(n) * 10 + 1e-9) / 10);
  return rounded === 0 ? 0 : rounded;
}

/** `contractTenths` of hours worked, which cannot be below 0 (an end before the start is a bad record, not debt). */
export function contractHoursWorked(n: number): number {
  return Math.max(0, contractTenths(n));
}

/**
 * A `pay_rate` (`minimum: 0`, major units): cent-exact; null when it is not a finite number or is below 0, since a
 * rate the contract cannot hold is unknown rather than zero.
 */
export function contractPayRate(n: number | null | undefined): number | null {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return null;
  const rounded = Math.round(n * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}
