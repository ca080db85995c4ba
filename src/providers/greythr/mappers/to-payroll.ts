/** greytHR payroll months (the payslip periods its payroll pages list) → the contract's payruns. */
import type { Payrun } from '../../../model/index.js';
import type { GreytPayslipMonth } from '../raw.js';

const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);

export function toPayrun(m: GreytPayslipMonth): Payrun {
  const id = String(m.id ?? '');
  return {
    id,
    remote_id: id,
    state: m.released === false ? 'pending' : 'paid',
    type: 'regular',
    start_date: date(m.fromDate),
    end_date: date(m.toDate),
    payment_date: date(m.paidOn) ?? date(m.toDate),
  };
}
