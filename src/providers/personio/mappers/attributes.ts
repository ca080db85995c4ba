/** Reading Personio's `{label, value, type, universal_id}` attribute wrappers without trusting their shape. */
import type { PersonioAttribute, PersonioEmployeeAttributes, PersonioRef } from '../raw.js';

/** The `value` of an attribute, or undefined when the attribute (or the wrapper) is missing. */
export function attrValue(attrs: PersonioEmployeeAttributes, key: string): unknown {
  const a = attrs[key];
  return a && typeof a === 'object' && 'value' in a ? a.value : undefined;
}

/** A non-empty trimmed string value, else null (Personio sends `''` and `null` for empty fields alike). */
export function attrString(attrs: PersonioEmployeeAttributes, key: string): string | null {
  return asString(attrValue(attrs, key));
}

export function asString(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

/** Numbers arrive as numbers or as strings (`weekly_working_hours: '40'` in the spec's example). */
export function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v.trim().replace(',', '.'));
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** `{type:'Office', attributes:{id, name}}` → `{id, name}` when it has an id. */
export function asRef(v: unknown): { id: number | string; name: string | null } | null {
  if (!v || typeof v !== 'object') return null;
  const attributes = (v as Partial<PersonioRef>).attributes;
  if (!attributes || typeof attributes !== 'object') return null;
  const id = attributes.id;
  if (typeof id !== 'number' && typeof id !== 'string') return null;
  return { id, name: asString(attributes.name) };
}

/** The id of a ShortEmployee (`attributes.id.value`). */
export function shortEmployeeId(v: unknown): number | string | null {
  if (!v || typeof v !== 'object') return null;
  const id = (v as { attributes?: { id?: PersonioAttribute } }).attributes?.id?.value;
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

export function shortEmployeeField(v: unknown, key: 'first_name' | 'last_name' | 'email'): string | null {
  if (!v || typeof v !== 'object') return null;
  return asString(
    (v as { attributes?: Record<string, PersonioAttribute | undefined> }).attributes?.[key]?.value,
  );
}

/** Dynamic (custom) attributes by their `universal_id`, e.g. `iban` → `DE98…`. */
export function byUniversalId(
  attrs: PersonioEmployeeAttributes,
): Map<string, { key: string; value: unknown }> {
  const out = new Map<string, { key: string; value: unknown }>();
  for (const [key, a] of Object.entries(attrs)) {
    if (!key.startsWith('dynamic_') || !a || typeof a !== 'object') continue;
    if (typeof a.universal_id === 'string' && a.universal_id !== '')
      out.set(a.universal_id, { key, value: a.value });
  }
  return out;
}
