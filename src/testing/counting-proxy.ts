/**
 * A loopback HTTP proxy that counts what goes through it: plain requests in absolute form (`GET http://host/…`) and
 * CONNECT tunnels (what undici's ProxyAgent and Chromium open). For the proxy tests of web sessions. Not imported by
 * production code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

export interface CountingProxy {
  url: string;
  /** Requests forwarded in absolute form plus tunnels opened, and the hosts they went to. */
  stats: { requests: number; tunnels: number; hosts: string[] };
  close(): Promise<void>;
}

export async function startCountingProxy(): Promise<CountingProxy> {
  const stats = { requests: 0, tunnels: 0, hosts: [] as string[] };
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    stats.requests++;
    const target = new URL(req.url ?? '/');
    stats.hosts.push(target.host);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    stats.tunnels++;
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    stats.hosts.push(`${host}:${port}`);
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
