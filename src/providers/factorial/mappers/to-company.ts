/** `companies_legal_entity` → unified Company: one per legal entity (the employer of record). */
import type { Company } from '../../../model/index.js';
import type { FactorialLegalEntity } from '../raw.js';
import { toAddress } from './to-location.js';
import { opaqueId, text } from './values.js';

export function toCompany(raw: FactorialLegalEntity): Company {
  const id = text(raw.id) ?? '';
  return {
    id: opaqueId('legal_entity', id),
    remote_id: id,
    legal_name: text(raw.legal_name),
    // Factorial has no trading name apart from the legal one.
    display_name: text(raw.legal_name),
    tax_id: text(raw.tin),
    address: toAddress(raw),
  };
}
