/**
 * DeelClient.mapOffset against a loopback server whose pages overlap (a record moved while the list was paged):
 * each record once, the first listing kept, in list order, with or without a sink, whatever order pages finish in.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeelClient } from './client.js';
import { UNPACED, contextFor } from './test-support.js';

/** Offsets 0, 3 and 6 of a 9-row list; the second page repeats id 3 and the last repeats 5; page 0 is the slowest. */
const PAGES: Record<string, number[]> = { '0': [1, 2, 3], '3': [3, 4, 5], '6': [5, 6, 7] };
const DELAY: Record<string, number> = { '0': 0, '3': 60, '6': 5 };

let server: Server;
let baseUrl = '';
let firstServed = false;
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const offset = url.searchParams.get('offset') ?? '0';
    const ids = PAGES[offset] ?? [];
    // The first request (page 0, which gives the total) answers at once; later pages finish out of order.
    const delay = firstServed ? (DELAY[offset] ?? 0) : 0;
    firstServed = true;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: ids.map((id) => ({ id: String(id) })), page: { total_rows: 9 } }));
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('DeelClient.mapOffset', () => {
  const client = () => new DeelClient(contextFor(baseUrl, 'token'), { ...UNPACED, pageSize: 3 });

  it('drops records listed twice across pages, keeping list order', async () => {
    const rows = await client().mapOffset<{ id: string }, string>('/people', {}, (page) =>
      page.map((p) => p.id),
    );
    expect(rows).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  });

  it('with a sink: the same rows, pushed in list order although page 3 finishes last', async () => {
    const pushes: string[][] = [];
    let expected: number | undefined;
    const rest = await client().mapOffset<{ id: string }, string>(
      '/people',
      {},
      (page) => page.map((p) => p.id),
      {
        expect: (n) => {
          expected = n;
        },
        push: (rows) => pushes.push([...rows]),
      },
    );
    expect(rest).toEqual([]);
    expect(expected).toBe(9);
    expect(pushes.flat()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    // Page 0 goes at once; page 6 waits for page 3, then both go together.
    expect(pushes).toEqual([
      ['1', '2', '3'],
      ['4', '5'],
      ['6', '7'],
    ]);
  });
});
