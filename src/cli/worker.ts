/**
 * `affix worker`: the background jobs (src/jobs/background.ts `JOB_SETS`) and no HTTP listener. Any number may run
 * against one database; each listens to the cluster bus (so a disconnect aborts its running fetches too) and
 * touches a heartbeat file after every successful database probe, which `affix healthcheck --worker` reads.
 */
import fs from 'node:fs/promises';
import type { Config } from '../config.js';
import { createLogger } from '../logging/logger.js';
import { createServices } from '../services.js';
import { HEARTBEAT_EVERY_MS, heartbeatFile } from './healthcheck.js';
import { nodeSummary, startNode, untilSignal } from './lifecycle.js';

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
