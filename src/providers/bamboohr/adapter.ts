/** The BambooHR adapter: unified resources from BambooHR's official API (spec: reference/providers/bamboohr). */
import type { Employee } from '../../model/index.js';
import { ProviderError } from '../errors.js';
import { pushReady } from '../held-employees.js';
import type { ProviderContext } from '../types.js';
import { BambooHrClient, type BambooHrClientOptions, mapPool } from './client.js';
import { toNewEmployeeBody } from './mappers/from-create-employee.js';
import { toCompany } from './mappers/to-company.js';
import {
  EMPLOYEE_FIELDS,
  type ManagerFacts,
  fillManagers,
  toEmployee,
  toEmployees,
} from './mappers/to-employee.js';
import { toGroups } from './mappers/to-group.js';
import { toLocation } from './mappers/to-location.js';
import { toTimeOffBalance } from './mappers/to-time-off-balance.js';
import { toTimeOffEntry } from './mappers/to-time-off-entry.js';
import { toTimesheet } from './mappers/to-timesheet.js';
import type {
  BhCompanyInformation,
  BhListField,
  BhTimeOffBalance,
  BhTimeOffRequest,
  BhTimesheetEntry,
} from './raw.js';
import type { BAMBOOHR_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

export interface BambooHrAdapter extends AdapterFor<typeof BAMBOOHR_UNIFIED_RESOURCES, 'passthrough'> {
  readonly client: BambooHrClient;
}

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function expectArray<T>(value: unknown, what: string): T[] {
  if (!Array.isArray(value)) throw new ProviderError('bad_response', `BambooHR ${what} is not a list`);
  return value as T[];
}

/** The employee id from the 201's `Location` (a web-app URL such as `…/employees/employee.php?id=123`). */
export function employeeIdFromLocation(location: string | string[] | undefined): string | null {
  const value = Array.isArray(location) ? location[0] : location;
  if (!value) return null;
  const m = /[?&]id=(\d+)/.exec(value) ?? /\/(\d+)\/?(?:[?#].*)?$/.exec(value);
  return m?.[1] ?? null;
}

export function createBambooHrAdapter(
  ctx: ProviderContext,
  options: BambooHrClientOptions = {},
): BambooHrAdapter {
  const client = new BambooHrClient(ctx, options);
  const companyDomain = (ctx.credentials.company_domain ?? '').trim().toLowerCase();

  async function employeesByIds(ids: string[]) {
    return client.listEmployees(EMPLOYEE_FIELDS, { ids: ids.join(',') });
  }

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      try {
        await client.get<BhCompanyInformation>('api/v1/company_information');
      } catch (err) {
        // At connect time a 401 means the key is wrong (not that a stored one expired), and an unknown company
        // domain answers 404.
        if (
          err instanceof ProviderError &&
          (err.options.code === 'reauthentication_required' || err.kind === 'not_found')
        ) {
          throw ProviderError.authentication(
            'incorrect_username_or_password',
            'BambooHR refused the company domain or API key',
          );
        }
        throw err;
      }
    },

    async company() {
      const info = await client.get<BhCompanyInformation>('api/v1/company_information');
      if (typeof info !== 'object' || info === null || Array.isArray(info)) {
        throw new ProviderError('bad_response', 'BambooHR company information is not an object');
      }
      return [toCompany(info, companyDomain)];
    },

    async employees(sink) {
      const none = { byId: new Map() };
      // Only what manager details need is kept of each raw page.
      const managers = new Map<string, ManagerFacts>();
      // Mapped but not handed over yet: an employee waits until its manager has been listed (pages come in id
      // order, so usually already), and everyone after it waits too, to keep the provider's order.
      const held: Employee[] = [];
      let expected = false;
      await client.walkEmployees(EMPLOYEE_FIELDS, {}, (rows, total) => {
        if (sink && !expected && total !== undefined) {
          expected = true;
          sink.expect?.(total);
        }
        for (const r of rows) {
          held.push(toEmployee(r, none));
          managers.set(String(r.employeeId), {
            firstName: r.firstName,
            lastName: r.lastName,
            workEmail: r.workEmail,
          });
        }
        if (!sink) return;
        pushReady(
          held,
          sink,
          (id) => managers.has(id),
          (e) => e.manager?.id,
          (ready) => fillManagers(ready, managers),
        );
      });
      fillManagers(held, managers);
      return held;
    },

    async createEmployee(input) {
      const res = await client.post<unknown>('api/v1/employees', toNewEmployeeBody(input), [400, 409]);
      if (res.status === 400 || res.status === 409) {
        throw new ProviderError('bad_response', `BambooHR refused the new employee (${res.status})`);
      }
      const id = employeeIdFromLocation(res.headers.location);
      if (!id) throw new ProviderError('bad_response', 'BambooHR created an employee without a Location id');
      const [created] = await employeesByIds([id]);
      if (!created) throw new ProviderError('bad_response', `BambooHR does not list the new employee ${id}`);
      const managerId = created.reportsToId ? String(created.reportsToId) : null;
      const manager = managerId ? await employeesByIds([managerId]) : [];
      const [mapped] = toEmployees([created, ...manager]);
      if (!mapped) throw new ProviderError('bad_response', 'BambooHR employee could not be mapped');
      return mapped;
    },

    async groups() {
      const lists = expectArray<BhListField>(await client.get('api/v1/meta/lists'), 'list fields');
      return toGroups(lists);
    },

    async workLocations() {
      return (await client.listLocations()).map(toLocation);
    },

    async timeOffEntries(range) {
      // The endpoint requires start and end; without a range we take a year either side of today.
      const now = Date.now();
      const start = range?.start_date ?? isoDay(now - 365 * DAY_MS);
      const end = range?.end_date ?? isoDay(now + 365 * DAY_MS);
      const raw = expectArray<BhTimeOffRequest>(
        await client.get('api/v1/time_off/requests', { start, end }),
        'time-off requests',
      );
      return raw.map(toTimeOffEntry);
    },

    async timeOffBalances() {
      // BambooHR has no company-wide balance list: one calculator call per employee, `concurrency` at a time.
      const ids = (await client.listEmployees([])).map((e) => String(e.employeeId));
      const perEmployee = await mapPool(ids, client.concurrency, async (id) => {
        try {
          const rows = expectArray<BhTimeOffBalance>(
            await client.get(`api/v1/employees/${encodeURIComponent(id)}/time_off/calculator`),
            'time-off balance',
          );
          return rows.map((r) => toTimeOffBalance(r, id));
        } catch (err) {
          // Deleted between the two calls: nothing to report for that employee.
          if (err instanceof ProviderError && err.kind === 'not_found') return [];
          throw err;
        }
      });
      return perEmployee.flat();
    },

    async timesheets(range) {
      // The spec: dates "must fall within the last 365 days"; older or future parts of a range cannot hold entries
      // BambooHR will return, so the range is clamped instead of failing with its 400.
      const now = Date.now();
      const earliest = isoDay(now - 364 * DAY_MS);
      const today = isoDay(now);
      const start = range && range.start_date > earliest ? range.start_date : earliest;
      const end = range && range.end_date < today ? range.end_date : today;
      if (start > end) return [];
      const raw = expectArray<BhTimesheetEntry>(
        await client.get('api/v1/time_tracking/timesheet_entries', { start, end }),
        'timesheet entries',
      );
      return raw.map(toTimesheet);
    },
  };
}
