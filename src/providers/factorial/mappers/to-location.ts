/** `locations_location` → unified work Location, and the Address both locations and legal entities use. */
import type { Address, Location } from '../../../model/index.js';
import type { FactorialLegalEntity, FactorialLocation } from '../raw.js';
import { opaqueId, street, text, toCountry } from './values.js';

export function toAddress(raw: FactorialLocation | FactorialLegalEntity): Address | null {
  const address: Address = {
    street_address: street(raw.address_line_1, raw.address_line_2),
    locality: text(raw.city),
    administrative_area: text(raw.state),
    country: toCountry(raw.country),
    post_code: text(raw.postal_code),
  };
  return Object.values(address).some((v) => v !== null) ? address : null;
}

/** Every Factorial location is a workplace; `main` only marks the company's headquarters. */
export function toLocation(raw: FactorialLocation): Location {
  const id = text(raw.id) ?? '';
  return {
    id: opaqueId('location', id),
    remote_id: id,
    name: text(raw.name),
    type: 'office',
    address: toAddress(raw),
  };
}
