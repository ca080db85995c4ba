/**
 * The Factorial adapter: which lists feed which unified resource and how they are joined. Every list is one
 * cursor walk (client.ts); lists a resource needs together are walked concurrently.
 *
 * Not offered (501 through the declaration): payruns and payslips (the 2026-07-01 API has payroll supplements and
 * policy periods, but no pay runs, payslips or amounts paid), identity, and creating employees.
 */
import type { Employee, Group } from '../../model/index.js';
import { isoDay, timesheetPeriod } from '../dates.js';
import { ProviderError, verifyEntered } from '../errors.js';
import { pushReady } from '../held-employees.js';
import type { ListSink, ProviderContext } from '../types.js';
import { FACTORIAL_RESOURCES, FactorialClient, type FactorialClientOptions } from './client.js';
import { toCompany } from './mappers/to-company.js';
import { type EmployeeLookups, managerOf, toEmployee } from './mappers/to-employee.js';
import { toGroup } from './mappers/to-group.js';
import { toLocation } from './mappers/to-location.js';
import { toTimeOffBalance, toTimeOffEntry } from './mappers/to-time-off.js';
import { toTimesheet } from './mappers/to-timesheet.js';
import type {
  FactorialAllowance,
  FactorialAllowanceStat,
  FactorialContractVersion,
  FactorialEmployee,
  FactorialLeave,
  FactorialLeaveType,
  FactorialLegalEntity,
  FactorialLocation,
  FactorialShift,
  FactorialTeam,
} from './raw.js';
import type { AdapterFor } from '../resources.js';
import type { FACTORIAL_UNIFIED_RESOURCES } from './provider.js';

/** Factorial is Spanish and most accounts keep Madrid time; used only when neither workplace has a zone. */
export const DEFAULT_TIME_ZONE = 'Europe/Madrid';

export interface FactorialAdapter extends AdapterFor<typeof FACTORIAL_UNIFIED_RESOURCES, 'passthrough'> {
  readonly client: FactorialClient;
}

/**
 * Query parameters the spec marks required although they only filter: sent with the value that filters nothing
 * (`only_active=false` lists everyone, terminated included).
 */
const EMPLOYEE_QUERY = { only_active: false, only_managers: false } as const;
const SHIFT_QUERY = { half_day: false, sort_created_at_asc: true } as const;

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function byId<T extends { id?: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.filter((i) => typeof i.id === 'string').map((i) => [i.id as string, i]));
}

/** What every employee of a listing is joined with, read once per listing (but the managers and contracts). */
function employeeLookups(
  teamList: readonly FactorialTeam[],
  locationList: readonly FactorialLocation[],
  entities: readonly FactorialLegalEntity[],
): Pick<EmployeeLookups, 'teams' | 'locations' | 'currencies'> {
  const teams = new Map<string, Group[]>();
  for (const team of teamList) {
    const group = toGroup(team);
    for (const member of new Set(team.employee_ids ?? [])) {
      const list = teams.get(member);
      if (list) list.push(group);
      else teams.set(member, [group]);
    }
  }
  return {
    teams,
    locations: new Map(
      locationList.filter((l) => typeof l.id === 'string').map((l) => [l.id as string, toLocation(l)]),
    ),
    currencies: new Map(
      entities
        .filter((e) => typeof e.id === 'string' && typeof e.currency === 'string')
        .map((e) => [e.id as string, e.currency as string]),
    ),
  };
}

/**
 * The manager details of employees mapped before their manager was listed (`toEmployee` leaves them empty when the
 * manager is not in `managers` yet).
 */
function fillManagers(
  employees: readonly Employee[],
  managers: ReadonlyMap<string, FactorialEmployee>,
): void {
  for (const e of employees) {
    const id = e.manager?.remote_id;
    const m = id ? managers.get(id) : undefined;
    if (!e.manager || !m || e.manager.first_name !== null || e.manager.last_name !== null) continue;
    e.manager = managerOf(e.manager.remote_id ?? '', m);
  }
}

/** Employees mapped (and handed to the encoder) between two turns of the event loop. */
const MAP_SLICE = 25;

/** Contract versions per employee assumed for the first page, before any came back. */
export const GUESSED_VERSIONS_PER_EMPLOYEE = 1.5;
/** The share of a page a batch's versions aim at, leaving room for employees with more versions than most. */
const BATCH_FILL = 0.8;

/**
 * The employee ids of one page split into equal batches whose contract versions should each fit in one page, from
 * the versions per employee seen so far. Each batch is its own filtered walk, and they run side by side: one round
 * trip for a page's versions instead of a chain of cursor pages, in about as many requests. A batch with more
 * versions than a page simply walks on.
 * @example contractBatches(ids100, 1.4, 100) // two batches of 50
 */
export function contractBatches(
  ids: readonly string[],
  versionsPerEmployee: number,
  pageLimit: number,
): string[][] {
  if (ids.length === 0) return [];
  const perEmployee =
    Number.isFinite(versionsPerEmployee) && versionsPerEmployee > 0 ? versionsPerEmployee : 0;
  const count = Math.min(
    ids.length,
    Math.max(1, Math.ceil((ids.length * perEmployee) / (pageLimit * BATCH_FILL))),
  );
  const size = Math.ceil(ids.length / count);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += size) batches.push(ids.slice(i, i + size));
  return batches;
}

/**
 * Build the adapter for one connection. `options` is for tests and benchmarks (timeouts, page size, warnings).
 * @example
 * const adapter = createFactorialAdapter(ctx);
 * const people = await adapter.employees();
 */
export function createFactorialAdapter(
  ctx: ProviderContext,
  options: FactorialClientOptions & { today?: () => string } = {},
): FactorialAdapter {
  const client = new FactorialClient(ctx, options);
  const today = options.today ?? (() => isoDay(Date.now()));
  const settingsZone = typeof ctx.settings['timezone'] === 'string' ? ctx.settings['timezone'] : undefined;

  const employeesRaw = () => client.list<FactorialEmployee>('employees/employees', EMPLOYEE_QUERY);
  const teams = () => client.list<FactorialTeam>('teams/teams');
  const locations = () => client.list<FactorialLocation>('locations/locations');
  const legalEntities = () => client.list<FactorialLegalEntity>('companies/legal_entities');
  const leaveTypes = () => client.list<FactorialLeaveType>('timeoff/leave_types');
  /** The contract versions of these employees (one filtered walk). */
  const contractVersionsOf = (ids: readonly string[]) => {
    if (ids.length === 0) return Promise.resolve([] as FactorialContractVersion[]);
    const filter = ids.map((id) => `employee_ids[]=${encodeURIComponent(id)}`).join('&');
    return client.list<FactorialContractVersion>(`contracts/contract_versions?${filter}`);
  };

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      if (client.authMode === 'none') {
        throw ProviderError.authentication(
          'incorrect_username_or_password',
          'a Factorial API key or OAuth access token is required',
        );
      }
      await verifyEntered(async () => {
        // The cheapest authenticated read that every resource we serve depends on: one employee.
        await client.json({
          path: `${FACTORIAL_RESOURCES}/employees/employees`,
          query: { ...EMPLOYEE_QUERY, limit: 1 },
        });
      }, 'Factorial refused the credentials');
    },

    async company() {
      return (await legalEntities()).map(toCompany);
    },

    async groups() {
      return (await teams()).map(toGroup);
    },

    async workLocations() {
      return (await locations()).map(toLocation);
    },

    async employees(sink?: ListSink<Employee>): Promise<Employee[]> {
      // Each page is mapped as soon as its contract versions are in (asked for, for the employees of that page, as
      // it arrives: the two cursor chains overlap), and handed to `sink` while the next pages are still on their
      // way. Teams, locations and legal entities are small lists read once, alongside.
      const shared = Promise.all([teams(), locations(), legalEntities()]).then(
        ([teamList, locationList, entities]) => employeeLookups(teamList, locationList, entities),
      );
      shared.catch(() => undefined);
      // Only what manager details need is kept of each raw employee.
      const managers = new Map<string, FactorialEmployee>();
      // Mapped but not handed over yet: an employee waits until its manager has been listed, and everyone after it
      // waits too, to keep Factorial's order.
      const held: Employee[] = [];
      let mapped: Promise<void> = Promise.resolve();
      let expected = false;
      // Employees whose contract versions came back, and how many versions: sizes the next batches.
      let answered = 0;
      let versionsSeen = 0;
      await client.walkList<FactorialEmployee>('employees/employees', EMPLOYEE_QUERY, (page, total) => {
        if (sink && !expected && total !== null) {
          expected = true;
          sink.expect?.(total);
        }
        const people = page.filter((p): p is FactorialEmployee & { id: string } => typeof p.id === 'string');
        for (const p of people) {
          managers.set(p.id, {
            first_name: p.first_name,
            last_name: p.last_name,
            email: p.email,
            login_email: p.login_email,
          });
        }
        const batches = contractBatches(
          people.map((p) => p.id),
          answered === 0 ? GUESSED_VERSIONS_PER_EMPLOYEE : versionsSeen / answered,
          client.pageLimit,
        );
        const versions = Promise.all(
          batches.map(async (ids) => {
            const list = await contractVersionsOf(ids);
            answered += ids.length;
            versionsSeen += list.length;
            return list;
          }),
        );
        versions.catch(() => undefined);
        mapped = mapped.then(async () => {
          const [base, contracts] = await Promise.all([shared, versions]);
          const lookups: EmployeeLookups = {
            ...base,
            employees: managers,
            contracts: groupBy(contracts.flat(), (c) => c.employee_id),
            today: today(),
          };
          for (let from = 0; from < people.length; from += MAP_SLICE) {
            // Between slices the event loop takes what has arrived meanwhile, the next employee page above all:
            // the cursor chain then waits for one slice's work, not for a whole page's.
            if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
            for (const p of people.slice(from, from + MAP_SLICE)) held.push(toEmployee(p, lookups));
            if (sink) {
              pushReady(
                held,
                sink,
                (id) => managers.has(id),
                (e) => e.manager?.remote_id,
                (ready) => fillManagers(ready, managers),
              );
            }
          }
        });
        // Observed now so a failure while the walk goes on is not unhandled; awaited below.
        mapped.catch(() => undefined);
      });
      await mapped;
      fillManagers(held, managers);
      return held;
    },

    async timeOffEntries(range) {
      const [leaves, types] = await Promise.all([
        client.list<FactorialLeave>('timeoff/leaves', {
          include_pending: true,
          include_deleted_leaves: false,
          ...(range ? { from: range.start_date, to: range.end_date } : {}),
        }),
        leaveTypes(),
      ]);
      const typesById = byId(types);
      return leaves.map((l) =>
        toTimeOffEntry(l, l.leave_type_id ? typesById.get(l.leave_type_id) : undefined),
      );
    },

    async timeOffBalances() {
      const [stats, allowances, types] = await Promise.all([
        client.list<FactorialAllowanceStat>('timeoff/allowance_stats', { reference_date: today() }),
        client.list<FactorialAllowance>('timeoff/allowances'),
        leaveTypes(),
      ]);
      const allowancesById = byId(allowances);
      const typesById = byId(types);
      return stats.map((s) =>
        toTimeOffBalance(s, s.allowance_id ? allowancesById.get(s.allowance_id) : undefined, typesById),
      );
    },

    async timesheets(range) {
      const { start, end } = timesheetPeriod(range, Date.now());
      const [shifts, locationList] = await Promise.all([
        client.list<FactorialShift>('attendance/shifts', { ...SHIFT_QUERY, start_on: start, end_on: end }),
        locations(),
      ]);
      const zones = new Map<string, string>();
      for (const l of locationList) if (l.id && l.timezone) zones.set(l.id, l.timezone);
      // Breaks are shifts too (`workable: false`); they are not worked time.
      const worked = shifts.filter((s) => s.workable !== false);
      // A shift names its workplace when clocked at one; otherwise the employee's own workplace decides the zone.
      const homeZone = new Map<string, string>();
      if (worked.some((s) => !(s.workplace_id && zones.has(s.workplace_id)))) {
        for (const e of await employeesRaw()) {
          const zone = e.location_id ? zones.get(e.location_id) : undefined;
          if (e.id && zone) homeZone.set(e.id, zone);
        }
      }
      return worked.map((s) => {
        const zone =
          (s.workplace_id ? zones.get(s.workplace_id) : undefined) ??
          (s.employee_id ? homeZone.get(s.employee_id) : undefined) ??
          settingsZone ??
          DEFAULT_TIME_ZONE;
        return toTimesheet(s, zone);
      });
    },
  };
}
