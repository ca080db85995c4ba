/** Departments, teams and cost centres: Personio v1 has no list endpoint for them, so they come from employees. */
import type { Group } from '../../../model/index.js';
import type { PersonioEmployee } from '../raw.js';
import { asRef, attrValue } from './attributes.js';
import { opaqueId, remoteId } from './ids.js';

export type PersonioGroupKind = 'department' | 'team' | 'cost_center';

/** Personio's group kinds → the contract's `GroupType`. */
export function groupType(kind: PersonioGroupKind): Group['type'] {
  switch (kind) {
    case 'department':
      return 'department';
    case 'team':
      return 'team';
    case 'cost_center':
      return 'cost_centre';
  }
}

export function toGroup(kind: PersonioGroupKind, ref: { id: number | string; name: string | null }): Group {
  return { id: opaqueId(kind, ref.id), remote_id: remoteId(ref.id), name: ref.name, type: groupType(kind) };
}

/** The groups one employee belongs to: department, team, then every cost centre. */
export function employeeGroups(emp: PersonioEmployee): Group[] {
  const out: Group[] = [];
  const department = asRef(attrValue(emp.attributes, 'department'));
  if (department) out.push(toGroup('department', department));
  const team = asRef(attrValue(emp.attributes, 'team'));
  if (team) out.push(toGroup('team', team));
  const costCenters = attrValue(emp.attributes, 'cost_centers');
  if (Array.isArray(costCenters)) {
    for (const cc of costCenters) {
      const ref = asRef(cc);
      if (ref) out.push(toGroup('cost_center', ref));
    }
  }
  return out;
}

/** Every distinct group referenced by any employee, in first-seen order. */
export function toGroups(employees: readonly PersonioEmployee[]): Group[] {
  const seen = new Map<string, Group>();
  for (const emp of employees) {
    for (const g of employeeGroups(emp)) if (g.id && !seen.has(g.id)) seen.set(g.id, g);
  }
  return [...seen.values()];
}
