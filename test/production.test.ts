/**
 * `AFFIX_ENV=prod` starts a production node: no development client, no sandbox connection, no token printed, no
 * sandbox provider unless `SANDBOX=on`; its data directory is 0700 and every database file 0600.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForOutput } from '../src/testing/processes.js';

const MAIN = path.resolve(import.meta.dirname, '..', 'src', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function start(env: Record<string, string>) {
  let out = '';
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...(env.ARGS ?? 'serve').split(' ')], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  return { output: () => out, exited, stop: () => child.kill('SIGTERM') };
}

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('production means production', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-prod-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('no dev client, no sandbox, no token; private files', async () => {
    const port = await freePort();
    const dataDir = path.join(root, 'data');
    const prod = {
      AFFIX_ENV: 'prod',
      PUBLIC_URL: 'https://affix.example',
      PORT: String(port),
      DATA_DIR: dataDir,
    };
    const node = start(prod);
    try {
      await waitForOutput(node.output, /listening on/);
      expect(node.output()).not.toMatch(/Sandbox token|Bearer ey|sandbox-token/);
      expect(node.output()).toMatch(/Production mode: sandbox off/);
      const providers = (await (await fetch(`http://127.0.0.1:${port}/providers`)).json()) as Array<{
        providers: string[];
      }>;
      expect(providers.flatMap((m) => m.providers)).not.toContain('sandbox');
    } finally {
      node.stop();
      expect(await node.exited).toBe(0);
    }
    expect(mode(dataDir)).toBe(0o700);
    const files = fs.readdirSync(dataDir);
    expect(files).toContain('affix.db');
    for (const f of files) expect(mode(path.join(dataDir, f)), f).toBe(0o600);

    const clients = start({ ...prod, ARGS: 'client list --json' });
    expect(await clients.exited).toBe(0);
    expect(JSON.parse(clients.output())).toEqual([]);

    const token = start({ ...prod, ARGS: 'sandbox-token' });
    expect(await token.exited).toBe(2);
    expect(token.output()).toMatch(/sandbox provider is off/);
  });

  it('SANDBOX=on offers the sandbox in production when asked', async () => {
    const port = await freePort();
    const node = start({
      AFFIX_ENV: 'prod',
      SANDBOX: 'on',
      PUBLIC_URL: 'https://affix.example',
      PORT: String(port),
      DATA_DIR: path.join(root, 'with-sandbox'),
    });
    try {
      await waitForOutput(node.output, /listening on/);
      expect(node.output()).not.toMatch(/Bearer ey/);
      const providers = (await (await fetch(`http://127.0.0.1:${port}/providers`)).json()) as Array<{
        providers: string[];
      }>;
      expect(providers.flatMap((m) => m.providers)).toContain('sandbox');
    } finally {
      node.stop();
      await node.exited;
    }
  });
});
