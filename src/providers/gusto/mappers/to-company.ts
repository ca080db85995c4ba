/** Gusto company (and its identity: the admin who authorized the token) → the contract's Company and Identity. */
import type { Company, Identity } from '../../../model/index.js';
import type { GustoAdmin, GustoCompany, GustoLocation } from '../raw.js';
import { isActiveLocation, toAddress } from './to-location.js';
import { str } from './values.js';

/**
 * The company's address is its filing address (where tax notices go), else its mailing address, else its first
 * active location; `locations` is `GET /companies/{id}/locations`, which carries those flags (`Company.locations`
 * does not, so it is only the last resort).
 */
export function toCompany(company: GustoCompany, locations: readonly GustoLocation[]): Company {
  const id = str(company.uuid);
  const active = locations.filter(isActiveLocation);
  const address =
    active.find((l) => l.filing_address === true) ??
    active.find((l) => l.mailing_address === true) ??
    active[0] ??
    (company.locations ?? []).find(isActiveLocation);
  const legal = str(company.name);
  return {
    id,
    remote_id: id,
    legal_name: legal,
    display_name: str(company.trade_name) ?? legal,
    tax_id: str(company.ein),
    address: address ? toAddress(address) : null,
  };
}

export function toIdentity(admin: GustoAdmin): Identity {
  const name = [str(admin.first_name), str(admin.last_name)].filter((s): s is string => s !== null).join(' ');
  return { name, email: str(admin.email) ?? '', phone_number: str(admin.phone) };
}
