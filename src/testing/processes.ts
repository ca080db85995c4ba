/** Helpers for tests that start real processes and listeners on loopback. */
import net from 'node:net';

/** A port that was free a moment ago, for a child process that must be told its port up front. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls a child's collected output until `re` matches; the error carries the output so far. */
export async function waitForOutput(
  output: () => string,
  re: RegExp,
  ms = 30_000,
): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = output().match(re);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${re}; output:\n${output()}`);
}
