/** ProviderHttp's defaults hold even when a client forwards its unset options as `undefined`. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderHttp } from './http.js';

describe('ProviderHttp defaults', () => {
  let server: http.Server;
  let baseUrl: string;
  let hits = 0;

  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('explicit undefined retries/timeouts keep the defaults: a persistent 503 is tried 1 + 3 times', async () => {
    const client = new ProviderHttp({
      baseUrl,
      retries: undefined,
      readTimeoutMs: undefined,
      connectTimeoutMs: undefined,
      maxRetryAfterMs: undefined,
    });
    await expect(client.json({ path: '/x' })).rejects.toMatchObject({ kind: 'unavailable' });
    expect(hits).toBe(4);
  });
});
