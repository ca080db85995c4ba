/**
 * Response headers validated once and written many times, for the fast path (src/http/fast-path.ts).
 *
 * Node validates every header on every `writeHead(status, headers)` (a name regex and a value regex per header,
 * lib/_http_outgoing.js `processHeader`), about 15k instructions for a warm read's 14 headers. The only headers
 * `writeHead` does not validate again are those `setHeader` already validated: it keeps them in the response's
 * own map (`kOutHeaders`, lowercase name → `[name, value]`) and `_storeHeader` writes that map without checking.
 * A `PreparedHeaders` is validated once, with Node's own `validateHeaderName`/`validateHeaderValue`, in that map's
 * form; each response gets a copy of the map as if `setHeader` had been called for each header, with the values of
 * the headers that vary per response (the request id, `RateLimit`) validated as `setHeader` validates them, and
 * calls `writeHead(status)`. The bytes on the wire are the same as `writeHead(status, [...names and values])` gives
 * (tested).
 *
 * `kOutHeaders` is Node's private symbol: it is found at start-up by what `setHeader` leaves on a response, and
 * when it is not found (another Node) every response takes plain `writeHead` with the flat list.
 */
import http, { type ServerResponse } from 'node:http';
import { Socket } from 'node:net';

type HeaderMap = Record<string, [string, string]>;

/** The symbol under which Node keeps a response's `setHeader` headers, or undefined when not found. */
export const OUT_HEADERS: symbol | undefined = findOutHeaders();

function findOutHeaders(): symbol | undefined {
  const res = new http.ServerResponse(new http.IncomingMessage(new Socket()));
  res.setHeader('X-Probe', 'probe');
  for (const s of Object.getOwnPropertySymbols(res)) {
    const value = (res as unknown as Record<symbol, unknown>)[s];
    if (typeof value !== 'object' || value === null) continue;
    const entry = (value as Record<string, unknown>)['x-probe'];
    if (Array.isArray(entry) && entry.length === 2 && entry[0] === 'X-Probe' && entry[1] === 'probe')
      return s;
  }
  return undefined;
}

export class PreparedHeaders {
  /** The headers in `kOutHeaders`' form, in order, the varying ones last (their values filled per response). */
  private readonly map: HeaderMap;
  /** The constant headers as `writeHead`'s flat list (names and values), when `OUT_HEADERS` is not known. */
  private readonly flat: readonly string[];
  /** The varying headers' keys in `map`, and their names. */
  private readonly varyingKeys: readonly string[];

  /**
   * `headers`: names (letter case as sent) and values, in order, each validated here as `setHeader` would (throws
   * Node's own error); a name given twice keeps its last value, as with `setHeader`. `varying`: the names of the
   * headers whose values each response gives (`writeHead`), written after these.
   */
  constructor(
    headers: Iterable<readonly [string, string]>,
    private readonly varying: readonly string[],
    private readonly outHeaders: symbol | undefined = OUT_HEADERS,
  ) {
    const map: HeaderMap = {};
    for (const [name, value] of headers) {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
      map[name.toLowerCase()] = [name, value];
    }
    this.flat = Object.values(map).flat();
    this.varyingKeys = varying.map((name) => {
      http.validateHeaderName(name);
      const key = name.toLowerCase();
      if (key in map) throw new Error(`PreparedHeaders: ${name} is both constant and varying`);
      // A place in the map's shape, so each response's copy has the same V8 map (no new properties per response).
      map[key] = [name, ''];
      return key;
    });
    this.map = map;
  }

  /**
   * `res.writeHead(status)` with the constant headers and then the varying ones with `values` (in the order of the
   * names given; each validated as `setHeader` would).
   */
  writeHead(res: ServerResponse, status: number, values: readonly string[]): void {
    const { varying, varyingKeys } = this;
    if (values.length !== varying.length) throw new Error('PreparedHeaders: one value per varying header');
    for (let i = 0; i < varying.length; i++) {
      const value = values[i] as string;
      // Node's check (a regular expression per value, ~1,200 instructions) only for a value the loop doubts.
      if (!plainHeaderValue(value)) http.validateHeaderValue(varying[i] as string, value);
    }
    const key = this.outHeaders;
    if (key === undefined) {
      const flat = [...this.flat];
      for (let i = 0; i < varying.length; i++) flat.push(varying[i] as string, values[i] as string);
      res.writeHead(status, flat);
      return;
    }
    // A new map per response (it is the response's own, as if `setHeader` had been called for each header),
    // holding the same validated entries and the varying ones' values. The constant `[name, value]` entries are
    // shared between responses: Node replaces an entry on `setHeader` and changes one in place only in
    // `appendHeader`, which throws once `writeHead` (below, in the same call) has run.
    const map = { ...this.map };
    for (let i = 0; i < varying.length; i++)
      map[varyingKeys[i] as string] = [varying[i] as string, values[i] as string];
    (res as unknown as Record<symbol, HeaderMap>)[key] = map;
    res.writeHead(status);
  }
}

/**
 * True when `value` has only characters Node's `validateHeaderValue` accepts (tab, 0x20–0x7e, 0x80–0xff; its
 * `checkInvalidHeaderChar`). False does not mean invalid: the caller then asks Node.
 */
export function plainHeaderValue(value: string): boolean {
  if (typeof value !== 'string') return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return false;
  }
  return true;
}
