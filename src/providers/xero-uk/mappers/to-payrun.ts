/** Xero Payroll UK pay run (`GET /PayRuns`) → unified Payrun. */
import type { Payrun } from '../../../model/index.js';
import type { XeroPayRun } from '../raw.js';
import { toDate } from './values.js';
import type { PayrunState, PayrunType } from '../../mapping.js';

/** A posted pay run has been paid (Xero posts it once the payments are made); a draft is still being prepared. */
export function mapPayRunStatus(status: string | null | undefined): PayrunState | null {
  switch (status) {
    case 'Posted':
      return 'paid';
    case 'Draft':
      return 'pending';
    default:
      return null;
  }
}

/**
 * `Scheduled` runs follow the payroll calendar; `Unscheduled` ones are Xero's off-cycle runs (a missed payment, a
 * bonus, a leaver's final pay); an `EarlierYearUpdate` corrects the figures of a tax year already closed.
 */
export function mapPayRunType(type: string | null | undefined): PayrunType | null {
  switch (type) {
    case 'Scheduled':
      return 'regular';
    case 'Unscheduled':
      return 'off_cycle';
    case 'EarlierYearUpdate':
      return 'correction';
    default:
      return null;
  }
}

export function toPayrun(run: XeroPayRun): Payrun {
  const id = run.payRunID ?? '';
  return {
    id,
    remote_id: id,
    state: mapPayRunStatus(run.payRunStatus),
    type: mapPayRunType(run.payRunType),
    start_date: toDate(run.periodStartDate),
    end_date: toDate(run.periodEndDate),
    payment_date: toDate(run.paymentDate),
  };
}
