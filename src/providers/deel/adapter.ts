/**
 * The Deel adapter: unified resources from Deel's REST API v2. Joins the spec cannot express in one call (a
 * timesheet's contract → its person, a time off's type → its policy) are resolved here.
 */
import type { Employee } from '../../model/index.js';
import { ProviderError, verifyEntered } from '../errors.js';
import type { DateRange, ProviderContext } from '../types.js';
import { DeelClient, type DeelClientOptions } from './client.js';
import { toCompany, toIdentity } from './mappers/to-company.js';
import { toEmployee } from './mappers/to-employee.js';
import { departmentToGroup, groupToGroup } from './mappers/to-group.js';
import { toLocation } from './mappers/to-location.js';
import { toPayrun, toPayslip } from './mappers/to-payroll.js';
import { toTimeOffBalance, toTimeOffEntry } from './mappers/to-time-off.js';
import { toTimesheet } from './mappers/to-timesheet.js';
import type {
  DeelDepartment,
  DeelEmployment,
  DeelEntitlement,
  DeelGroup,
  DeelGrossToNet,
  DeelLegalEntity,
  DeelMe,
  DeelPayrollReport,
  DeelPerson,
  DeelPolicy,
  DeelTimeOff,
  DeelTimesheet,
  DeelWorkingLocation,
} from './raw.js';
import type { DEEL_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

/** At most this many profiles are asked for their policies to name the time-off types of one listing. */
const POLICY_LOOKUP_PROFILES = 25;

export interface DeelAdapter extends AdapterFor<typeof DEEL_UNIFIED_RESOURCES, 'passthrough'> {
  client: DeelClient;
}

function overlaps(start: string | null, end: string | null, range: DateRange): boolean {
  if (start && start > range.end_date) return false;
  if (end && end < range.start_date) return false;
  return true;
}

function byName<T extends { name?: string }>(items: T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (item.name && !map.has(item.name)) map.set(item.name, item);
  return map;
}

/**
 * Creates the adapter. `options` exists for tests (short timeouts, a faster rate limit against a local
 * emulator); `deelProvider.connect` uses the documented defaults.
 */
export function createDeelAdapter(ctx: ProviderContext, options: DeelClientOptions = {}): DeelAdapter {
  const client = new DeelClient(ctx, options);

  const data = async <T>(path: string, query?: Record<string, string | undefined>): Promise<T[]> => {
    const { body } = await client.get<{ data?: T[] }>(path, query);
    if (!Array.isArray(body?.data)) throw new ProviderError('bad_response', `Deel ${path}: no data array`);
    return body.data;
  };
  const people = () => client.listOffset<DeelPerson>('/people');

  /** contract id → the person holding it, with that contract (for currency). */
  const contractIndex = (persons: DeelPerson[]) => {
    const index = new Map<string, { person: DeelPerson; employment: DeelEmployment }>();
    for (const person of persons) {
      for (const employment of person.employments ?? []) {
        if (employment.id) index.set(employment.id, { person, employment });
      }
    }
    return index;
  };

  const legalEntityReports = async (): Promise<DeelPayrollReport[]> => {
    const entities = await data<DeelLegalEntity>('/legal-entities');
    const perEntity = await Promise.all(
      entities
        .filter((e) => e.id)
        .map(async (e) => {
          const { status, body } = await client.get<{ data?: DeelPayrollReport[] }>(
            `/gp/legal-entities/${encodeURIComponent(e.id ?? '')}/reports`,
            undefined,
            // A legal entity without Global Payroll has no payroll events.
            [404],
          );
          return status === 404 ? [] : (body?.data ?? []);
        }),
    );
    return perEntity.flat();
  };

  /** time_off_type_id → policy, from the policies of a few profiles (policies are organization-wide in Deel). */
  const policiesFor = async (entries: DeelTimeOff[]): Promise<Map<string, DeelPolicy>> => {
    const byType = new Map<string, DeelPolicy>();
    const wanted = new Set(entries.map((e) => e.time_off_type_id).filter((t): t is string => !!t));
    const profiles = [
      ...new Set(entries.map((e) => e.recipient_profile?.hris_profile_id).filter((p): p is string => !!p)),
    ];
    for (const profile of profiles.slice(0, POLICY_LOOKUP_PROFILES)) {
      if ([...wanted].every((t) => byType.has(t))) break;
      const { status, body } = await client.get<{ policies?: DeelPolicy[] }>(
        `/time_offs/profile/${encodeURIComponent(profile)}/policies`,
        undefined,
        [404],
      );
      if (status === 404) continue;
      for (const policy of body?.policies ?? []) {
        for (const type of policy.time_off_types ?? [])
          if (type.id && !byType.has(type.id)) byType.set(type.id, policy);
      }
    }
    return byType;
  };

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      await verifyEntered(async () => {
        await data('/organizations');
      }, 'Deel refused the API token');
    },

    async identity() {
      const { body } = await client.get<DeelMe>('/people/me');
      return toIdentity(body ?? {});
    },

    async company() {
      return (await data<DeelLegalEntity>('/legal-entities')).map(toCompany);
    },

    async employees(sink) {
      const lookups = Promise.all([
        data<DeelDepartment>('/departments'),
        data<DeelWorkingLocation>('/working-locations'),
      ]).then(([departments, locations]) => ({
        departmentsByName: byName(departments),
        locationsByName: byName(locations),
      }));
      // Observed by every page's mapping; this keeps a failure while the first page is in flight from counting as
      // unhandled (the mapping still rethrows it).
      lookups.catch(() => undefined);
      // Each page is mapped when it arrives: the raw people pages never all exist at once. With a sink, the mapped
      // pages go on to it in list order (and to the encoder) while later ones are still being fetched.
      const isEmployee = (e: Employee | null): e is Employee => e !== null;
      const mapped = await client.mapOffset<DeelPerson, Employee | null>(
        '/people',
        {},
        async (page) => {
          const found = await lookups;
          return page.map((p) => (p.id ? toEmployee(p, found) : null));
        },
        sink && {
          expect: (total) => sink.expect?.(total),
          push: (rows) => sink.push(rows.filter(isEmployee)),
        },
      );
      return mapped.filter(isEmployee);
    },

    async groups() {
      const [departments, groups] = await Promise.all([
        data<DeelDepartment>('/departments'),
        client.listGroups<DeelGroup>(),
      ]);
      return [...departments.map(departmentToGroup), ...groups.map(groupToGroup)];
    },

    async workLocations() {
      return (await data<DeelWorkingLocation>('/working-locations')).map(toLocation);
    },

    async timeOffEntries(range) {
      const entries = await client.listTimeOffs<DeelTimeOff>(
        range
          ? { start_date: `${range.start_date}T00:00:00.000Z`, end_date: `${range.end_date}T23:59:59.999Z` }
          : {},
      );
      const policies = await policiesFor(entries);
      return entries.map((e) =>
        toTimeOffEntry(e, e.time_off_type_id ? policies.get(e.time_off_type_id) : undefined),
      );
    },

    async timeOffBalances() {
      const ids = (await people()).map((p) => p.id).filter((id): id is string => !!id);
      // One call per person is all the spec offers; the rate limiter paces them.
      const perPerson = await Promise.all(
        ids.map(async (id) => {
          const { status, body } = await client.get<{ entitlements?: DeelEntitlement[] }>(
            `/time_offs/profile/${encodeURIComponent(id)}/entitlements`,
            undefined,
            // People outside Deel HR time off have no profile entitlements.
            [404],
          );
          return status === 404 ? [] : (body?.entitlements ?? []).map((e) => toTimeOffBalance(id, e));
        }),
      );
      return perPerson.flat();
    },

    async timesheets(range) {
      const [sheets, persons] = await Promise.all([
        client.listOffset<DeelTimesheet>(
          '/timesheets',
          range ? { date_from: range.start_date, date_to: range.end_date } : {},
        ),
        people(),
      ]);
      const contracts = contractIndex(persons);
      return sheets.map((s) => {
        const owner = s.contract?.id ? contracts.get(s.contract.id) : undefined;
        // The reporter is the worker on contractor timesheets; used only when the contract is not listed.
        return toTimesheet(s, owner?.person.id ?? s.reported_by?.id ?? '');
      });
    },

    async payruns(range) {
      const payruns = (await legalEntityReports()).map(toPayrun);
      return payruns.filter((p) => overlaps(p.start_date, p.end_date, range));
    },

    async payslips(payrunId) {
      const report = (await legalEntityReports()).find((r) => r.id === payrunId);
      if (!report) return null;
      const [g2n, persons] = await Promise.all([
        client.get<{ data?: DeelGrossToNet[] }>(
          `/gp/reports/${encodeURIComponent(payrunId)}/gross_to_net`,
          undefined,
          [404],
        ),
        people(),
      ]);
      if (g2n.status === 404) return null;
      const contracts = contractIndex(persons);
      const rows = g2n.body?.data;
      if (!Array.isArray(rows)) throw new ProviderError('bad_response', 'Deel gross_to_net: no data array');
      return rows.map((row) => {
        const owner = row.contract_id ? contracts.get(row.contract_id) : undefined;
        return toPayslip(row, {
          report,
          employeeId: owner?.person.id ?? row.contract_id ?? '',
          currency: owner?.employment.payment?.currency ?? null,
        });
      });
    },
  };
}
