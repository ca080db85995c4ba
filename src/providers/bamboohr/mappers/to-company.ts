/** BambooHR company information (GET /api/v1/company_information) → unified Company. */
import type { Company } from '../../../model/index.js';
import type { BhCompanyInformation } from '../raw.js';
import { str } from './values.js';

/**
 * BambooHR has no company id in this response; the company domain identifies the account, so it is the id.
 * The address has no country field; BambooHR's `state` is a US/Canadian abbreviation but we do not guess the
 * country from it.
 */
export function toCompany(raw: BhCompanyInformation, companyDomain: string): Company {
  const a = raw.address;
  const street = [str(a?.line1), str(a?.line2)].filter((s): s is string => s !== null).join(', ');
  return {
    id: companyDomain,
    remote_id: companyDomain,
    legal_name: str(raw.legalName),
    display_name: str(raw.displayName) ?? str(raw.legalName),
    tax_id: null,
    address: a
      ? {
          street_address: street === '' ? null : street,
          locality: str(a.city),
          administrative_area: str(a.state),
          country: null,
          post_code: str(a.zip),
        }
      : null,
  };
}
