/** Deel `GET /working-locations` item → unified Location. The spec gives only id and name, no address. */
import type { Location } from '../../../model/index.js';
import type { DeelWorkingLocation } from '../raw.js';
import { str } from './values.js';

export function toLocation(raw: DeelWorkingLocation): Location {
  const id = str(raw.id);
  return { id, remote_id: id, name: str(raw.name), type: null, address: null };
}
