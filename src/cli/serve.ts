/**
 * `affix serve [--no-jobs]` (and `npm start`): the API and the connect pages, plus the background jobs unless
 * `--no-jobs`. Jobs are on by default so a single node never silently loses retention; a cluster runs its API nodes
 * with `--no-jobs` and one or more `affix worker` beside them (docs/deploy.md).
 */
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { buildApp } from '../http/app.js';
import { createLogger } from '../logging/logger.js';
import { createServices } from '../services.js';
import { sameServerPrefix } from './env-file.js';
import { nodeSummary, startNode, untilSignal } from './lifecycle.js';
import { createSandboxToken, ensureDevClient } from './sandbox.js';

export async function serveCommand(
  config: Config,
  args: string[],
  fromEnvFile: readonly string[],
): Promise<number> {
  const { values } = parseArgs({ args, options: { 'no-jobs': { type: 'boolean' } }, strict: true });
  const jobs = values['no-jobs'] !== true;
  const logger = createLogger(config);
  const services = await createServices(config, { logger });
  const app = await buildApp(services, { loggerInstance: logger });
  const stopNode = await startNode(services, logger, { jobs });
  if (config.RATE_LIMITS === 'off') logger.warn('RATE_LIMITS=off: rate limits are DISABLED (benchmark mode)');

  // Production starts empty: no development client, no sandbox connection, no token on the terminal.
  let banner = '';
  let hint = '';
  if (config.AFFIX_ENV === 'dev') {
    const dev = await ensureDevClient(services);
    if (dev.created && config.sandboxEnabled) {
      const { token } = await createSandboxToken(services, { clientId: dev.id });
      banner = sandboxBanner(config, token);
    } else if (config.sandboxEnabled) {
      hint = `Create a sandbox token for this server with: ${sameServerPrefix(process.env, fromEnvFile)}npx affix sandbox-token\n`;
    }
  } else {
    hint = `Production mode: sandbox ${config.sandboxEnabled ? 'ON (SANDBOX=on)' : 'off'}; register apps with: affix client create\n`;
  }

  await app.listen({ port: config.PORT, host: config.HOST });
  process.stdout.write(
    `\nAffix API listening on ${config.PUBLIC_URL} (database: ${services.store.dialect})\n` +
      `${nodeSummary(services, jobs)}\n${banner || hint}\n`,
  );
  return untilSignal(logger, async () => {
    await stopNode();
    await app.close();
    await services.close();
  });
}

export function sandboxBanner(config: Config, token: string): string {
  return `
Sandbox token (xhr mode, every scope, ${config.SANDBOX_EMPLOYEES} fake employees):

${token}

Try it:

curl -H 'Authorization: Bearer ${token}' \\
  -H 'Accept-Encoding: gzip' --compressed \\
  '${config.PUBLIC_URL}/2023-03-01/xhr/employees'
`;
}
