/**
 * The HiBob adapter: which endpoints feed which unified resource.
 *
 * Employees: `POST /people/search` answers every match in one response, however large the company, so the list is
 * read as HiBob's People read API contract recommends for large companies: every id first (a search asking for
 * `root.id` only), then the employees in batches of ids (`filters: root.id equals […]`) with the fields we map
 * (those the account's fields metadata lists). List fields are named from the company lists, fetched once. Each
 * batch brings its salaries (`GET /bulk/people/salaries`, 200 ids a request) and is mapped and handed on in list
 * order while later batches are in flight. Time off is read from who's out (a date range) and from one balance
 * request per employee and policy type.
 */
import type { Employee, TimeOffBalance, TimeOffEntry } from '../../model/index.js';
import { ProviderError, verifyEntered } from '../errors.js';
import type { ProviderContext } from '../types.js';
import { HIBOB_BULK_EMPLOYEE_IDS, HibobClient, type HibobClientOptions, type SalaryTable } from './client.js';
import { toCompanies } from './mappers/to-company.js';
import { toCompensationHistory } from './mappers/to-compensation.js';
import {
  type CustomField,
  EMPLOYEE_FIELDS,
  employeeId,
  type ListNames,
  toEmployee,
} from './mappers/to-employee.js';
import { flattenList, toGroups, toLocations } from './mappers/to-group.js';
import { toTimeOffBalance, toTimeOffEntry } from './mappers/to-time-off.js';
import type { HibobBalance, HibobEmployee, HibobField, HibobNamedList, HibobWhosOut } from './raw.js';
import type { HIBOB_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

/** Employees per `POST /people/search` batch: 10,000 employees in 25 batches, well inside 50 searches a minute. */
export const PEOPLE_BATCH = 400;
/** HiBob accepts at most 400 field ids in one search (People read API contract). */
export const MAX_FIELDS = 400;
/** Who's out needs a range; without one from the caller, the past year and the coming one. */
export const DEFAULT_TIME_OFF_WINDOW = { pastDays: 365, futureDays: 365 } as const;

export interface HibobAdapterOptions extends HibobClientOptions {
  /** Employees per search batch (tests use small ones to get several batches from a small emulator). */
  peopleBatch?: number;
  /**
   * Read salaries into `compensation_history` (default true). Only the Prism smoke run turns it off: Prism has no
   * example for the bulk salaries table and invents a cursor that never ends.
   */
  compensation?: boolean;
}

export interface HibobAdapter extends AdapterFor<typeof HIBOB_UNIFIED_RESOURCES, 'passthrough'> {
  readonly client: HibobClient;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Build the adapter for one connection.
 * @example
 * const adapter = createHibobAdapter(ctx);
 * const people = await adapter.employees();
 */
export function createHibobAdapter(ctx: ProviderContext, options: HibobAdapterOptions = {}): HibobAdapter {
  const client = new HibobClient(ctx, options);
  const withCompensation = options.compensation ?? true;
  const batchSize = options.peopleBatch ?? PEOPLE_BATCH;

  /**
   * Every employee's id in list order, without duplicates, with their company's id when `company` (only `company()`
   * needs it: 10,000 employees' `companyId`, nested and flat, are 0.5 MB more to parse).
   */
  const idList = async (showInactive: boolean, company = false) => {
    const rows = await client.search({
      fields: company ? ['root.id', 'root.companyId'] : ['root.id'],
      showInactive,
    });
    const seen = new Set<string>();
    const out: Array<{ id: string; row: HibobEmployee }> = [];
    for (const row of rows) {
      const id = employeeId(row);
      if (id && !seen.has(id)) {
        seen.add(id);
        out.push({ id, row });
      }
    }
    return out;
  };

  /**
   * The fields to ask for: ours that the account's fields metadata lists (asking for a field an account does not
   * have risks a 400 for the whole search), plus its custom fields, at most HiBob's 400.
   */
  const searchFields = async (): Promise<{
    fields: string[];
    custom: CustomField[];
    listOf: Map<string, string>;
  }> => {
    const { body } = await client.get<HibobField[]>('people-fields', 'company/people/fields');
    const known = new Set<string>();
    const custom: CustomField[] = [];
    const listOf = new Map<string, string>();
    for (const f of Array.isArray(body) ? body : []) {
      for (const id of [f?.id, f?.jsonPath]) {
        if (typeof id !== 'string') continue;
        known.add(id);
        if (typeof f.typeData?.listId === 'string') listOf.set(id, f.typeData.listId);
      }
      if (typeof f?.id === 'string' && /\.custom\./.test(f.id))
        custom.push({ id: f.id, name: f.name ?? f.id });
    }
    const ours = EMPLOYEE_FIELDS.filter((f) => f.startsWith('root.') || known.has(f));
    const extra = custom.slice(0, Math.max(0, MAX_FIELDS - ours.length));
    return { fields: [...ours, ...extra.map((c) => c.id)], custom: extra, listOf };
  };

  /**
   * Item id → name of every company list (archived items too: an employee may still hold one). One request instead
   * of `humanReadable`, which would repeat every field of every employee once more.
   */
  const listNames = async (): Promise<Map<string, Map<string, string>>> => {
    const { body } = await client.get<HibobNamedList[]>('named-lists', 'company/named-lists', {
      includeArchived: true,
    });
    const out = new Map<string, Map<string, string>>();
    for (const list of Array.isArray(body) ? body : []) {
      if (typeof list?.name !== 'string') continue;
      const names = new Map<string, string>();
      for (const item of flattenList(list)) {
        const id = item.id === undefined ? null : String(item.id);
        const name = item.value ?? item.name;
        if (id && typeof name === 'string') names.set(id, name);
      }
      out.set(list.name, names);
    }
    return out;
  };

  /**
   * One batch of employees. HiBob's answer is a hint of who still exists: a batch missing some of its ids is asked
   * once more, and then served as HiBob answers (an employee removed or hidden since the id list was read).
   */
  const batch = async (ids: string[], fields: string[]): Promise<Map<string, HibobEmployee>> => {
    const ask = async () => {
      const rows = await client.search({
        fields,
        filters: [{ fieldPath: 'root.id', operator: 'equals', values: ids }],
        showInactive: true,
      });
      const wanted = new Set(ids);
      const byId = new Map<string, HibobEmployee>();
      for (const row of rows) {
        const id = employeeId(row);
        if (id && wanted.has(id) && !byId.has(id)) byId.set(id, row);
      }
      return byId;
    };
    const first = await ask();
    return first.size < ids.length ? ask() : first;
  };

  /** Salaries of a batch, 200 ids a request; null when the service user may not read payroll. */
  const salaries = async (ids: string[]): Promise<SalaryTable | null> => {
    const parts = await Promise.all(
      chunks(ids, HIBOB_BULK_EMPLOYEE_IDS).map((part) => client.salaries(part)),
    );
    if (parts.some((p) => p === null)) return null;
    const table: SalaryTable = { byEmployee: new Map(), denied: new Set() };
    for (const part of parts) {
      for (const [id, entries] of part?.byEmployee ?? []) table.byEmployee.set(id, entries);
      for (const id of part?.denied ?? []) table.denied.add(id);
    }
    return table;
  };

  const namedList = async (name: string): Promise<HibobNamedList> => {
    const { body } = await client.get<HibobNamedList>('named-lists', `company/named-lists/${name}`);
    if (!body || typeof body !== 'object' || (body.items !== undefined && !Array.isArray(body.items))) {
      throw new ProviderError('bad_response', `HiBob named list ${name} answered without items`);
    }
    return body;
  };

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      await verifyEntered(async () => {
        // One search of ids: the people permission every resource here needs, and cheap.
        await client.search({ fields: ['root.id', 'root.companyId'], showInactive: false });
      }, 'HiBob refused the service user id and token');
    },

    async company() {
      return toCompanies((await idList(true, true)).map((r) => r.row));
    },

    async employees(sink) {
      const [people, { fields, custom, listOf }, lists] = await Promise.all([
        idList(true),
        searchFields(),
        listNames(),
      ]);
      // Each list field's items, looked up once rather than per employee and field.
      const itemsOf = new Map<string, Map<string, string> | undefined>();
      for (const [field, list] of listOf) itemsOf.set(field, lists.get(list));
      const names: ListNames = (field, value) => itemsOf.get(field)?.get(value) ?? null;
      const ids = people.map((p) => p.id);
      /** A batch's employees in the order asked, compensation unknown until their salaries are in. */
      const mapRows = (part: readonly string[], rows: Map<string, HibobEmployee>): Employee[] => {
        const employees: Employee[] = [];
        for (const id of part) {
          const row = rows.get(id);
          if (row) employees.push(toEmployee(row, { salaries: null, customFields: custom, lists: names }));
        }
        return employees;
      };
      sink?.expect?.(ids.length);
      const out: Employee[] = [];
      // Batches finish out of order; each is handed on once every batch before it has been.
      const done = new Map<number, Employee[]>();
      let next = 0;
      const settle = (index: number, employees: Employee[]) => {
        done.set(index, employees);
        for (let ready = done.get(next); ready; ready = done.get(next)) {
          done.delete(next++);
          if (sink) sink.push(ready);
          else for (const e of ready) out.push(e);
        }
      };
      await Promise.all(
        chunks(ids, batchSize).map(async (part, index) => {
          const table = withCompensation ? salaries(part) : Promise.resolve(null);
          // Observed now: a search that fails first leaves this unawaited.
          table.catch(() => undefined);
          // Mapped as soon as the search is in, not once its salaries are too: HiBob's rows (each field twice, nested
          // and flat) are then garbage at once instead of surviving into the old generation while they wait.
          const employees = mapRows(part, await batch(part, fields));
          const known = await table;
          for (const employee of employees) {
            const id = employee.id;
            if (known !== null && !known.denied.has(id)) {
              employee.compensation_history = toCompensationHistory(known.byEmployee.get(id) ?? []);
            }
          }
          settle(index, employees);
        }),
      );
      return out;
    },

    async groups() {
      return toGroups(await namedList('department'));
    },

    async workLocations() {
      return toLocations(await namedList('site'));
    },

    async timeOffEntries(range) {
      const now = Date.now();
      const query = {
        from: range?.start_date ?? isoDay(now - DEFAULT_TIME_OFF_WINDOW.pastDays * 86_400_000),
        to: range?.end_date ?? isoDay(now + DEFAULT_TIME_OFF_WINDOW.futureDays * 86_400_000),
        includeHourly: true,
      };
      // Pending requests need a permission of their own; without it HiBob answers 403 and the approved ones are
      // still worth serving.
      let res = await client.get<HibobWhosOut>(
        'whos-out',
        'timeoff/whosout',
        { ...query, includePending: true },
        [403],
      );
      if (res.status === 403) res = await client.get<HibobWhosOut>('whos-out', 'timeoff/whosout', query);
      const outs = res.body?.outs;
      if (!Array.isArray(outs))
        throw new ProviderError('bad_response', 'HiBob who’s out answered without outs');
      // Each request once, however often HiBob lists it.
      const entries = new Map<string, TimeOffEntry>();
      for (const out of outs) {
        if (out === null || typeof out !== 'object') continue;
        const entry = toTimeOffEntry(out);
        if (entry.id !== '' && !entries.has(entry.id)) entries.set(entry.id, entry);
      }
      return [...entries.values()];
    },

    /**
     * HiBob reports a balance per employee and policy type only: one request each, paced at HiBob's 50 a minute
     * (1,000 employees with three policy types take about an hour). Active employees only: HiBob keeps no running
     * balance for people who left.
     */
    async timeOffBalances() {
      const [types, people] = await Promise.all([
        client.get<{ policyTypes?: unknown }>('policy-types', 'timeoff/policy-types'),
        idList(false),
      ]);
      const names = types.body?.policyTypes;
      if (!Array.isArray(names)) {
        throw new ProviderError('bad_response', 'HiBob policy types answered without policyTypes');
      }
      const policyTypes = names.filter((n): n is string => typeof n === 'string' && n.length > 0);
      const date = isoDay(Date.now());
      const rows = await Promise.all(
        people.flatMap(({ id }) =>
          policyTypes.map(async (policyType) => {
            const res = await client.get<HibobBalance>(
              'balance',
              `timeoff/employees/${encodeURIComponent(id)}/balance`,
              { policyType, date },
              // An employee without a policy of this type has no balance for it.
              [400, 404],
            );
            return res.status === 200 && res.body ? toTimeOffBalance(id, policyType, res.body) : null;
          }),
        ),
      );
      return rows.filter((r): r is TimeOffBalance => r !== null);
    },
  };
}
