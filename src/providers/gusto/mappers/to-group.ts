/** Gusto departments → the contract's groups (type department); Gusto has no teams or cost centres in its API. */
import type { Group } from '../../../model/index.js';
import type { GustoDepartment } from '../raw.js';
import { str } from './values.js';

export function toGroup(d: GustoDepartment): Group {
  const id = str(d.uuid);
  return { id, remote_id: id, name: str(d.title), type: 'department' };
}
