/**
 * The transport every provider emulator shares: a loopback HTTP server answering JSON replies, with the transport
 * fault knobs of emulator-faults.ts applied the same way everywhere (hang, latency, malformed JSON). An emulator
 * supplies only its handler: routes, auth, rate limits and error shapes are its provider's own. Test tooling only:
 * never imported by production code.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultKnobs, truncatedJson } from './emulator-faults.js';

export interface EmulatorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface EmulatorServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

/**
 * Listens on `port` (0: any free one). `handle` gets each request with its whole body as text and answers a reply,
 * or `'hang'` to never answer (the socket stays open until the client gives up or the server closes). The knobs are
 * read on every request, so a test may change them at runtime.
 */
export async function serveEmulator(
  handle: (req: IncomingMessage, body: string) => EmulatorReply | 'hang',
  knobs: Pick<FaultKnobs, 'latencyMs' | 'malformedJson'>,
  options: { port?: number; host?: string } = {},
): Promise<EmulatorServer> {
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const reply = handle(req, Buffer.concat(chunks).toString('utf8'));
      if (reply === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
      let text = JSON.stringify(reply.body);
      if (knobs.malformedJson && reply.status === 200) text = truncatedJson(text);
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        ...reply.headers,
      });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `--name value` from a command line, for an emulator run standalone. */
export function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Listens on loopback `port` (0: any free one): the server's URL, and a close that drops keep-alive sockets too. */
export async function listenLoopback(
  server: Server,
  port = 0,
): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
