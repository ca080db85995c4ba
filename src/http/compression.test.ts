/** Compression over real HTTP on loopback: negotiation with q-values, Vary, identity, and compress-once. */
import { request } from 'undici';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestNode, startTestNode } from '../testing/node.js';
import { pickEncoding } from './compression.js';

describe('compression', () => {
  let node: TestNode;
  let base: string;
  let token: string;
  let plain: string;

  beforeAll(async () => {
    node = await startTestNode();
    token = await node.token({ employees: 40 });
    base = await node.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetchWith('identity');
    plain = res.body.toString();
  });
  afterAll(async () => node?.close());

  async function fetchWith(acceptEncoding: string | undefined) {
    const res = await request(`${base}/2023-03-01/xhr/employees`, {
      headers: {
        authorization: `Bearer ${token}`,
        ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
      },
    });
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  }

  const decode: Record<string, (b: Buffer) => Buffer> = {
    br: zlib.brotliDecompressSync,
    gzip: zlib.gunzipSync,
    deflate: zlib.inflateSync,
  };

  it.each([
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['gzip;q=0.5, br;q=0.9', 'br'],
    ['br;q=0.1, gzip;q=0.8, deflate;q=0.5', 'gzip'],
    ['br;q=0, deflate', 'deflate'],
    ['*', 'br'],
  ])('Accept-Encoding %s → %s', async (header, expected) => {
    const res = await fetchWith(header);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(expected);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(decode[expected]!(res.body).toString()).toBe(plain);
  });

  it.each([['identity'], [undefined]])('Accept-Encoding %s → no Content-Encoding', async (header) => {
    const res = await fetchWith(header);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(JSON.parse(res.body.toString()).length).toBe(40);
  });

  it('refusing every encoding → 406', async () => {
    const res = await fetchWith('identity;q=0, br;q=0, gzip;q=0, deflate;q=0');
    expect(res.status).toBe(406);
    expect(pickEncoding('identity;q=0')).toBeNull();
    expect(pickEncoding('x-unknown')).toBe('identity');
  });

  it('compresses a cached response once per encoding and reuses the bytes', async () => {
    await fetchWith('br');
    const sub = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;
    const entry = node.services.cache.peek(`${sub}|employees|`);
    expect(entry).toBeDefined();
    const a = await entry!.bytes('br');
    const b = await entry!.bytes('br');
    expect(a).toBe(b); // the same Buffer object: no recompression
  });

  it('ETag / If-None-Match → 304', async () => {
    const first = await fetchWith('br');
    const res = await request(`${base}/2023-03-01/xhr/employees`, {
      headers: { authorization: `Bearer ${token}`, 'if-none-match': String(first.headers.etag) },
    });
    expect(res.statusCode).toBe(304);
    await res.body.dump();
  });
});
