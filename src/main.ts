/**
 * The `affix` command (its commands are listed in cli/usage.ts). `npm start` runs `serve` (API, connect pages and
 * jobs in one process); each long-running command's body is in src/cli/.
 */
import { parseArgs } from 'node:util';
import { clientCommand, signingKeysCommand } from './cli/clients.js';
import { loadEnvFile } from './cli/env-file.js';
import { type SandboxTokenOptions, createSandboxToken, ensureDevClient } from './cli/sandbox.js';
import { healthcheckCommand } from './cli/healthcheck.js';
import { serveCommand } from './cli/serve.js';
import { answerWithoutConfig } from './cli/usage.js';
import { screenshotsCommand } from './cli/screenshots.js';
import { vaultKeysCommand } from './cli/vault-keys.js';
import { webhooksCommand } from './cli/webhooks.js';
import { workerCommand } from './cli/worker.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { type Services, createServices, openConfiguredStore } from './services.js';

async function main(argv: string[]): Promise<number> {
  const fromEnvFile = loadEnvFile();
  const early = answerWithoutConfig(argv);
  if (early) {
    process.stdout.write(early.stdout);
    process.stderr.write(early.stderr);
    return early.code;
  }
  const [command = 'serve', ...rest] = argv;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  switch (command) {
    case 'serve':
      return serveCommand(config, rest, fromEnvFile);
    case 'worker':
      return workerCommand(config);
    case 'healthcheck':
      return healthcheckCommand(config, rest, stdoutLine);
    case 'migrate': {
      const store = await openConfiguredStore(config);
      const applied = await store.migrate();
      await store.close();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    }
    case 'sandbox-token': {
      const { values } = parseArgs({
        args: rest,
        options: {
          mode: { type: 'string' },
          employees: { type: 'string' },
          client: { type: 'string' },
          count: { type: 'string' },
        },
      });
      const mode = values.mode === 'xhr' ? 'xhr' : values.mode === 'official' ? 'official' : undefined;
      if (values.mode !== undefined && mode === undefined) {
        process.stderr.write('--mode must be xhr or official\n');
        return 2;
      }
      const count = values.count === undefined ? 1 : Number(values.count);
      if (!Number.isInteger(count) || count < 1 || count > 100_000) {
        process.stderr.write('--count must be an integer from 1 to 100000\n');
        return 2;
      }
      if (!config.sandboxEnabled) {
        process.stderr.write(
          'the sandbox provider is off (AFFIX_ENV=prod turns it off; SANDBOX=on enables it)\n',
        );
        return 2;
      }
      return withServices(config, async (services) => {
        const clientId = values.client ?? (await ensureDevClient(services)).id;
        const options: SandboxTokenOptions = {
          clientId,
          ...(mode ? { mode } : {}),
          ...(values.employees ? { employees: Number(values.employees) } : {}),
        };
        // One token per line, written as made, so a load test can start reading before the last one exists.
        for (let i = 0; i < count; i++) {
          const out = await createSandboxToken(services, options);
          process.stdout.write(`${out.token}\n`);
        }
        return 0;
      });
    }
    case 'keys': {
      // Vault KEK subcommands; other `keys …` subcommands (signing keys) are matched separately.
      if (['rotate-kek', 'rewrap', 'kek-status', 'retire-kek'].includes(rest[0] ?? '')) {
        return withServices(
          config,
          async (services) => (await vaultKeysCommand(services, rest, stdoutLine)) ?? 2,
        );
      }
      if (['rotate', 'list'].includes(rest[0] ?? '')) {
        return withServices(config, (services) => signingKeysCommand(services, rest, stdoutLine, stderrLine));
      }
      throw new Error(`keys command not wired: ${rest[0] ?? ''}`);
    }
    case 'client':
      return withServices(config, (services) => clientCommand(services, rest, stdoutLine, stderrLine));
    case 'screenshots':
      return withServices(config, (services) => screenshotsCommand(services, rest, stdoutLine, stderrLine));
    case 'webhooks':
      return withServices(config, (services) => webhooksCommand(services, rest, stdoutLine, stderrLine));
    default:
      // resolveCommand accepted it, so a command in the usage table has no case here.
      throw new Error(`command not wired: ${command}`);
  }
}

/** A command that needs a whole node's services: built from the config, closed whatever the command does. */
async function withServices(config: Config, run: (services: Services) => Promise<number>): Promise<number> {
  const services = await createServices(config);
  try {
    return await run(services);
  } finally {
    await services.close();
  }
}

const stdoutLine = (l: string) => process.stdout.write(`${l}\n`);
const stderrLine = (l: string) => process.stderr.write(`${l}\n`);

export type { Services };

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`affix: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
