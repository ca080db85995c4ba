#!/usr/bin/env node
// The container's HEALTHCHECK: `affix healthcheck [--worker]` without loading the server's modules (a check every
// few seconds must cost little). Same settings as `affix` (environment, then .env).
import { register } from 'tsx/esm/api';
register();
const { loadEnvFile } = await import('../src/cli/env-file.ts');
const { loadConfig } = await import('../src/config.ts');
const { healthcheckCommand } = await import('../src/cli/healthcheck.ts');
loadEnvFile();
process.exitCode = await healthcheckCommand(loadConfig(), process.argv.slice(2), (l) =>
  process.stdout.write(`${l}\n`),
);
