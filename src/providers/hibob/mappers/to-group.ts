/**
 * HiBob company lists (`GET /company/named-lists/{listName}`) → unified groups and work locations. Lists may nest
 * (`children`: sub-departments); every level is one item of its own.
 */
import type { Group, Location } from '../../../model/index.js';
import type { HibobListItem, HibobNamedList } from '../raw.js';
import { str } from './values.js';

/** Every item of a list, parents before their children. */
export function flattenList(list: HibobNamedList | null | undefined): HibobListItem[] {
  const out: HibobListItem[] = [];
  const walk = (items: readonly HibobListItem[] | undefined) => {
    for (const item of items ?? []) {
      if (item === null || typeof item !== 'object') continue;
      out.push(item);
      walk(item.children);
    }
  };
  walk(list?.items);
  return out;
}

/** An item's display text: `value` is what HiBob shows, `name` its internal name. */
function itemName(item: HibobListItem): string | null {
  return str(item.value) ?? str(item.name);
}

/** The `department` list: its item ids are what employees' `work.department` holds. */
export function toGroups(list: HibobNamedList | null | undefined): Group[] {
  return flattenList(list).map((item) => {
    const id = str(item.id);
    return { id, remote_id: id, name: itemName(item), type: 'department' };
  });
}

/**
 * The `site` list: its item ids are employees' `work.siteId`. HiBob's list gives no address, and "site" is HiBob's
 * own word for the place, passed on as the contract asks when there is no clear mapping.
 */
export function toLocations(list: HibobNamedList | null | undefined): Location[] {
  return flattenList(list).map((item) => {
    const id = str(item.id);
    return { id, remote_id: id, name: itemName(item), type: 'site', address: null };
  });
}
