/**
 * HiBob's public API has no company endpoint; every employee carries its `companyId`. One Company per id seen, the
 * rest null: HiBob does not publish the company's name, tax id or address through this API.
 */
import type { Company } from '../../../model/index.js';
import type { HibobEmployee } from '../raw.js';
import { fieldValue } from './to-employee.js';
import { str } from './values.js';

export function toCompanies(employees: readonly HibobEmployee[]): Company[] {
  const ids = new Set<string>();
  for (const e of employees) {
    const id = str(fieldValue(e, 'root.companyId'));
    if (id) ids.add(id);
  }
  return [...ids].map((id) => ({
    id,
    remote_id: id,
    legal_name: null,
    display_name: null,
    tax_id: null,
    address: null,
  }));
}
