/** `GET /company/employees/{id}/absences/balance` rows → unified TimeOffBalance. */
import type { TimeOffBalance } from '../../../model/index.js';
import type { PersonioBalanceRow } from '../raw.js';
import { asNumber, asString } from './attributes.js';
import { opaqueId, remoteId } from './ids.js';
import { mapPolicyType } from './to-time-off-entry.js';

/**
 * `balance` is Personio's effective balance (entitlement minus what has been taken, upcoming periods not deducted),
 * which is what the contract means by a balance. Personio does not report the amount used: deriving it as
 * entitlement − balance would be wrong whenever carry-over or manual corrections exist, so `used` stays null.
 */
export function toTimeOffBalance(employeeRemoteId: string | number, row: PersonioBalanceRow): TimeOffBalance {
  return {
    employee_id: opaqueId('employee', employeeRemoteId),
    employee_remote_id: remoteId(employeeRemoteId),
    balance: asNumber(row.balance),
    used: null,
    policy_id: opaqueId('time_off_type', row.id),
    policy_remote_id: remoteId(row.id),
    policy_name: asString(row.name),
    policy_type: mapPolicyType(row.category),
    remote_created_at: null,
    remote_modified_at: null,
  };
}
