/** `Company` → unified Company. Remote's `country_code` is alpha-3; `alpha2` is Remote's own country list. */
import type { Address, Company } from '../../../model/index.js';
import type { RemoteCompany } from '../raw.js';
import { opaqueId, street, text, toCountry } from './values.js';

/** `address_details` (`address`, `address_line_2`, `city`, `state`, `postal_code`) with the country apart. */
export function toAddress(
  details: Record<string, unknown> | undefined,
  country: string | null,
): Address | null {
  const d = details ?? {};
  const address: Address = {
    street_address: street(d['address'], d['address_line_2']),
    locality: text(d['city']),
    administrative_area: text(d['state']),
    country: toCountry(country),
    post_code: text(d['postal_code']),
  };
  return Object.values(address).some((v) => v !== null) ? address : null;
}

export function toCompany(raw: RemoteCompany, alpha2: ReadonlyMap<string, string>): Company {
  const id = text(raw.id) ?? '';
  const code = text(raw.country_code)?.toUpperCase() ?? null;
  return {
    id: opaqueId('company', id),
    remote_id: id,
    legal_name: text(raw.name),
    // Remote keeps one company name.
    display_name: text(raw.name),
    tax_id: text(raw.tax_number) ?? text(raw.registration_number),
    address: toAddress(raw.address_details, code === null ? null : (alpha2.get(code) ?? code)),
  };
}
