/**
 * Unified ids for Personio records. The contract wants opaque strings that stay stable between fetches, and a separate
 * `remote_id` carrying Personio's own id. Encoding the record kind into the id keeps an office `12` and a department
 * `12` apart, and base64url keeps the ids opaque (the contract's examples are base64 strings too).
 */
export type PersonioIdKind =
  | 'employee'
  | 'subcompany'
  | 'company'
  | 'office'
  | 'department'
  | 'team'
  | 'cost_center'
  | 'attendance'
  | 'time_off'
  | 'time_off_type';

/** `opaqueId('employee', 42)` → `cGVyc29uaW8uZGU6ZW1wbG95ZWU6NDI` (base64url of `personio.de:employee:42`). */
export function opaqueId(kind: PersonioIdKind, remoteId: string | number): string {
  return Buffer.from(`personio.de:${kind}:${remoteId}`).toString('base64url');
}

/** Personio ids are integers on the wire; the contract wants strings. */
export function remoteId(id: string | number): string {
  return String(id);
}

/** The Personio id inside one of our opaque ids of `kind`, or null when it is not one. */
export function decodeOpaqueId(kind: PersonioIdKind, id: string): string | null {
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const prefix = `personio.de:${kind}:`;
  return text.startsWith(prefix) ? text.slice(prefix.length) : null;
}
