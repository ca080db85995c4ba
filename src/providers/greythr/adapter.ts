/**
 * greytHR (xhr): employees from the directory, payruns from the payroll months. Payslips are not offered: greytHR
 * pays in rupees and the contract's payslip `currency` is a non-null enum without INR (README.md).
 */
import type { DateRange, ProviderAdapter, ProviderContext } from '../types.js';
import { ProviderError } from '../errors.js';
import type { ProviderClientOptions } from '../http.js';
import { GreytClient } from './client.js';
import { toEmployee } from './mappers/to-employee.js';
import { toPayrun } from './mappers/to-payroll.js';

/** Roles that may read everyone's records; a plain employee (ESS) sees only their own. */
const ADMIN_ROLES = ['HR_ADMIN', 'PAYROLL_ADMIN', 'SUPER_ADMIN'];

export function createGreytAdapter(
  ctx: ProviderContext,
  options: ProviderClientOptions = {},
): ProviderAdapter {
  const client = new GreytClient(ctx, options);
  const me = async () => {
    const info = await client.userInfo();
    if (typeof info.employeeId !== 'number')
      throw new ProviderError('bad_response', 'greytHR user-info has no id');
    return info as typeof info & { employeeId: number };
  };
  return {
    async verify() {
      await client.session.signIn();
      const info = await me();
      if (!(info.roles ?? []).some((r) => ADMIN_ROLES.includes(r))) {
        throw ProviderError.authentication(
          'insufficient_permission',
          'this greytHR login is not an HR or payroll admin',
        );
      }
    },
    async employees() {
      return (await client.directory()).filter((e) => typeof e.employeeId === 'number').map(toEmployee);
    },
    async payruns(range: DateRange) {
      const { months = [] } = await client.months((await me()).employeeId);
      return months
        .map(toPayrun)
        .filter(
          (p) =>
            (p.end_date ?? '9999-12-31') >= range.start_date &&
            (p.start_date ?? '0000-01-01') <= range.end_date,
        );
    },
  };
}
