/** `CompanyDepartment` → unified Group (type `department`): Remote's only grouping of employments. */
import type { Group } from '../../../model/index.js';
import type { RemoteDepartment } from '../raw.js';
import { opaqueId, text } from './values.js';

export function toGroup(raw: RemoteDepartment): Group {
  const id = text(raw.id) ?? '';
  return { id: opaqueId('department', id), remote_id: id, name: text(raw.name), type: 'department' };
}
