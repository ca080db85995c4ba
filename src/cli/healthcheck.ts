/**
 * `affix healthcheck [--worker]`: the container's HEALTHCHECK. Without `--worker`, GET /readyz on this host's
 * PORT (200 = the node serves and its database answers); with it, this host's worker heartbeat file is fresh
 * (the worker touches it after every successful database probe). Exit 0 healthy, 1 not. Imports nothing heavy:
 * bin/affix-healthcheck.js runs it every few seconds in a container without loading the server's modules.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';

/** How often a worker proves it is alive; `affix healthcheck --worker` allows three misses. */
export const HEARTBEAT_EVERY_MS = 10_000;

/** This host's worker heartbeat: one file per host name, so workers sharing a DATA_DIR volume never mix. */
export function heartbeatFile(config: Pick<Config, 'DATA_DIR'>, host = os.hostname()): string {
  return path.join(config.DATA_DIR, `worker-${host.replace(/[^\w.-]/g, '_')}.alive`);
}

export async function healthcheckCommand(
  config: Config,
  args: string[],
  print: (line: string) => void,
): Promise<number> {
  const { values } = parseArgs({ args, options: { worker: { type: 'boolean' } }, strict: true });
  if (values.worker) {
    const file = heartbeatFile(config);
    let age: number;
    try {
      age = Date.now() - fs.statSync(file).mtimeMs;
    } catch {
      print(`unhealthy: no worker heartbeat at ${file}`);
      return 1;
    }
    const ok = age < 3 * HEARTBEAT_EVERY_MS;
    print(`${ok ? 'healthy' : 'unhealthy'}: worker heartbeat ${Math.round(age / 1000)} s old`);
    return ok ? 0 : 1;
  }
  // A wildcard bind is reached on loopback; a specific address as given.
  const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}/readyz`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    print(`${res.ok ? 'healthy' : 'unhealthy'}: ${url} answered ${res.status}`);
    return res.ok ? 0 : 1;
  } catch (err) {
    print(`unhealthy: ${url}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
