/**
 * The transport every provider emulator shares: a loopback HTTP server answering JSON replies, with the transport
 * fault knobs of emulator-faults.ts applied the same way everywhere (hang, latency, malformed JSON). An emulator
 * supplies only its handler: routes, auth, rate limits and error shapes are its provider's own. Test tooling only:
 * never imported by production code.
 */
import { pathToFileURL } from 'node:url';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type FaultKnobs, truncatedJson } from './emulator-faults.js';

export interface EmulatorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What every emulator's `startEmulator` takes: where it listens, how much seeded data, and its knobs. */
export interface EmulatorStartOptions<K extends FaultKnobs> {
  /** 0 (the default): any free port. */
  port?: number;
  host?: string;
  employees?: number;
  seed?: number;
  knobs?: Partial<K>;
}

export interface EmulatorServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 (the default): any free port. */
  port?: number;
  host?: string;
  /** Which requests the malformed-JSON knob cuts (default every one): a provider's API, not its token endpoint. */
  malformable?: (req: IncomingMessage) => boolean;
  /**
   * Called as a request arrives, before the handler; the function it returns is called once the answer is written.
   * For a provider that limits the calls in progress, which last through the latency knob's delay.
   */
  inProgress?: (req: IncomingMessage) => (() => void) | undefined;
}

/**
 * Listens on `port` (0: any free one). `handle` gets each request with its whole body as text and answers a reply,
 * or `'hang'` to never answer (the socket stays open until the client gives up or the server closes). The knobs are
 * read on every request, so a test may change them at runtime.
 */
export async function serveEmulator(
  handle: (req: IncomingMessage, body: string) => EmulatorReply | 'hang' | Promise<EmulatorReply | 'hang'>,
  knobs: Pick<FaultKnobs, 'latencyMs' | 'malformedJson'>,
  options: ServeOptions = {},
): Promise<EmulatorServer> {
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const done = options.inProgress?.(req);
      try {
        const reply = await handle(req, Buffer.concat(chunks).toString('utf8'));
        if (reply === 'hang') {
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
        let text = JSON.stringify(reply.body);
        const malformable = options.malformable?.(req) ?? true;
        if (knobs.malformedJson && malformable && reply.status === 200) text = truncatedJson(text);
        res.writeHead(reply.status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
          ...reply.headers,
        });
        res.end(text);
      } finally {
        done?.();
      }
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

/** `--name N` from a command line as a number, `fallback` when absent: a provider's own standalone flag. */
export function numberArg(args: readonly string[], name: string, fallback: number): number {
  return Number(argValue(args, name) ?? fallback);
}

/**
 * What every emulator takes from its command line when run standalone: `--port`, `--employees`, `--seed` and
 * `--latency` as `startEmulator` options (so `startEmulator` itself can be the start function), and the whole
 * command line for the provider's own flags.
 */
export interface StandaloneStart {
  port: number;
  employees: number;
  seed: number;
  knobs: { latencyMs: number };
  args: readonly string[];
}

/** What a standalone emulator prints: its name, where it listens, and what to connect with (`name: value`). */
export interface StandaloneBanner {
  name: string;
  url: string;
  baseUrl: string;
  /** The `PROVIDER_<ID>_BASE_URL` variable that points Affix at it. */
  baseUrlVar: string;
  lines: Record<string, string | number | undefined>;
}

/**
 * Runs an emulator from the command line when `moduleUrl` is the script node was started with (else does nothing):
 * `--port`, `--employees`, `--seed` and `--latency` (the provider's own flags read from `args`), prints its banner,
 * and closes on SIGINT or SIGTERM.
 */
export async function runStandalone<E extends { close(): Promise<void> }>(
  moduleUrl: string,
  start: (standalone: StandaloneStart) => Promise<E>,
  banner: (emulator: E) => StandaloneBanner,
  defaults: { port?: number; employees?: number } = {},
): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const args = process.argv.slice(2);
  const emulator = await start({
    port: numberArg(args, '--port', defaults.port ?? 4010),
    employees: numberArg(args, '--employees', defaults.employees ?? 100),
    seed: numberArg(args, '--seed', 42),
    knobs: { latencyMs: numberArg(args, '--latency', 0) },
    args,
  });
  const b = banner(emulator);
  process.stdout.write(
    `${b.name} emulator listening on ${b.url}\n  base URL (${b.baseUrlVar}): ${b.baseUrl}\n` +
      Object.entries(b.lines)
        .map(([k, v]) => `  ${k}: ${v}\n`)
        .join(''),
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
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
