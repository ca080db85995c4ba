import { ProviderError, verifyEntered } from '../errors.js';
import type { ProviderContext } from '../types.js';
import { RemoteClient, type RemoteClientOptions } from './client.js';
import { toCompany } from './mappers/to-company.js';
import { toEmployee } from './mappers/to-employee.js';
import { toGroup } from './mappers/to-group.js';
import { toTimeOffBalances, toTimeOffEntry } from './mappers/to-time-off.js';
import type {
  RemoteCompany,
  RemoteCountry,
  RemoteDepartment,
  RemoteEmployment,
  RemoteMinimalEmployment,
  RemoteTimeoff,
  RemoteTimeoffBalance,
} from './raw.js';
import type { REMOTE_UNIFIED_RESOURCES } from './provider.js';
import type { AdapterFor } from '../resources.js';

/** Most employments whose details `employees()` reads: 40 calls are two minutes of Remote's 20 a minute. */
export const REMOTE_DETAILS_MAX_EMPLOYEES = 40;

export interface RemoteAdapterOptions extends RemoteClientOptions {
  /** Most employments whose details `employees()` reads (default REMOTE_DETAILS_MAX_EMPLOYEES). */
  detailsMaxEmployees?: number;
}

export interface RemoteAdapter extends AdapterFor<typeof REMOTE_UNIFIED_RESOURCES, 'passthrough'> {
  readonly client: RemoteClient;
}

/** `/v1/companies` answers `{companies}` in its schema and `{data: {companies}}` in its own example. */
function companiesOf(
  body: { companies?: unknown; data?: { companies?: unknown } } | undefined,
): RemoteCompany[] {
  const list = body?.companies ?? body?.data?.companies;
  if (!Array.isArray(list))
    throw new ProviderError('bad_response', 'Remote /v1/companies has no companies list');
  return list as RemoteCompany[];
}

/**
 * Build the adapter for one connection. `options` is for tests and benchmarks (pacing, page size, the details cap).
 * @example
 * const adapter = createRemoteAdapter(ctx);
 * const people = await adapter.employees();
 */
export function createRemoteAdapter(ctx: ProviderContext, options: RemoteAdapterOptions = {}): RemoteAdapter {
  const client = new RemoteClient(ctx, options);
  const detailsMax = options.detailsMaxEmployees ?? REMOTE_DETAILS_MAX_EMPLOYEES;
  const employments = () => client.list<RemoteMinimalEmployment>('/v1/employments', 'employments');

  const companies = async () =>
    companiesOf((await client.get<Parameters<typeof companiesOf>[0]>('/v1/companies')).body);

  async function detail(id: string): Promise<RemoteEmployment> {
    const { body } = await client.get<{ data?: { employment?: RemoteEmployment } }>(
      `/v1/employments/${encodeURIComponent(id)}`,
    );
    const employment = body?.data?.employment;
    if (!employment || typeof employment !== 'object') {
      throw new ProviderError('bad_response', 'Remote /v1/employments/{id} has no data.employment');
    }
    return employment;
  }

  return {
    client,
    passthrough: (req) => client.raw(req),

    async verify() {
      if (!client.hasToken) {
        throw ProviderError.authentication(
          'incorrect_username_or_password',
          'a Remote API token is required',
        );
      }
      await verifyEntered(async () => {
        // The cheapest read every resource depends on: the token's company.
        await companies();
      }, 'Remote refused the API token');
    },

    async company() {
      const [list, countries] = await Promise.all([
        companies(),
        client.get<{ data?: RemoteCountry[] }>('/v1/countries'),
      ]);
      const alpha2 = new Map<string, string>();
      for (const c of Array.isArray(countries.body?.data) ? countries.body.data : []) {
        if (typeof c.code === 'string' && typeof c.alpha_2_code === 'string')
          alpha2.set(c.code, c.alpha_2_code);
      }
      return list.map((c) => toCompany(c, alpha2));
    },

    async employees() {
      const list = await employments();
      const byId = new Map(list.filter((e) => typeof e.id === 'string').map((e) => [e.id as string, e]));
      const details = new Map<string, RemoteEmployment>();
      if (list.length <= detailsMax) {
        const fetched = await Promise.all(
          [...byId.keys()].map(async (id) => [id, await detail(id)] as const),
        );
        for (const [id, d] of fetched) details.set(id, d);
      }
      return list.map((e) => toEmployee(e, { employments: byId, details }));
    },

    async groups() {
      // Departments are listed per company; a token sees one company (or several, for a partner).
      const all = await Promise.all(
        (await companies()).map((c) =>
          client.list<RemoteDepartment>('/v1/company-departments', 'company_departments', {
            company_id: c.id ?? '',
          }),
        ),
      );
      return all.flat().map(toGroup);
    },

    async timeOffEntries(range) {
      // Remote's list has no date filter: the whole list, then the requests that overlap the range.
      const list = await client.list<RemoteTimeoff>('/v1/timeoff', 'timeoffs', { order: 'asc' });
      const entries = list.map(toTimeOffEntry);
      if (!range) return entries;
      return entries.filter(
        (e) =>
          (e.start_date === null || e.start_date <= range.end_date) &&
          (e.end_date === null || e.end_date >= range.start_date),
      );
    },

    async timeOffBalances() {
      const list = await employments();
      const balances = await Promise.all(
        list
          .filter((e) => typeof e.id === 'string')
          .map(async (e) => {
            const id = e.id as string;
            const { status, body } = await client.get<{ data?: { timeoff_balance?: RemoteTimeoffBalance } }>(
              `/v1/timeoff-balances/${encodeURIComponent(id)}`,
              undefined,
              [404],
            );
            // 404: an employment without a leave policy (contractors, onboarding) has no balance.
            const balance = status === 404 ? undefined : body?.data?.timeoff_balance;
            return balance ? toTimeOffBalances(id, balance) : [];
          }),
      );
      return balances.flat();
    },
  };
}
