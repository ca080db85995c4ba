/**
 * What changed between two fetches of a list of records (employees), by record id. Pure: no I/O, no clock.
 *
 * A record's identity for change detection is its **canonical hash**: SHA-256 of its canonical JSON (keys sorted at
 * every level, as JSON.stringify would otherwise write it), so a provider that reorders keys reports no change.
 * Hashing canonically costs several times a native `JSON.stringify`, so each record also carries the hash of its
 * plain JSON: equal plain hashes prove equal canonical JSON, and only a record whose plain hash moved is hashed
 * canonically (`classify`). Field-level changes (`fieldChanges`) are keyed by a JSON path such as
 * `home_location.locality`, `groups[2].name` or `custom_fields["t-shirt"]`.
 */
import { hash } from 'node:crypto';

/** Bytes of SHA-256 kept per hash (128 bits: collisions are not a concern for one connection's records). */
const HASH_BYTES = 16;

/**
 * Base64url of the first 16 bytes of SHA-256 of `text` (22 characters). One-shot `crypto.hash`: a poll hashes every
 * record, and a Hash object per record costs more than the hashing of a 3 KB record.
 */
export function shortHash(text: string): string {
  return hash('sha256', text, 'buffer').subarray(0, HASH_BYTES).toString('base64url');
}

/**
 * JSON text of `value` with object keys sorted (UTF-16 order) at every level, otherwise exactly what
 * `JSON.stringify` writes (toJSON honoured, undefined/function members left out of objects and `null` in arrays).
 * @example canonicalJson({ b: 1, a: { d: null, c: [2] } }) // '{"a":{"c":[2],"d":null},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, '') ?? 'null';
}

function canonical(input: unknown, key: string): string | undefined {
  let value = input;
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += `${i === 0 ? '' : ','}${canonical(value[i], String(i)) ?? 'null'}`;
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const k of Object.keys(obj).sort()) {
    const v = canonical(obj[k], k);
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${v}`;
    first = false;
  }
  return `${out}}`;
}

/** The canonical hash of a record (see the module comment). */
export function canonicalHash(value: unknown): string {
  return shortHash(canonicalJson(value));
}

/** What a snapshot remembers of a record: its hashes and where its JSON is. */
export interface KnownRecord {
  /** Hash of the plain JSON as it was written. */
  plain: string;
  /** Canonical hash. */
  canon: string;
}

/** A record of the new fetch: its id, its plain JSON's hash, and the canonical hash made on demand. */
export interface FreshRecord {
  id: string;
  plain: string;
  /** Computed by `classify` only when the plain hash differs from the known one (or the record is new). */
  canon?: string;
  value: unknown;
}

export interface Classified {
  /** Ids new in this fetch, in fetch order. */
  added: string[];
  /** Ids gone since the snapshot, in snapshot order. */
  removed: string[];
  /** Ids whose canonical hash changed, in fetch order. */
  updated: string[];
}

/**
 * Splits a fetch against the previous snapshot. Fills `canon` on every fresh record it had to hash canonically;
 * a record whose plain hash is unchanged keeps the known canonical hash (set here too), so the caller can store
 * both for the next time. Duplicate ids in `fresh` must have been removed by the caller.
 */
export function classify(previous: ReadonlyMap<string, KnownRecord>, fresh: FreshRecord[]): Classified {
  const added: string[] = [];
  const updated: string[] = [];
  for (const record of fresh) {
    const known = previous.get(record.id);
    if (known && known.plain === record.plain) {
      record.canon = known.canon;
      continue;
    }
    record.canon ??= canonicalHash(record.value);
    if (!known) added.push(record.id);
    else if (known.canon !== record.canon) updated.push(record.id);
  }
  const seen = new Set(fresh.map((r) => r.id));
  const removed = [...previous.keys()].filter((id) => !seen.has(id));
  return { added, removed, updated };
}

export interface FieldChange {
  before: unknown;
  after: unknown;
}

/**
 * Leaf-level differences between two JSON values: objects are compared key by key, arrays of equal length element
 * by element; anything else that differs (a value, a type, an array that grew or shrank, null ↔ object) is one
 * change at its path with the whole before and after values. A key absent on one side reads as null.
 * @example fieldChanges({ a: { b: 1 }, c: [1] }, { a: { b: 2 }, c: [1, 2] })
 *   // { 'a.b': { before: 1, after: 2 }, c: { before: [1], after: [1, 2] } }
 */
export function fieldChanges(before: unknown, after: unknown): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  walk(before, after, '', out);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function walk(a: unknown, b: unknown, path: string, out: Record<string, FieldChange>): void {
  if (a === b || (a ?? null) === (b ?? null)) return;
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) walk(a[k], b[k], joinKey(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) walk(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return;
  out[path === '' ? '$' : path] = { before: a ?? null, after: b ?? null };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function joinKey(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}
