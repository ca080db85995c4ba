/**
 * Response headers validated once and written many times, for the fast path (src/http/fast-path.ts).
 *
 * Node validates every header on every `writeHead(status, headers)` (a name regex and a value regex per header,
 * lib/_http_outgoing.js `processHeader`), about 15k instructions for a warm read's 14 headers. The only headers
 * `writeHead` does not validate again are those `setHeader` already validated: it keeps them in the response's
 * own map (`kOutHeaders`, lowercase name → `[name, value]`) and `_storeHeader` writes that map without checking.
 * A `PreparedHeaders` is validated once, with Node's own `validateHeaderName`/`validateHeaderValue`, in that map's
 * form; each response gets a copy of the map as if `setHeader` had been called for each header, adds the headers
 * that vary per response through `setHeader` (validated as usual), and calls `writeHead(status)`. The bytes on the
 * wire are the same as `writeHead(status, [...names and values])` gives (tested).
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
  /** The headers in `kOutHeaders`' form, in order. */
  private readonly map: HeaderMap;
  /** The same as `writeHead`'s flat list (names and values), when `OUT_HEADERS` is not known. */
  readonly flat: readonly string[];

  /**
   * `headers`: names (letter case as sent) and values, in order; each validated here as `setHeader` would (throws
   * Node's own error). A name given twice keeps its last value, as `setHeader` does.
   */
  constructor(
    headers: Iterable<readonly [string, string]>,
    private readonly outHeaders: symbol | undefined = OUT_HEADERS,
  ) {
    const map: HeaderMap = {};
    for (const [name, value] of headers) {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
      map[name.toLowerCase()] = [name, value];
    }
    this.map = map;
    this.flat = Object.values(map).flat();
  }

  /**
   * `res.writeHead(status)` with these headers, then `varying` (flat names and values, set with `setHeader`,
   * so validated and after these).
   */
  writeHead(res: ServerResponse, status: number, varying: readonly string[]): void {
    const key = this.outHeaders;
    if (key === undefined) {
      res.writeHead(status, [...this.flat, ...varying]);
      return;
    }
    // A new map per response (setHeader adds to it), holding the same validated entries.
    const out = res as unknown as Record<symbol, HeaderMap | null>;
    out[key] = { ...this.map };
    try {
      for (let i = 0; i + 1 < varying.length; i += 2)
        res.setHeader(varying[i] as string, varying[i + 1] as string);
    } catch (err) {
      // Nothing of ours stays on a response whose header was refused.
      out[key] = null;
      throw err;
    }
    res.writeHead(status);
  }
}
