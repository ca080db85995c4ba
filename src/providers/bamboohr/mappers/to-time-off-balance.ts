/** BambooHR balances (GET /api/v1/employees/{id}/time_off/calculator) → unified TimeOffBalance. */
import type { TimeOffBalance } from '../../../model/index.js';
import type { BhTimeOffBalance } from '../raw.js';
import { toPolicyType } from './to-time-off-entry.js';
import { str, toNumber } from './values.js';

/** Balances are decimal strings in the type's own unit (hours or days); we keep the number as BambooHR gives it. */
export function toTimeOffBalance(raw: BhTimeOffBalance, employeeId: string): TimeOffBalance {
  const policy = str(raw.timeOffType);
  return {
    employee_id: employeeId,
    employee_remote_id: employeeId,
    balance: toNumber(raw.balance),
    used: toNumber(raw.usedYearToDate),
    policy_id: policy,
    policy_remote_id: policy,
    policy_name: str(raw.name),
    policy_type: toPolicyType(raw.name),
    remote_created_at: null,
    remote_modified_at: null,
  };
}
