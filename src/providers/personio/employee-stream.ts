/**
 * Personio employees handed to the API's encoder page by page, so neither the raw pages nor the mapped list are
 * held whole (P2: 10,000 employees).
 *
 * Two parts of an employee depend on other records (see mappers/to-employee.ts `completeEmployees`):
 * - manager names the supervisor reference lacks come from the supervisor's own record: an employee whose manager
 *   has not been listed yet waits for it (and everyone after it waits too, to keep Personio's order), as BambooHR's
 *   and Factorial's do (../held-employees.ts);
 * - an office's address is the one of the holiday calendar most used by the office's employees, which only the
 *   whole list settles. Personio has no office endpoint and caps a page at 100 employees, so a first pass over the
 *   calendars would cost as many requests as the list itself (under 15/s and 300/min). Instead the first
 *   `GUESS_AFTER_EMPLOYEES` employees are held and counted, and each office's address is fixed when its first
 *   employee is handed on: the dominant calendar counted so far (or `guess`). Every employee is counted; at the
 *   end the fixed addresses are compared with the whole list's. They agree when offices have a clear majority
 *   (the usual case: an office's people share its region's holidays); when one does not, `exact` is false and the
 *   caller starts the list again (ListSink.restart) with the whole list's addresses as the guess.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Address, Employee } from '../../model/index.js';
import { pushReady } from '../held-employees.js';
import type { ListSink } from '../types.js';
import type { PersonioClient } from './client.js';
import { type EmployeeFacts, employeeFacts, toEmployee } from './mappers/to-employee.js';
import { AddressTally } from './mappers/to-location.js';
import type { PersonioEmployee } from './raw.js';

/**
 * Employees held and counted before the first is handed on, so the offices seen by then get their address from
 * that many calendars rather than from a page's. Held mapped employees cost about 6 KB each.
 */
export const GUESS_AFTER_EMPLOYEES = 1_000;

interface Row {
  employee: Employee;
  facts: EmployeeFacts;
}

type ManagerNames = Pick<EmployeeFacts, 'first_name' | 'last_name' | 'email'>;

export interface StreamedEmployees {
  /** The employees not handed to the sink, to return after it. */
  rest: Employee[];
  /** Every office's address by the whole list (as `completeEmployees` derives it). */
  addresses: Map<string, Address | null>;
  /** False when an employee was handed on with an address the whole list does not give its office. */
  exact: boolean;
}

const lacksNames = (e: Employee): boolean =>
  e.manager !== null &&
  (e.manager.first_name === null || e.manager.last_name === null || e.manager.work_email === null);

/** Manager names the supervisor reference lacked, from the supervisor's own record (`completeEmployees`' rule). */
function fillManagers(employees: readonly Employee[], known: ReadonlyMap<string, ManagerNames>): void {
  for (const { manager } of employees) {
    const boss = manager ? known.get(manager.remote_id ?? '') : undefined;
    if (!manager || !boss) continue;
    manager.first_name ??= boss.first_name;
    manager.last_name ??= boss.last_name;
    manager.work_email ??= boss.email;
  }
}

/**
 * One walk of `company/employees`, each employee handed to `sink` once its office address is fixed and its manager
 * listed (see above); `guess`, when given, fixes the addresses of the offices it names.
 */
export async function streamEmployees(
  client: PersonioClient,
  sink: ListSink<Employee>,
  guess: ReadonlyMap<string, Address | null> | null,
): Promise<StreamedEmployees> {
  const tally = new AddressTally();
  const fixed = new Map<string, Address | null>();
  const known = new Map<string, ManagerNames>();
  let source = guess;
  // Counted but not yet given an address: the list's first GUESS_AFTER_EMPLOYEES employees (null once released).
  let early: Row[] | null = [];
  // Given an address, waiting for a manager (and whoever follows it).
  const held: Employee[] = [];

  const release = (rows: readonly Row[]) => {
    for (const { employee, facts } of rows) {
      const office = employee.work_location;
      if (office && facts.office !== null) {
        const key = facts.office;
        if (!fixed.has(key)) {
          fixed.set(key, source?.has(key) ? (source.get(key) ?? null) : tally.addressOf(key));
        }
        office.address = fixed.get(key) ?? null;
      }
      held.push(employee);
    }
    pushReady(
      held,
      sink,
      (id) => known.has(id),
      (e) => (lacksNames(e) ? e.manager?.remote_id : null),
      (ready) => fillManagers(ready, known),
    );
  };

  await client.handOnByOffset<PersonioEmployee, Row>(
    'company/employees',
    {},
    { employeesList: true, pageSize: client.employeesPageSize },
    (page) => page.map((e) => ({ employee: toEmployee(e), facts: employeeFacts(e) })),
    (row) => row.facts.id,
    (rows) => {
      for (const { facts } of rows) {
        tally.add(facts.office, facts.calendar);
        known.set(facts.id, { first_name: facts.first_name, last_name: facts.last_name, email: facts.email });
      }
      if (!early) return release(rows);
      for (const row of rows) early.push(row);
      if (early.length < GUESS_AFTER_EMPLOYEES) return;
      const first = early;
      early = null;
      release(first);
    },
    (total) => sink.expect?.(total),
  );

  const addresses = tally.result();
  if (early) {
    // The whole list fitted in the held part: nothing was handed on, so every address is the whole list's.
    source = addresses;
    const all = early;
    early = null;
    release(all);
  }
  fillManagers(held, known);
  let exact = true;
  for (const [key, address] of fixed) {
    if (!isDeepStrictEqual(address, addresses.get(key) ?? null)) exact = false;
  }
  return { rest: held, addresses, exact };
}
