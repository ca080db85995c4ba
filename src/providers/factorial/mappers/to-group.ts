/** `teams_team` → unified Group. Teams are Factorial's only employee grouping in the API (no departments). */
import type { Group } from '../../../model/index.js';
import type { FactorialTeam } from '../raw.js';
import { opaqueId, text } from './values.js';

export function toGroup(raw: FactorialTeam): Group {
  const id = text(raw.id) ?? '';
  return { id: opaqueId('team', id), remote_id: id, name: text(raw.name), type: 'team' };
}
