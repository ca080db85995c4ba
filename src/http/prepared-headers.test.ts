/**
 * PreparedHeaders: the bytes on the wire are those of `writeHead(status, [names and values])`, with and without
 * Node's `kOutHeaders`; constant headers are validated once, varying ones on every response. Real HTTP on loopback,
 * raw bytes read from the socket.
 */
import http, { type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOCKS, OUT_HEADERS, PreparedHeaders, plainHeaderValue } from './prepared-headers.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** The raw response (head and body, date masked) of one GET to a server answering with `answer`. */
async function rawResponse(answer: (res: ServerResponse) => void): Promise<string> {
  const server = http.createServer((_req, res) => {
    try {
      answer(res);
    } catch (err) {
      res.writeHead(500);
      res.end(String((err as Error).message));
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (end >= 0 && (length === undefined || text.length >= end + 4 + Number(length))) {
        socket.end();
        resolve(text.replace(/\r\nDate: [^\r]*/, '\r\nDate: DATE'));
      }
    });
    socket.on('error', reject);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

const CONSTANT: [string, string][] = [
  ['vary', 'Accept-Encoding'],
  ['etag', '"abc"'],
  ['content-type', 'application/json; charset=utf-8'],
  ['content-length', '2'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
];
const VARYING = ['x-request-id', 'req_1', 'ratelimit', '"ip-1m";r=39;t=60'];
/** The varying headers' names and values, as PreparedHeaders takes them. */
const NAMES = ['x-request-id', 'ratelimit'];
const VALUES = ['req_1', '"ip-1m";r=39;t=60'];

describe('PreparedHeaders', () => {
  it("finds Node's map of set headers", () => {
    // Without it every response takes the plain writeHead (correct, but the validation is paid again).
    expect(OUT_HEADERS).toBeDefined();
  });

  it('writes the same bytes as writeHead with the flat list, with and without the map', async () => {
    const plain = await rawResponse((res) => {
      res.writeHead(200, [...CONSTANT.flat(), ...VARYING]);
      res.end('{}');
    });
    expect(plain).toContain('Content-Security-Policy: default-src');
    expect(plain).toContain('ratelimit: "ip-1m";r=39;t=60\r\n');
    const prepared = new PreparedHeaders(CONSTANT, NAMES);
    const forms = [
      prepared,
      new PreparedHeaders(CONSTANT, NAMES, undefined),
      new PreparedHeaders(CONSTANT, NAMES, OUT_HEADERS, false),
      new PreparedHeaders(CONSTANT, NAMES, OUT_HEADERS, true),
    ];
    for (const head of forms) {
      for (let i = 0; i < 2; i++) {
        const text = await rawResponse((res) => {
          head.writeHead(res, 200, VALUES);
          res.end('{}');
        });
        expect(text).toBe(plain);
      }
    }
    // And for a 304 (no body).
    const notModified = await rawResponse((res) => {
      res.writeHead(304, [...CONSTANT.slice(0, 2).flat(), ...VARYING]);
      res.end();
    });
    const text = await rawResponse((res) => {
      new PreparedHeaders(CONSTANT.slice(0, 2), NAMES).writeHead(res, 304, VALUES);
      res.end();
    });
    expect(text).toBe(notModified);
  });

  it('joins runs of headers Node does not act on into one entry each, with the same bytes', async () => {
    // This Node writes blocks as the same bytes (else each header would keep its entry: correct, but slower).
    expect(BLOCKS).toBe(true);
    // vary+etag+content-type | content-length | content-security-policy+x-request-id+ratelimit.
    expect(new PreparedHeaders(CONSTANT, NAMES).entries).toBe(3);
    expect(new PreparedHeaders(CONSTANT, NAMES, OUT_HEADERS, false).entries).toBe(7);
    const cases: [string, [string, string][], string[], string[]][] = [
      ['content-length last', CONSTANT.slice(0, 4), NAMES, VALUES],
      ['content-length first', [CONSTANT[3] as [string, string], ...CONSTANT.slice(0, 3)], NAMES, VALUES],
      ['no varying headers', CONSTANT, [], []],
      ['no constant headers', [], NAMES, VALUES],
      ['one varying header', CONSTANT, ['x-request-id'], ['req_2']],
      [
        'a name given twice, a connection header',
        [...CONSTANT, ['Connection', 'keep-alive'], ['ETag', '"def"'], ['X-Last', 'z']],
        NAMES,
        VALUES,
      ],
    ];
    for (const [name, constant, names, values] of cases) {
      const flat = [...new Map(constant.map(([n, v]) => [n.toLowerCase(), [n, v]])).values()].flat();
      const plain = await rawResponse((res) => {
        // writeHead's flat list keeps every repeat; setHeader's map keeps the last value in the first place.
        res.writeHead(200, [...flat, ...names.flatMap((n, i) => [n, values[i] as string])]);
        res.end(constant.some(([n]) => n === 'content-length') ? '{}' : undefined);
      });
      const blocks = new PreparedHeaders(constant, names, OUT_HEADERS, true);
      const text = await rawResponse((res) => {
        blocks.writeHead(res, 200, values);
        res.end(constant.some(([n]) => n === 'content-length') ? '{}' : undefined);
      });
      expect(text, name).toBe(plain);
    }
    expect(() => new PreparedHeaders(CONSTANT.slice(0, 2), ['content-length'])).toThrow(/cannot vary/);
  });

  it("accepts exactly the characters Node's header check accepts", () => {
    for (let c = 0; c <= 0x10000; c++) {
      const value = `a${String.fromCharCode(c)}b`;
      let node = true;
      try {
        http.validateHeaderValue('x', value);
      } catch {
        node = false;
      }
      expect(plainHeaderValue(value), `0x${c.toString(16)}`).toBe(node);
    }
  });

  it('validates constant headers once, and varying ones on every response', async () => {
    expect(() => new PreparedHeaders([['bad name', 'x']], [])).toThrow(/Header name/);
    expect(() => new PreparedHeaders([['x-a', 'line\r\nx-b: injected']], [])).toThrow(/Invalid character/);
    expect(() => new PreparedHeaders([], ['bad name'])).toThrow(/Header name/);
    const prepared = new PreparedHeaders(CONSTANT, NAMES);
    const text = await rawResponse((res) => prepared.writeHead(res, 200, ['a\r\nx-b: injected', '1']));
    expect(text).toMatch(/^HTTP\/1.1 500 /);
    expect(text).not.toContain('x-b');
    // The refused response keeps none of the prepared headers either.
    expect(text).not.toContain('etag');
  });
});
