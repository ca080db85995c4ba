/** Justworks (xhr, HTTP sign-in): employees from the directory, payrolls and their pay stubs from the payments pages. */
import { ProviderError } from '../errors.js';
import type { ProviderClientOptions } from '../http.js';
import type { DateRange, ProviderAdapter, ProviderContext } from '../types.js';
import { JustworksClient } from './client.js';
import { toEmployee, toPayrun, toPayslip } from './mappers/to-unified.js';
import type { JwCurrentMember, JwMember, JwPayroll, JwPaystub } from './raw.js';

const ADMIN_ROLES = ['admin', 'payroll_admin'];

export function createJustworksAdapter(
  ctx: ProviderContext,
  options: ProviderClientOptions = {},
): ProviderAdapter {
  const client = new JustworksClient(ctx, options);
  const payrolls = async () => (await client.page<JwPayroll[]>('/payments', 'payrolls')) ?? [];
  return {
    async verify() {
      await client.session.signIn();
      const me = await client.page<JwCurrentMember>('/dashboard', 'currentMember');
      if (!ADMIN_ROLES.includes(me?.role ?? '')) {
        throw ProviderError.authentication('insufficient_permission', 'this Justworks login is not an admin');
      }
    },
    async employees() {
      return ((await client.page<JwMember[]>('/directory', 'members')) ?? []).map(toEmployee);
    },
    async payruns(range: DateRange) {
      return (await payrolls())
        .map(toPayrun)
        .filter(
          (p) =>
            (p.end_date ?? p.payment_date ?? '9999-12-31') >= range.start_date &&
            (p.start_date ?? p.payment_date ?? '0000-01-01') <= range.end_date,
        );
    },
    async payslips(payrunId: string) {
      if (!/^[\w-]{1,64}$/.test(payrunId)) return null;
      const path = `/payments/${payrunId}/paystubs`;
      const [payroll, stubs] = await Promise.all([
        client.page<JwPayroll>(path, 'payroll'),
        client.page<JwPaystub[]>(path, 'paystubs'),
      ]);
      if (!payroll || !stubs) return null;
      return stubs.map((s) => toPayslip(s, payroll));
    },
  };
}
