/**
 * Work locations are Personio offices. The API gives an office only an id and a name, so the address is derived:
 * the holiday calendar most used by the office's employees names a country (`DE`) and a state (`Bayern`), which
 * become `country` and `administrative_area`; the street, city and post code stay null rather than guessed.
 */
import { type Address, COUNTRIES, type Country, type Location } from '../../../model/index.js';
import type { PersonioEmployee, PersonioHolidayCalendar } from '../raw.js';
import { asRef, asString, attrValue } from './attributes.js';
import { opaqueId, remoteId } from './ids.js';

function isCountry(v: string): v is Country {
  return (COUNTRIES as readonly string[]).includes(v);
}

/** Address from a holiday calendar's country and state; null when the calendar says nothing usable. */
export function calendarAddress(calendar: unknown): Address | null {
  if (!calendar || typeof calendar !== 'object') return null;
  const attributes = (calendar as Partial<PersonioHolidayCalendar>).attributes;
  const country = asString(attributes?.country)?.toUpperCase() ?? null;
  const state = asString(attributes?.state);
  if (!country && !state) return null;
  return {
    street_address: null,
    locality: null,
    administrative_area: state,
    country: country && isCountry(country) ? country : null,
    post_code: null,
  };
}

/**
 * Holiday calendars counted per group key (office id, subcompany id …), one employee at a time, so the raw
 * employees need not be kept for it. Ties go to the lowest calendar id so the result does not depend on the order
 * employees arrive in.
 */
export class AddressTally {
  private readonly counts = new Map<string, Map<number | string, { n: number; calendar: unknown }>>();

  /** Counts one employee's `holiday_calendar` value under `key` (null: the employee is in no group). */
  add(key: string | null, calendar: unknown): void {
    if (key === null) return;
    const ref = asRef(calendar);
    let perKey = this.counts.get(key);
    if (!perKey) {
      perKey = new Map();
      this.counts.set(key, perKey);
    }
    if (!ref) return;
    const entry = perKey.get(ref.id) ?? { n: 0, calendar };
    entry.n++;
    perKey.set(ref.id, entry);
  }

  /** The dominant calendar's address per key. */
  result(): Map<string, Address | null> {
    const out = new Map<string, Address | null>();
    for (const key of this.counts.keys()) out.set(key, this.addressOf(key));
    return out;
  }

  /** The address of the calendar dominant under `key` so far (null: none, or the key was never counted). */
  addressOf(key: string): Address | null {
    let best: { id: number | string; n: number; calendar: unknown } | null = null;
    for (const [id, { n, calendar }] of this.counts.get(key) ?? []) {
      if (!best || n > best.n || (n === best.n && String(id) < String(best.id))) best = { id, n, calendar };
    }
    return best ? calendarAddress(best.calendar) : null;
  }
}

/** The dominant holiday-calendar address per group key (see AddressTally). */
export function dominantAddresses(
  employees: readonly PersonioEmployee[],
  keyOf: (emp: PersonioEmployee) => string | null,
): Map<string, Address | null> {
  const tally = new AddressTally();
  for (const emp of employees) tally.add(keyOf(emp), attrValue(emp.attributes, 'holiday_calendar'));
  return tally.result();
}

export function officeKey(emp: PersonioEmployee): string | null {
  const ref = asRef(attrValue(emp.attributes, 'office'));
  return ref ? String(ref.id) : null;
}

export function toLocation(
  ref: { id: number | string; name: string | null },
  address: Address | null,
): Location {
  return {
    id: opaqueId('office', ref.id),
    remote_id: remoteId(ref.id),
    name: ref.name,
    type: 'office',
    address,
  };
}

/** Every distinct office referenced by any employee, with its derived address. */
export function toLocations(employees: readonly PersonioEmployee[]): Location[] {
  const addresses = dominantAddresses(employees, officeKey);
  const seen = new Map<string, Location>();
  for (const emp of employees) {
    const ref = asRef(attrValue(emp.attributes, 'office'));
    if (!ref || seen.has(String(ref.id))) continue;
    seen.set(String(ref.id), toLocation(ref, addresses.get(String(ref.id)) ?? null));
  }
  return [...seen.values()];
}
