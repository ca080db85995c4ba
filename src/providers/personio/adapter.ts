/**
 * The Personio adapter: which endpoints feed which unified resource, and how they are combined.
 *
 * Personio v1 has list endpoints for employees, attendances and time-offs only. Companies (subcompanies), groups
 * (departments, teams, cost centres) and work locations (offices) are read off the employee list with an
 * `attributes[]` projection, so each costs one cheap pass over the employees.
 */
import type { Employee } from '../../model/index.js';
import { providerWarn } from '../totals.js';
import { ProviderError } from '../errors.js';
import type { ListSink, ProviderContext } from '../types.js';
import { streamEmployees } from './employee-stream.js';
import { PERSONIO_DEFAULT_BASE_URL, PersonioClient, type PersonioClientOptions } from './client.js';
import { timesheetPeriod } from '../dates.js';
import { toCompanies } from './mappers/to-company.js';
import { type EmployeeFacts, completeEmployees, employeeFacts, toEmployee } from './mappers/to-employee.js';
import { toGroups } from './mappers/to-group.js';
import { toLocations } from './mappers/to-location.js';
import { toPersonioEmployee } from './mappers/to-personio-employee.js';
import { toTimeOffBalance } from './mappers/to-time-off-balance.js';
import { toTimeOffEntry } from './mappers/to-time-off-entry.js';
import { toTimesheet } from './mappers/to-timesheet.js';
import type {
  PersonioAttendance,
  PersonioBalanceRow,
  PersonioEmployee,
  PersonioError,
  PersonioTimeOff,
} from './raw.js';
import type { PERSONIO_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

/** Attendance times carry no zone; Personio accounts are overwhelmingly German, so Berlin unless settings say. */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

export interface PersonioAdapter extends AdapterFor<typeof PERSONIO_UNIFIED_RESOURCES, 'passthrough'> {
  readonly client: PersonioClient;
}

/** Options beyond the ProviderContext, for tests and benchmarks (timeouts, Prism's separate auth server …). */
export type PersonioAdapterOptions = Partial<
  Omit<PersonioClientOptions, 'credentials' | 'state' | 'signal'>
> & {
  timeZone?: string;
};

function projection(...attributes: string[]): string {
  return `company/employees?${attributes.map((a) => `attributes[]=${encodeURIComponent(a)}`).join('&')}`;
}

/**
 * Build the adapter for one connection.
 * @example
 * const adapter = createPersonioAdapter(ctx, { readTimeoutMs: 2_000 });
 * const people = await adapter.employees();
 */
export function createPersonioAdapter(
  ctx: ProviderContext,
  options: PersonioAdapterOptions = {},
): PersonioAdapter {
  const clientId = ctx.credentials['client_id'] ?? '';
  const clientSecret = ctx.credentials['client_secret'] ?? '';
  const timeZone =
    options.timeZone ??
    (typeof ctx.settings['timezone'] === 'string' ? ctx.settings['timezone'] : DEFAULT_TIME_ZONE);
  const client = new PersonioClient({
    ...options,
    readTimeoutMs: options.readTimeoutMs ?? ctx.readTimeoutMs,
    baseUrl: ctx.baseUrl ?? options.baseUrl ?? PERSONIO_DEFAULT_BASE_URL,
    credentials: { client_id: clientId, client_secret: clientSecret },
    state: ctx.state,
    requireTls: options.requireTls ?? ctx.requireTls,
    signal: ctx.signal,
    metrics: ctx.metrics,
    warn: options.warn ?? providerWarn(ctx),
  });

  const listEmployees = (path = 'company/employees') =>
    client.listByOffset<PersonioEmployee>(
      path,
      {},
      { employeesList: true, pageSize: client.employeesPageSize },
    );

  async function employees(sink?: ListSink<Employee>): Promise<Employee[]> {
    // A sink that can start again: pages go to it as they arrive (employee-stream.ts). Streaming may have to take
    // back what it pushed (an office whose first employees' calendars were not its majority), so a sink without
    // `restart` gets the whole list at the end, as does a caller without a sink.
    if (sink?.restart) {
      const first = await streamEmployees(client, sink, null);
      if (first.exact) return first.rest;
      sink.restart();
      const second = await streamEmployees(client, sink, first.addresses);
      if (second.exact) return second.rest;
      throw new ProviderError(
        'bad_response',
        'Personio employees changed offices or holiday calendars while they were read; walk again later',
      );
    }
    // Mapped page by page, keeping only the facts the whole-list parts (managers, office addresses) need: the raw
    // pages are several times the size of the mapped employees.
    const rows = await client.mapByOffset<PersonioEmployee, { employee: Employee; facts: EmployeeFacts }>(
      'company/employees',
      {},
      { employeesList: true, pageSize: client.employeesPageSize },
      (page) => page.map((e) => ({ employee: toEmployee(e), facts: employeeFacts(e) })),
    );
    return completeEmployees(rows);
  }

  async function getEmployee(id: number | string): Promise<Employee> {
    const res = await client.json<{ success: boolean; data: PersonioEmployee }>({
      path: `company/employees/${id}`,
    });
    if (!res.body?.data?.attributes)
      throw new ProviderError('bad_response', 'Personio answered without an employee');
    return toEmployee(res.body.data);
  }

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      if (!clientId || !clientSecret) {
        throw ProviderError.authentication(
          'incorrect_username_or_password',
          'client id and secret are required',
        );
      }
      await client.authenticate();
      // The cheapest authenticated read: one employee, one attribute. A 403 here means the credentials lack
      // `employees:read`, which every resource we serve needs.
      await client.json({
        path: projection('first_name'),
        query: { limit: 1, offset: 0 },
        employeesList: true,
      });
    },

    employees,

    async company() {
      return toCompanies(await listEmployees(projection('subcompany', 'holiday_calendar')));
    },

    async groups() {
      return toGroups(await listEmployees(projection('department', 'team', 'cost_centers')));
    },

    async workLocations() {
      return toLocations(await listEmployees(projection('office', 'holiday_calendar')));
    },

    async timesheets(range) {
      const { start, end } = timesheetPeriod(range, Date.now());
      // Without `includePending` Personio lists confirmed periods only, which is what a timesheet should report.
      const raw = await client.listByOffset<PersonioAttendance>('company/attendances', {
        start_date: start,
        end_date: end,
      });
      return raw.map((a) => toTimesheet(a, timeZone));
    },

    async timeOffEntries(range) {
      const raw = await client.listByPage<PersonioTimeOff>(
        'company/time-offs',
        range ? { start_date: range.start_date, end_date: range.end_date } : {},
      );
      return raw.map(toTimeOffEntry);
    },

    /**
     * Personio v1 reports balances per employee only, so this costs one request per employee (paced by the global
     * 2000/min limit: about 33 employees a second).
     */
    async timeOffBalances() {
      const ids = (await listEmployees(projection('status'))).map((e) => e.attributes.id?.value);
      const perEmployee = await Promise.all(
        ids.map(async (id) => {
          if (id === undefined || id === null) return [];
          const res = await client.json<{ success: boolean; data: PersonioBalanceRow[] }>(
            { path: `company/employees/${id}/absences/balance` },
            // An employee deleted between the two calls has no balance any more; that is not an error.
            [404],
          );
          if (res.status === 404) return [];
          if (!Array.isArray(res.body?.data)) {
            throw new ProviderError('bad_response', 'Personio balance answered without a data list');
          }
          return res.body.data.map((row) => toTimeOffBalance(id, row));
        }),
      );
      return perEmployee.flat();
    },

    async createEmployee(input) {
      const body = toPersonioEmployee(input);
      const res = await client.json<{
        success: boolean;
        data?: { id?: number };
        error?: PersonioError['error'];
      }>({ method: 'POST', path: 'company/employees', body: { employee: body } }, [400, 422]);
      const id = res.body?.data?.id;
      if (
        res.status >= 400 ||
        res.body?.success === false ||
        (typeof id !== 'number' && typeof id !== 'string')
      ) {
        // TODO(platform): a validation error kind (→ 400) would fit better than bad_response (→ 502); see report.
        throw new ProviderError(
          'bad_response',
          `Personio refused the employee: ${res.body?.error?.message ?? res.status}`,
        );
      }
      return getEmployee(id);
    },
  };
}
