/**
 * The `affix` command as a newcomer meets it: help for every command, unknown commands refused with the help, and
 * the CLI and the server sharing settings (environment, then `.env`), so a token made by one works on the other.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, answerWithoutConfig } from '../src/cli/usage.js';
import { freePort, waitForOutput } from '../src/testing/processes.js';

const MAIN = path.resolve(import.meta.dirname, '..', 'src', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function affix(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd: options.cwd ?? os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function serve(cwd: string, env: Record<string, string>) {
  let out = '';
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  return {
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('affix help', () => {
  it.each(COMMANDS.map((c) => [c.words.join(' ')]))('affix %s --help prints its usage', (words) => {
    const answer = answerWithoutConfig([...words.split(' '), '--help']);
    expect(answer?.code).toBe(0);
    expect(answer?.stdout).toContain(`  ${words}`);
    expect(answerWithoutConfig(['help', ...words.split(' ')])?.stdout).toContain(`  ${words}`);
  });

  it('a runnable command is left to run', () => {
    expect(answerWithoutConfig([])).toBeUndefined();
    expect(answerWithoutConfig(['client', 'rotate-secret', 'cli_1', '--json'])).toBeUndefined();
  });

  it('affix --help lists every command, from the real command', async () => {
    const run = await affix(['--help']);
    expect(run.code).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toContain(`  ${c.words.join(' ')}`);
  });

  it('an unknown command or subcommand prints the help and exits 2', async () => {
    const unknown = await affix(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^affix frobnicate: unknown command/);
    expect(unknown.stderr).toContain('  sandbox-token');
    const sub = answerWithoutConfig(['client', 'frob']);
    expect(sub?.code).toBe(2);
    expect(sub?.stderr).toMatch(/^affix client frob: unknown command/);
    expect(sub?.stderr).toContain('  client create');
    expect(answerWithoutConfig(['keys'])?.stderr).toMatch(/^affix keys: needs a subcommand/);
    expect(answerWithoutConfig(['help', 'bogus'])?.code).toBe(2);
  });
});

describe('the CLI talks to the server you started', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-cli-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a .env file is read by serve and by sandbox-token alike', async () => {
    const cwd = tmp();
    const port = await freePort();
    fs.writeFileSync(path.join(cwd, '.env'), `PORT=${port}\nDATA_DIR=${path.join(cwd, 'data')}\n`);
    const server = serve(cwd, {});
    try {
      await waitForOutput(server.output, /listening on/);
      const made = await affix(['sandbox-token'], { cwd });
      expect(made.code, made.stderr).toBe(0);
      const res = await fetch(`http://127.0.0.1:${port}/2023-03-01/xhr/identity`, {
        headers: { authorization: `Bearer ${made.stdout.trim()}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('sandbox-token --count N prints N distinct tokens, one per line', async () => {
    const cwd = tmp();
    const made = await affix(['sandbox-token', '--count', '25', '--employees', '3'], {
      cwd,
      env: { DATA_DIR: path.join(cwd, 'data') },
    });
    expect(made.code, made.stderr).toBe(0);
    const tokens = made.stdout.trim().split('\n');
    expect(tokens).toHaveLength(25);
    expect(new Set(tokens).size).toBe(25);
    for (const t of tokens) expect(t).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/);
    const bad = await affix(['sandbox-token', '--count', '0'], {
      cwd,
      env: { DATA_DIR: path.join(cwd, 'data') },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--count must be an integer/);
  });

  it('the second-start hint is a command that works; a token for another server says whose it is', async () => {
    const cwd = tmp();
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: path.join(cwd, 'data') };
    const first = serve(cwd, env);
    await waitForOutput(first.output, /listening on/);
    await first.stop();
    const second = serve(cwd, env);
    try {
      const [, prefix] = await waitForOutput(second.output, /with: (.*)npx affix sandbox-token/);
      const hinted = Object.fromEntries(
        (prefix ?? '')
          .trim()
          .split(' ')
          .map((kv) => kv.split('=') as [string, string]),
      );
      expect(hinted).toEqual(env);
      const made = await affix(['sandbox-token'], { cwd, env: hinted });
      const ok = await fetch(`http://127.0.0.1:${port}/2023-03-01/xhr/identity`, {
        headers: { authorization: `Bearer ${made.stdout.trim()}` },
      });
      expect(ok.status).toBe(200);

      // The README's old trap: the same data, but the CLI's default port, so another issuer.
      const stray = await affix(['sandbox-token'], { cwd, env: { DATA_DIR: env.DATA_DIR } });
      const refused = await fetch(`http://127.0.0.1:${port}/2023-03-01/xhr/identity`, {
        headers: { authorization: `Bearer ${stray.stdout.trim()}` },
      });
      expect(refused.status).toBe(401);
      expect(JSON.stringify(await refused.json())).toContain(
        `token was issued by http://localhost:8080, but this server is http://localhost:${port}`,
      );
    } finally {
      await second.stop();
    }
  });
});
