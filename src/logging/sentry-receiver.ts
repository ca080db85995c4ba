/**
 * Test support: a loopback stand-in for Sentry's ingest, so the real @sentry/node client can be pointed at it
 * (`SENTRY_DSN`) and what it sends inspected. Not used by production code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/** A minimal Sentry ingest: POST /api/<project>/envelope/ → keeps each envelope's text. */
export async function startSentryReceiver(): Promise<{
  dsn: string;
  envelopes: string[];
  close(): Promise<void>;
}> {
  const envelopes: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      if (req.method === 'POST' && /^\/api\/\d+\/envelope\/?/.test(req.url ?? ''))
        envelopes.push(body.toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    dsn: `http://public0123456789abcdef@127.0.0.1:${port}/42`,
    envelopes,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
