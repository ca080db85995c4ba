/**
 * The README's first command, end to end: `affix serve` on a fresh data dir prints a sandbox token and a curl line
 * that works; SIGTERM shuts it down cleanly; a second start keeps the data and prints no new token.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForOutput } from '../src/testing/processes.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function start(
  dataDir: string,
  port: number,
): { child: ChildProcess; output: () => string; exited: Promise<number> } {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '', LOG_LEVEL: 'warn' },
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, output: () => out, exited };
}

describe('quick start (npm start)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-quickstart-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints a working sandbox token and curl line, and stops on SIGTERM', async () => {
    const port = await freePort();
    const first = start(dataDir, port);
    const [, token] = await waitForOutput(first.output, /Bearer (ey[\w-]+\.[\w-]+\.[\w-]+)/);
    const [, url] = await waitForOutput(
      first.output,
      /'(http:\/\/localhost:\d+\/2023-03-01\/xhr\/employees)'/,
    );
    const res = await fetch(url!, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const employees = (await res.json()) as unknown[];
    expect(employees.length).toBe(50);
    expect(fs.existsSync(path.join(dataDir, 'affix.db'))).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(dataDir, port);
    await waitForOutput(second.output, /listening on/);
    expect(second.output()).not.toMatch(/Sandbox token/);
    expect(second.output()).toMatch(/affix sandbox-token/);
    const again = await fetch(url!, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('a bad setting stops start-up listing every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'x', AFFIX_ENV: 'qa' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    expect(code).toBe(2);
    expect(err).toMatch(/PORT/);
    expect(err).toMatch(/AFFIX_ENV/);
  });
});
