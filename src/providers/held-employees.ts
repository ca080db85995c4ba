/**
 * Employees streamed in the provider's order whose manager details come from the list itself (BambooHR, Factorial):
 * an employee mapped before its manager was listed waits, and so does everyone after it, to keep the order.
 */
import type { Employee } from '../model/index.js';
import type { ListSink } from './types.js';

/**
 * Takes from the front of `held` the longest run of employees whose manager has been listed (or who have none) and
 * returns it; the rest stay held. Pages usually come in an order that lists managers first, so most go at once.
 * @example const done = takeReady(held, (id) => managers.has(id), (e) => e.manager?.id);
 */
export function takeReady(
  held: Employee[],
  listed: (managerId: string) => boolean,
  managerIdOf: (employee: Employee) => string | null | undefined,
): Employee[] {
  let ready = 0;
  for (const employee of held) {
    const managerId = managerIdOf(employee);
    if (managerId && !listed(managerId)) break;
    ready++;
  }
  return held.splice(0, ready);
}

/**
 * Hands `sink` the run `takeReady` takes from `held`, once `fill` has completed their manager details (from what
 * the provider listed so far); nothing when no run is ready.
 */
export function pushReady(
  held: Employee[],
  sink: ListSink<Employee>,
  listed: (managerId: string) => boolean,
  managerIdOf: (employee: Employee) => string | null | undefined,
  fill: (ready: Employee[]) => void,
): void {
  const ready = takeReady(held, listed, managerIdOf);
  if (ready.length === 0) return;
  fill(ready);
  sink.push(ready);
}
