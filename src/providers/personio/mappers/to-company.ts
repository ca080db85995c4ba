/**
 * Personio v1 has no company endpoint. A Personio account's legal entities are its *subcompanies*, which every
 * employee references, so each distinct subcompany becomes one Company (`legal_name` = `display_name` = its name).
 * Its address is derived like an office's (see to-location.ts): country and state of the holiday calendar most used
 * by its employees. An account without subcompanies is one company whose name Personio does not expose: we return a
 * single Company with null names and the address derived from every employee.
 */
import type { Company } from '../../../model/index.js';
import type { PersonioEmployee } from '../raw.js';
import { asRef, attrValue } from './attributes.js';
import { opaqueId, remoteId } from './ids.js';
import { dominantAddresses } from './to-location.js';

function subcompanyKey(emp: PersonioEmployee): string | null {
  const ref = asRef(attrValue(emp.attributes, 'subcompany'));
  return ref ? String(ref.id) : null;
}

export function toCompanies(employees: readonly PersonioEmployee[]): Company[] {
  const addresses = dominantAddresses(employees, subcompanyKey);
  const seen = new Map<string, Company>();
  for (const emp of employees) {
    const ref = asRef(attrValue(emp.attributes, 'subcompany'));
    if (!ref || seen.has(String(ref.id))) continue;
    seen.set(String(ref.id), {
      id: opaqueId('subcompany', ref.id),
      remote_id: remoteId(ref.id),
      legal_name: ref.name,
      display_name: ref.name,
      tax_id: null,
      address: addresses.get(String(ref.id)) ?? null,
    });
  }
  if (seen.size > 0) return [...seen.values()];
  const whole = dominantAddresses(employees, () => 'account');
  return [
    {
      id: opaqueId('company', 'account'),
      remote_id: null,
      legal_name: null,
      display_name: null,
      tax_id: null,
      address: whole.get('account') ?? null,
    },
  ];
}
