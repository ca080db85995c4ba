/**
 * Xero Payroll UK leave balance (`GET /Employees/{id}/LeaveBalances`) → unified TimeOffBalance. The balance is served
 * in the units Xero keeps it in (`typeOfUnits`: hours unless the leave type is kept in days); the contract's balance
 * has no unit field. A negative balance (leave taken ahead of accrual, as Xero's own example shows with -80) stays
 * negative. Xero reports neither what was used nor when a balance changed.
 */
import type { TimeOffBalance } from '../../../model/index.js';
import type { XeroLeaveBalance } from '../raw.js';
import { policyTypeOf } from './to-time-off-entry.js';
import { str } from './values.js';

export function toTimeOffBalance(balance: XeroLeaveBalance, employeeId: string): TimeOffBalance {
  const name = str(balance.name);
  return {
    employee_id: employeeId,
    employee_remote_id: employeeId,
    balance: typeof balance.balance === 'number' && Number.isFinite(balance.balance) ? balance.balance : null,
    used: null,
    policy_id: str(balance.leaveTypeID),
    policy_remote_id: str(balance.leaveTypeID),
    policy_name: name,
    policy_type: policyTypeOf(name),
    remote_created_at: null,
    remote_modified_at: null,
  };
}
