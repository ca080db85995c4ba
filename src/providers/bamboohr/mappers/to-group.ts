/** BambooHR list fields (GET /api/v1/meta/lists) → unified groups. */
import type { Group } from '../../../model/index.js';
import type { BhListField } from '../raw.js';
import { str } from './values.js';

/** The list-field aliases that partition employees into groups. */
export type GroupListAlias = 'department' | 'division';

/**
 * Group ids must be unique across lists (a department and a division can share option id 3), so the unified id
 * carries the list alias; `remote_id` stays BambooHR's option id.
 */
export function groupId(alias: GroupListAlias, optionId: string | number): string {
  return `${alias}:${optionId}`;
}

/**
 * BambooHR departments are departments. Divisions are business units above departments; the contract has no such
 * type (only department, team, cost_centre, pay_group), so their type stays null rather than being mislabelled.
 */
export function groupType(alias: GroupListAlias): Group['type'] {
  switch (alias) {
    case 'department':
      return 'department';
    case 'division':
      return null;
  }
}

function asGroupAlias(alias: string | undefined): GroupListAlias | null {
  switch (alias) {
    case 'department':
      return 'department';
    case 'division':
      return 'division';
    default:
      return null;
  }
}

/** Current (not archived) options of the department and division lists. */
export function toGroups(lists: readonly BhListField[]): Group[] {
  const out: Group[] = [];
  for (const list of lists) {
    const alias = asGroupAlias(list.alias);
    if (!alias) continue;
    for (const option of list.options ?? []) {
      if (option.archived === 'yes') continue;
      out.push({
        id: groupId(alias, option.id),
        remote_id: String(option.id),
        name: str(option.name),
        type: groupType(alias),
      });
    }
  }
  return out;
}
