/**
 * What `affix serve` and `affix worker` share: the per-process duties every long-running node has (listening to the
 * cluster bus, re-reading the keyring), the background jobs when it runs them, and one orderly shutdown on
 * SIGTERM/SIGINT.
 */
import type { Logger } from 'pino';
import { type JobSet, JOB_SETS, startBackgroundJobs } from '../jobs/background.js';
import { startKeyringRefresh } from '../jobs/vault-rewrap.js';
import { flushErrorReports } from '../logging/error-reports.js';
import type { Services } from '../services.js';
import { applyHeapGrowth } from './heap.js';
import { keepWasmOnBaseline } from './wasm.js';

/** Starts the duties of a long-running process, and the job sets when `jobs`; returns their stop. */
export async function startNode(
  services: Services,
  log: Logger,
  options: { jobs: boolean; sets?: readonly JobSet[] },
): Promise<() => Promise<void>> {
  applyHeapGrowth(services.config.HEAP_GROWING_PERCENT);
  keepWasmOnBaseline();
  await services.bus.listen();
  const stopChanges = services.changes.start();
  const stopKeyring = startKeyringRefresh(services.vault);
  const stopJobs = options.jobs ? startBackgroundJobs(services, log, options.sets ?? JOB_SETS) : undefined;
  return async () => {
    await stopJobs?.();
    stopKeyring();
    stopChanges();
  };
}

/** One line for the start banner: which jobs run here, and how events reach the other nodes. */
export function nodeSummary(services: Services, jobs: boolean, sets: readonly JobSet[] = JOB_SETS): string {
  const events =
    services.bus.transportName === 'local'
      ? 'this process only (SQLite)'
      : services.bus.transportName === 'redis'
        ? 'Redis pub/sub'
        : 'PostgreSQL LISTEN/NOTIFY';
  const running = jobs
    ? `jobs: ${sets.map((s) => s.name).join(', ')} run in this process`
    : 'jobs: NOT run in this process (--no-jobs): run `affix worker` beside it, or retention stops';
  return `${running}; cluster events: ${events}`;
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits 0. Resolves never (the process ends through `exit`). */
export function untilSignal(log: Logger, stop: () => Promise<void>): Promise<number> {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    try {
      await stop();
      await flushErrorReports();
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return new Promise<number>(() => {});
}
