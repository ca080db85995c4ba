/** Gusto addresses and company locations → the contract's Address and Location. */
import type { Address, Location } from '../../../model/index.js';
import type { GustoCompanyAddress, GustoHomeAddress, GustoLocation } from '../raw.js';
import { joinPresent } from '../../mapping.js';
import { str, toCountry } from './values.js';

type GustoAddress = GustoCompanyAddress | GustoHomeAddress | GustoLocation;

/** Street lines joined; the zip kept as text (the spec's examples give it as a number). */
export function toAddress(a: GustoAddress): Address {
  return {
    street_address: joinPresent(str(a.street_1), str(a.street_2), ', '),
    locality: str(a.city),
    administrative_area: str(a.state),
    country: toCountry(a.country),
    post_code: str(a.zip),
  };
}

/**
 * A company location. Gusto locations have no name: the street and city stand in for one. Every company location is
 * an address of the company's own ("office"); whether it is also the mailing or filing address is not mapped.
 */
export function toLocation(l: GustoLocation): Location {
  const id = str(l.uuid);
  return {
    id,
    remote_id: id,
    name: joinPresent(str(l.street_1), str(l.city), ', '),
    type: 'office',
    address: toAddress(l),
  };
}

/** Deleted locations stay in Gusto for history (`active: false` / `inactive: true`); they are not work locations. */
export function isActiveLocation(l: GustoLocation | GustoCompanyAddress): boolean {
  return l.active !== false && l.inactive !== true;
}
