/**
 * A loopback TCP proxy for fault tests, put between the app and a server (PostgreSQL): it forwards bytes both ways
 * until told to `cut()` every connection, go `down()` (cut, and close each new connection at once), or `stall()`
 * (keep every socket open but forward nothing, as a hung server or a black-holed network does); `up()` forwards
 * again, held bytes first. Not imported by production code.
 */
import net from 'node:net';

type Mode = 'up' | 'down' | 'stalled';

interface Pair {
  client: net.Socket;
  server: net.Socket;
}

export class TcpProxy {
  private mode: Mode = 'up';
  private readonly pairs = new Set<Pair>();
  /** Bytes that arrived while stalled, in arrival order, with the socket they were going to. */
  private held: Array<{ to: net.Socket; chunk: Buffer }> = [];

  private constructor(
    private readonly listener: net.Server,
    private readonly target: { host: string; port: number },
  ) {
    listener.on('connection', (client) => this.accept(client));
  }

  /** Listens on an ephemeral loopback port. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const listener = net.createServer();
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(0, '127.0.0.1', () => resolve());
    });
    return new TcpProxy(listener, target);
  }

  get port(): number {
    return (this.listener.address() as net.AddressInfo).port;
  }

  /** Connections currently open through the proxy. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Destroys every open connection (both ends), as a server restart or a network cut does. */
  cut(): void {
    for (const pair of this.pairs) this.drop(pair);
    this.held = [];
  }

  /** Cuts everything and closes each new connection as soon as it arrives. */
  down(): void {
    this.mode = 'down';
    this.cut();
  }

  /** Forwards nothing from now on, in either direction, on open and new connections; nothing is closed. */
  stall(): void {
    this.mode = 'stalled';
  }

  /** Forwards again; bytes held while stalled go first. */
  up(): void {
    this.mode = 'up';
    const held = this.held;
    this.held = [];
    for (const { to, chunk } of held) if (!to.destroyed) to.write(chunk);
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    if (this.mode === 'down') {
      client.destroy();
      return;
    }
    const server = net.connect(this.target.port, this.target.host);
    const pair: Pair = { client, server };
    this.pairs.add(pair);
    const forward = (to: net.Socket) => (chunk: Buffer) => {
      if (this.mode === 'stalled') this.held.push({ to, chunk });
      else to.write(chunk);
    };
    client.on('data', forward(server));
    server.on('data', forward(client));
    for (const socket of [client, server]) {
      socket.on('error', () => this.drop(pair));
      socket.on('close', () => this.drop(pair));
    }
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.destroy();
    pair.server.destroy();
  }
}
