/**
 * The Gusto adapter: which Gusto endpoints feed which unified resource. Everything is per company; the company is
 * the one the access token belongs to (`GET /v1/token_info`, Gusto tokens are limited to one company since API
 * version 2023-05-01), unless the connection names one.
 */
import type { Employee, Payrun, Payslip } from '../../model/index.js';
import { ProviderError, verifyEntered } from '../errors.js';
import type { DateRange, ProviderContext } from '../types.js';
import { GustoClient, type GustoClientOptions, type Walk } from './client.js';
import { toCompany, toIdentity } from './mappers/to-company.js';
import { type ManagerFacts, managerFacts, toEmployee, withManagers } from './mappers/to-employee.js';
import { toGroup } from './mappers/to-group.js';
import { isActiveLocation, toLocation } from './mappers/to-location.js';
import { payrollId, toPayrun, toPayslip } from './mappers/to-payroll.js';
import { toTimeOffBalances, toTimeOffEntry } from './mappers/to-time-off.js';
import type {
  GustoAdmin,
  GustoCompany,
  GustoDepartment,
  GustoEmployee,
  GustoEmployeeCompensation,
  GustoLocation,
  GustoPayroll,
  GustoPayrollShow,
  GustoTimeOffBalance,
  GustoTimeOffPolicy,
  GustoTimeOffRequest,
  GustoTokenInfo,
} from './raw.js';
import type { GUSTO_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

/** Gusto refuses a payroll listing whose `start_date` and `end_date` are more than a year apart (the spec says so). */
const PAYROLL_WINDOW_DAYS = 365;
/**
 * Gusto lists the payrolls whose pay period lies within the dates, so consecutive windows overlap by the longest pay
 * period (a month) for a period across a window boundary to lie wholly within one of them.
 */
const PAYROLL_WINDOW_OVERLAP_DAYS = 31;
/** …and an `end_date` more than 3 months ahead. */
const PAYROLL_MAX_MONTHS_AHEAD = 3;

export interface GustoAdapter extends AdapterFor<typeof GUSTO_UNIFIED_RESOURCES, 'passthrough'> {
  client: GustoClient;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** `range` cut into overlapping windows Gusto accepts, the end clamped to 3 months from `today`; none if empty. */
export function payrollWindows(range: DateRange, today: string): DateRange[] {
  const limit = new Date(dayMs(today));
  limit.setUTCMonth(limit.getUTCMonth() + PAYROLL_MAX_MONTHS_AHEAD);
  const end = Math.min(dayMs(range.end_date), limit.getTime());
  const out: DateRange[] = [];
  for (let start = dayMs(range.start_date); start <= end; ) {
    const windowEnd = Math.min(end, start + (PAYROLL_WINDOW_DAYS - 1) * DAY_MS);
    out.push({ start_date: isoDay(start), end_date: isoDay(windowEnd) });
    if (windowEnd >= end) break;
    start += (PAYROLL_WINDOW_DAYS - PAYROLL_WINDOW_OVERLAP_DAYS) * DAY_MS;
  }
  return out;
}

/**
 * Builds the adapter. `options` exists for tests (short timeouts, a faster rate limit against a local emulator);
 * `gustoProvider.connect` uses the documented defaults.
 */
export function createGustoAdapter(ctx: ProviderContext, options: GustoClientOptions = {}): GustoAdapter {
  const client = new GustoClient(ctx, options);
  const configured = ctx.credentials['company_uuid']?.trim() || null;
  let companyUuid: Promise<string> | null = null;

  const tokenInfo = async (): Promise<GustoTokenInfo> =>
    (await client.get<GustoTokenInfo>('/v1/token_info')).body;

  /** The company of the connection: named on the connect page, else the one the token belongs to. */
  const company = (): Promise<string> => {
    if (!companyUuid) {
      companyUuid = configured
        ? Promise.resolve(configured)
        : tokenInfo().then((info) => {
            const uuid = info?.resource?.type === 'Company' ? info.resource.uuid : undefined;
            if (!uuid) {
              throw ProviderError.authentication(
                'insufficient_permission',
                'the Gusto token is not a company token; give the company uuid',
              );
            }
            return uuid;
          });
      companyUuid.catch(() => {
        companyUuid = null;
      });
    }
    return companyUuid;
  };
  const under = async (path: string) => `/v1/companies/${encodeURIComponent(await company())}${path}`;

  const policies = async (): Promise<Map<string, GustoTimeOffPolicy>> => {
    const { body } = await client.get<GustoTimeOffPolicy[]>(await under('/time_off_policies'));
    if (!Array.isArray(body)) throw new ProviderError('bad_response', 'Gusto time off policies: no list');
    return new Map(body.filter((p) => p.uuid).map((p) => [p.uuid as string, p]));
  };

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      // On the connect page, a token pair Gusto refuses (even after a refresh) is a wrong entry, not a lapsed one.
      await verifyEntered(async () => {
        const info = await tokenInfo();
        const tokenCompany = info?.resource?.type === 'Company' ? info.resource.uuid : undefined;
        if (configured && tokenCompany && tokenCompany !== configured) {
          throw ProviderError.authentication(
            'incorrect_username_or_password',
            'the Gusto token belongs to another company than the company uuid given',
          );
        }
        await client.get<GustoCompany>(await under(''));
      }, 'Gusto refused the tokens');
    },

    async identity() {
      const info = await tokenInfo();
      const owner = info?.resource_owner;
      if (owner?.type !== 'CompanyAdmin' || !owner.uuid) {
        throw new ProviderError('not_found', 'the Gusto token was not authorized by a company admin');
      }
      const admins = await client.list<GustoAdmin>(await under('/admins'));
      const admin = admins.find((a) => a.uuid === owner.uuid);
      if (!admin)
        throw new ProviderError('not_found', 'the admin who authorized the Gusto token is not listed');
      return toIdentity(admin);
    },

    async company() {
      const [{ body }, locations] = await Promise.all([
        client.get<GustoCompany>(await under('')),
        client.list<GustoLocation>(await under('/locations')),
      ]);
      if (!body || typeof body !== 'object')
        throw new ProviderError('bad_response', 'Gusto company: no object');
      return [toCompany(body, locations)];
    },

    /**
     * Mapped page by page. With a sink, employees go on in Gusto's order as soon as their manager has been listed
     * (the manager's name is in the manager's own record): usually at once, as managers tend to be listed first.
     */
    async employees(sink) {
      const today = isoDay(Date.now());
      // Every employee's name and email for the rest of the walk (the whole record would outlive its page).
      const managers = new Map<string, ManagerFacts>();
      // Mapped but not handed on yet: an employee waits for its manager, and everyone after it waits too.
      const held: Employee[] = [];
      const release = (page: Employee[]) => {
        for (const e of page) {
          held.push(e);
          managers.set(e.id, managerFacts(e));
        }
        let ready = 0;
        while (ready < held.length) {
          const managerId = held[ready]?.manager?.id;
          if (managerId && !managers.has(managerId)) break;
          ready++;
        }
        if (ready > 0) sink?.push(withManagers(held.splice(0, ready), managers));
      };
      const walk = await client.walk<GustoEmployee[], GustoEmployee, Employee>(
        await under('/employees'),
        { include: 'all_compensations,current_home_address,custom_fields' },
        (body) => body,
        (page) => page.map((e) => toEmployee(e, today)),
        sink && { expect: (total) => sink.expect?.(total), page: release, key: (e) => e.id },
      );
      for (const e of walk.items) {
        held.push(e);
        managers.set(e.id, managerFacts(e));
      }
      return withManagers(held, managers);
    },

    async groups() {
      const { body } = await client.get<GustoDepartment[]>(await under('/departments'));
      if (!Array.isArray(body)) throw new ProviderError('bad_response', 'Gusto departments: no list');
      return body.map(toGroup);
    },

    async workLocations() {
      const locations = await client.list<GustoLocation>(await under('/locations'));
      return locations.filter(isActiveLocation).map(toLocation);
    },

    async timeOffEntries(range) {
      const [byId, requests] = await Promise.all([
        policies(),
        client.list<GustoTimeOffRequest>(
          await under('/time_off/requests'),
          range ? { start_date: range.start_date, end_date: range.end_date } : {},
        ),
      ]);
      return requests.map((r) => toTimeOffEntry(r, byId));
    },

    async timeOffBalances() {
      const [byId, balances] = await Promise.all([
        policies(),
        client.list<GustoTimeOffBalance>(await under('/time_off/balances')),
      ]);
      return balances.flatMap((b) => toTimeOffBalances(b, byId));
    },

    /**
     * Regular and off-cycle payrolls, processed or not, whose pay period lies in `range` (Gusto's own filter),
     * fetched a year at a time as Gusto requires. External payrolls (run outside Gusto) are not asked for.
     */
    async payruns(range) {
      const path = await under('/payrolls');
      const windows = payrollWindows(range, isoDay(Date.now()));
      const lists = await Promise.all(
        windows.map((w) =>
          client.list<GustoPayroll>(path, {
            processing_statuses: 'processed,unprocessed',
            payroll_types: 'regular,off_cycle',
            start_date: w.start_date,
            end_date: w.end_date,
          }),
        ),
      );
      const seen = new Set<string>();
      const out: Payrun[] = [];
      for (const p of lists.flat()) {
        const id = payrollId(p);
        if (!id || seen.has(id)) continue;
        seen.add(id);
        out.push(toPayrun(p));
      }
      return out;
    },

    /** One payroll with its employee compensations (100 a page), taxes, benefits and deductions. */
    async payslips(payrunId) {
      const path = await under(`/payrolls/${encodeURIComponent(payrunId)}`);
      let walk: Walk<GustoPayrollShow, GustoEmployeeCompensation>;
      try {
        walk = await client.walk<GustoPayrollShow, GustoEmployeeCompensation, GustoEmployeeCompensation>(
          path,
          { include: 'taxes,benefits,deductions' },
          (body) => body?.employee_compensations,
          (records) => records,
        );
      } catch (err) {
        if (err instanceof ProviderError && err.kind === 'not_found') return null;
        throw err;
      }
      const run = toPayrun(walk.head ?? {});
      if (walk.items.length > 0 && !run.payment_date && !run.end_date) {
        // A payslip must have its dates (the contract requires them); a payroll without any is not one we can serve.
        throw new ProviderError('bad_response', `Gusto payroll ${payrunId} has no check date or pay period`);
      }
      return walk.items.map((c) => toPayslip(c, walk.head)).filter((p): p is Payslip => p !== null);
    },
  };
}
