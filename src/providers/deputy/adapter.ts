/**
 * Deputy (xhr, HTTP sign-in): employees with their contact and workplace, operational units as groups, and
 * timesheets, from the `/api/v1` JSON its web app fetches. Deputy runs no payroll of its own (it exports timesheets
 * to payroll systems), so payruns and payslips answer 501.
 */
import { ProviderError } from '../errors.js';
import type { ProviderClientOptions } from '../http.js';
import type { DateRange, ProviderAdapter, ProviderContext } from '../types.js';
import { DeputyClient } from './client.js';
import { toEmployee, toGroup, toTimesheet } from './mappers/to-unified.js';
import type { DeputyEmployee, DeputyOperationalUnit, DeputyTimesheet } from './raw.js';

/** Access levels that may read every employee's records. */
const ADMIN_ROLES = ['System Administrator', 'Supervisor', 'Location Manager', 'Advisor'];

export function createDeputyAdapter(
  ctx: ProviderContext,
  options: ProviderClientOptions = {},
): ProviderAdapter {
  const client = new DeputyClient(ctx, options);
  return {
    async verify() {
      await client.session.signIn();
      const me = await client.me();
      if (me.Company == null) throw ProviderError.authentication('no_valid_accounts', 'no Deputy workplace');
      if (!ADMIN_ROLES.includes(me.Role ?? '')) {
        throw ProviderError.authentication(
          'insufficient_permission',
          'this Deputy login is not an administrator',
        );
      }
    },
    async employees() {
      const rows = await client.query<DeputyEmployee>('Employee', {
        join: ['ContactObject', 'CompanyObject'],
      });
      return rows.filter((e) => typeof e.Id === 'number').map(toEmployee);
    },
    async groups() {
      return (await client.list<DeputyOperationalUnit>('OperationalUnit')).map(toGroup);
    },
    async timesheets(range: DateRange | null) {
      const rows = await client.query<DeputyTimesheet>('Timesheet', {
        search: {
          s1: { field: 'Discarded', type: 'ne', data: true },
          ...(range
            ? {
                s2: { field: 'Date', type: 'ge', data: range.start_date },
                s3: { field: 'Date', type: 'le', data: range.end_date },
              }
            : {}),
        },
        sort: { Date: 'asc' },
      });
      return rows.filter((t) => typeof t.Id === 'number' && !t.IsInProgress).map(toTimesheet);
    },
  };
}
