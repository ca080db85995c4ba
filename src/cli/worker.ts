/**
 * `affix worker`: the background jobs (src/jobs/background.ts `JOB_SETS`) and no HTTP listener. Any number may run
 * against one database; each listens to the cluster bus (so a disconnect aborts its running fetches too) and
 * touches a heartbeat file after every successful database probe, which `affix healthcheck --worker` reads.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config.js';
import { createLogger } from '../logging/logger.js';
import { createServices } from '../services.js';
import { nodeSummary, startNode, untilSignal } from './lifecycle.js';

/** How often a worker proves it is alive; `affix healthcheck --worker` allows three misses. */
export const HEARTBEAT_EVERY_MS = 10_000;

/** This host's worker heartbeat: one file per host name, so workers sharing a DATA_DIR volume never mix. */
export function heartbeatFile(config: Pick<Config, 'DATA_DIR'>, host = os.hostname()): string {
  return path.join(config.DATA_DIR, `worker-${host.replace(/[^\w.-]/g, '_')}.alive`);
}

export async function workerCommand(config: Config): Promise<number> {
  const logger = createLogger(config);
  const services = await createServices(config, { logger });
  const stopNode = await startNode(services, logger, { jobs: true });
  const file = heartbeatFile(config);
  const beat = async () => {
    if (!(await services.store.ping())) return;
    const now = new Date();
    await fs.writeFile(file, `${now.toISOString()}\n`, { mode: 0o600 }).catch((err: unknown) => {
      logger.warn({ err }, 'worker: could not write the heartbeat file');
    });
  };
  await beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_EVERY_MS);
  process.stdout.write(
    `\nAffix worker running (database: ${services.store.dialect})\n${nodeSummary(services, true)}\n\n`,
  );
  return untilSignal(logger, async () => {
    clearInterval(timer);
    await stopNode();
    await services.close();
    await fs.rm(file, { force: true });
  });
}
