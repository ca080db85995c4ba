/** Deel `GET /legal-entities` item → unified Company (one per legal entity). */
import type { Company, Identity } from '../../../model/index.js';
import type { DeelLegalEntity, DeelMe } from '../raw.js';
import { str, toCountry } from './values.js';

export function toCompany(entity: DeelLegalEntity): Company {
  const id = str(entity.id);
  const country = toCountry(entity.country);
  return {
    id,
    remote_id: id,
    legal_name: str(entity.name),
    display_name: str(entity.name),
    // VAT id is the tax id; the registration number is a company-register id, used only when no VAT id exists.
    tax_id: str(entity.vat_id) ?? str(entity.registrationNumber),
    // The spec gives legal entities a country but no street address.
    address: country
      ? { street_address: null, locality: null, administrative_area: null, country, post_code: null }
      : null,
  };
}

/** `GET /people/me` → the person who connected. */
export function toIdentity(me: DeelMe): Identity {
  const name = str(me.full_name) ?? [me.first_name, me.last_name].filter(Boolean).join(' ');
  return { name, email: str(me.email) ?? '', phone_number: null };
}
