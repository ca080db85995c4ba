/**
 * Test helpers shared by suites: a full node (services + Fastify app) on a chosen store, and sandbox tokens.
 * Not imported by production code.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createSandboxToken } from '../cli/sandbox.js';
import { type Config, loadConfig } from '../config.js';
import { buildApp } from '../http/app.js';
import type { Mode } from '../model/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { type Services, createServices } from '../services.js';
import type { Store } from '../store/db.js';
import { openTestStore } from '../store/testing.js';

export interface TestNode {
  app: FastifyInstance;
  services: Services;
  config: Config;
  token(options?: { mode?: Mode; employees?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestNode(
  options: {
    store?: 'sqlite' | 'postgres' | Store;
    env?: Record<string, string>;
    providers?: ProviderRegistry;
  } = {},
): Promise<TestNode> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://affix.test',
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const store =
    typeof options.store === 'object' ? options.store : await openTestStore(options.store ?? 'sqlite');
  const services = await createServices(config, {
    store,
    ...(options.providers ? { providers: options.providers } : {}),
  });
  const app = await buildApp(services);
  await app.ready();
  return {
    app,
    services,
    config,
    token: async (o = {}) => (await createSandboxToken(services, o)).token,
    close: async () => {
      await app.close();
      await services.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
