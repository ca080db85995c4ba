/** Xero Payroll UK payroll calendar (`GET /PayRunCalendars`) → unified Group of type `pay_group`. */
import type { Group } from '../../../model/index.js';
import type { XeroPayRunCalendar } from '../raw.js';

export function toGroup(calendar: XeroPayRunCalendar): Group {
  const id = calendar.payrollCalendarID ?? null;
  return {
    id,
    remote_id: id,
    // Xero's own examples pad calendar names ("Weekly ").
    name: calendar.name?.trim() || null,
    type: 'pay_group',
  };
}
