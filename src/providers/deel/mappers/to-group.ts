/** Deel departments (`GET /departments`) and groups (`GET /groups`, Deel's teams) → unified Group. */
import type { Group } from '../../../model/index.js';
import type { DeelDepartment, DeelGroup } from '../raw.js';
import { str } from './values.js';

/** Department ids are numbers in the spec; the unified id is their string form. */
export function departmentGroupId(dept: DeelDepartment): string | null {
  return str(dept.id);
}

export function departmentToGroup(dept: DeelDepartment): Group {
  const id = departmentGroupId(dept);
  return { id, remote_id: id, name: str(dept.name), type: 'department' };
}

/** Deel's "groups" are the working groups people's `employments[].team.id` points at, i.e. teams. */
export function groupToGroup(group: DeelGroup): Group {
  const id = str(group.id);
  return { id, remote_id: id, name: str(group.name), type: 'team' };
}
