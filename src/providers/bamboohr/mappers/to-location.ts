/** BambooHR job locations (GET /api/v1/hris/org/locations?expand=state,country) → unified Location. */
import type { Location } from '../../../model/index.js';
import type { BhLocation } from '../raw.js';
import { str, toCountry } from './values.js';

/** `remoteLocation` is the only kind BambooHR records; everything else is an office. */
export function locationType(remote: boolean | undefined): string {
  switch (remote) {
    case true:
      return 'remote';
    case false:
    case undefined:
      return 'office';
  }
}

export function toLocation(raw: BhLocation): Location {
  const a = raw.address;
  const street = [str(a?.address1), str(a?.address2)].filter((s): s is string => s !== null).join(', ');
  const id = String(raw.id);
  return {
    id,
    remote_id: id,
    name: str(raw.label),
    type: locationType(a?.remoteLocation),
    address: a
      ? {
          street_address: street === '' ? null : street,
          locality: str(a.city),
          administrative_area: str(a.state?.abbreviation) ?? str(a.state?.name),
          country: toCountry(a.country?.isoCode),
          post_code: str(a.zipcode),
        }
      : null,
  };
}
