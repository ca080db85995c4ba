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
 *
 * Header blocks: `_storeHeader` joins each entry as `name: value\r\n` and looks at its name (lower-casing it) for
 * the few headers it acts on (`matchHeader`: Content-Length, Connection, Date …), ~500 instructions an entry. A run
 * of consecutive headers it does not act on is therefore kept as one entry whose value carries the following lines
 * (`Vary` → `Accept-Encoding\r\nETag: "…"\r\n…`), and the varying headers are joined onto the last run; the
 * bytes written are the same, and the headers Node acts on keep entries of their own. Every part of such a value
 * was validated (a value with CR or LF never gets in: Node's check refuses them). Whether this Node writes a block
 * as the same bytes is checked once at start-up (`BLOCKS`, comparing the head it makes with `writeHead`'s from the
 * flat list); if not, each header keeps its own entry.
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

/**
 * Header names `_storeHeader` acts on (its `matchHeader` and `processHeader`: framing, connection, date, cookies,
 * content disposition): each keeps an entry of its own in the block form.
 */
const NOTICED = new Set([
  'connection',
  'transfer-encoding',
  'content-length',
  'date',
  'expect',
  'trailer',
  'keep-alive',
  'content-disposition',
  'set-cookie',
  'cookie',
]);

export class PreparedHeaders {
  /**
   * The headers in `kOutHeaders`' form, in order, the varying ones last (their values filled per response): one
   * entry per header, or (blocks) one per run of headers Node does not act on.
   */
  private readonly map: HeaderMap;
  /** The constant headers as `writeHead`'s flat list (names and values), when `OUT_HEADERS` is not known. */
  private readonly flat: readonly string[];
  /** The varying headers' keys in `map` (one entry each; blocks: only the last entry's). */
  private readonly varyingKeys: readonly string[];
  /**
   * Blocks: the last entry (it ends with the varying headers), its name, its constant start, and what goes before
   * each varying value (`\r\n` + name + `: `, nothing for a value that starts the entry).
   */
  private readonly last: { key: string; name: string; start: string; before: readonly string[] } | undefined;

  /**
   * `headers`: names (letter case as sent) and values, in order, each validated here as `setHeader` would (throws
   * Node's own error); a name given twice keeps its last value, as with `setHeader`. `varying`: the names of the
   * headers whose values each response gives (`writeHead`), written after these. `blocks`: runs of headers as one
   * entry (see above; default: where this Node was found to write them as the same bytes).
   */
  constructor(
    headers: Iterable<readonly [string, string]>,
    private readonly varying: readonly string[],
    private readonly outHeaders: symbol | undefined = OUT_HEADERS,
    blocks: boolean = BLOCKS,
  ) {
    const map: HeaderMap = {};
    for (const [name, value] of headers) {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
      map[name.toLowerCase()] = [name, value];
    }
    this.flat = Object.values(map).flat();
    const keys = varying.map((name) => {
      http.validateHeaderName(name);
      const key = name.toLowerCase();
      if (key in map) throw new Error(`PreparedHeaders: ${name} is both constant and varying`);
      if (NOTICED.has(key)) throw new Error(`PreparedHeaders: ${name} cannot vary`);
      return key;
    });
    if (blocks && outHeaders !== undefined) {
      const joined: HeaderMap = {};
      let run: [string, string] | undefined;
      for (const [key, entry] of Object.entries(map)) {
        if (run && !NOTICED.has(key)) run[1] += `\r\n${entry[0]}: ${entry[1]}`;
        else {
          const own: [string, string] = [entry[0], entry[1]];
          joined[key] = own;
          run = NOTICED.has(key) ? undefined : own;
        }
      }
      const lastKey = Object.keys(joined).at(-1);
      if (varying.length === 0) this.last = undefined;
      else if (run && lastKey !== undefined) {
        this.last = { key: lastKey, name: run[0], start: run[1], before: varying.map((n) => `\r\n${n}: `) };
      } else {
        // The varying headers start an entry of their own.
        const [first = '', ...rest] = varying;
        joined[keys[0] as string] = [first, ''];
        this.last = {
          key: keys[0] as string,
          name: first,
          start: '',
          before: ['', ...rest.map((n) => `\r\n${n}: `)],
        };
      }
      this.map = joined;
      this.varyingKeys = [];
      return;
    }
    this.last = undefined;
    this.varyingKeys = keys;
    // A place in the map's shape, so each response's copy has the same V8 map (no new properties per response).
    for (let i = 0; i < keys.length; i++) map[keys[i] as string] = [varying[i] as string, ''];
    this.map = map;
  }

  /** Entries `writeHead` puts in the response's map (tests: blocks make fewer). */
  get entries(): number {
    return Object.keys(this.map).length;
  }

  /**
   * `res.writeHead(status)` with the constant headers and then the varying ones with `values` (in the order of the
   * names given; each validated as `setHeader` would).
   */
  writeHead(res: ServerResponse, status: number, values: readonly string[]): void {
    const { varying, varyingKeys, last } = this;
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
    if (last) {
      let value = last.start;
      for (let i = 0; i < values.length; i++) value += (last.before[i] as string) + (values[i] as string);
      map[last.key] = [last.name, value];
    } else {
      for (let i = 0; i < varying.length; i++)
        map[varyingKeys[i] as string] = [varying[i] as string, values[i] as string];
    }
    (res as unknown as Record<symbol, HeaderMap>)[key] = map;
    res.writeHead(status);
  }
}

/**
 * Whether this Node writes the block form as the same bytes as `writeHead(status, flat list)`: the heads of two
 * responses (not sent anywhere) compared, the `Date` line left out.
 */
function blocksWork(outHeaders: symbol | undefined): boolean {
  if (outHeaders === undefined) return false;
  const headers: [string, string][] = [
    ['Vary', 'Accept-Encoding'],
    ['ETag', '"probe"'],
    ['Content-Length', '2'],
    ['X-Probe', 'a'],
  ];
  const head = (write: (res: ServerResponse) => void) => {
    const res = new http.ServerResponse(new http.IncomingMessage(new Socket()));
    write(res);
    const text = (res as unknown as { _header?: unknown })._header;
    return typeof text === 'string' ? text.replace(/\r\nDate: [^\r]*/, '') : undefined;
  };
  try {
    const plain = head((res) => res.writeHead(200, [...headers.flat(), 'X-Id', 'id', 'X-Rate', 'r']));
    const blocks = head((res) =>
      new PreparedHeaders(headers, ['X-Id', 'X-Rate'], outHeaders, true).writeHead(res, 200, ['id', 'r']),
    );
    return plain !== undefined && plain === blocks;
  } catch {
    return false;
  }
}

/** Whether header blocks are used (this Node writes them as the same bytes). */
export const BLOCKS: boolean = blocksWork(OUT_HEADERS);

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
