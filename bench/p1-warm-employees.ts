/**
 * P1: warm cache, 1,000-employee sandbox connection, `GET /2023-03-01/xhr/employees` with `Accept-Encoding: br`,
 * autocannon with 32 connections, against a bare node:http server returning the same precompressed bytes, in the
 * same run. Each server runs in its own process; the load generator runs here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtEntry } from './build.js';
import { type Figures, freePort, load, rawGet, startProcess } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 32;

export interface P1Result {
  bare: Figures;
  affix: Figures;
  ratio: number;
  bodyBytes: number;
  duration: number;
}

export async function runP1(): Promise<P1Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-bench-p1-'));
  // One PUBLIC_URL for the token-minting command and the server, so the issuer matches whatever the port.
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    RATE_LIMITS: 'off',
    REDIS_URL: '',
    PUBLIC_URL: 'http://affix.bench',
  };
  const token = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', 'sandbox-token', '--employees', '1000'],
    { cwd: ROOT, env: { ...process.env, ...env } },
  )
    .toString()
    .trim();

  const affixPort = await freePort();
  const affix = await startProcess(
    [builtEntry(), 'serve'],
    { ...env, PORT: String(affixPort) },
    /listening on/,
  );
  const url = `http://127.0.0.1:${affixPort}/2023-03-01/xhr/employees`;
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'br' };
  const warm = await fetch(url, { headers });
  if (warm.status !== 200) throw new Error(`warm-up got ${warm.status}`);
  // fetch() decodes br; take the encoded bytes the server holds by asking once more without auto-decoding.
  const raw = (await rawGet(url, headers)).body;
  const bodyFile = path.join(dataDir, 'employees.br');
  fs.writeFileSync(bodyFile, raw);

  const barePort = await freePort();
  const bare = await startProcess(['bench/bare-server.ts', bodyFile, String(barePort)], {}, /ready/);
  try {
    const bareUrl = `http://127.0.0.1:${barePort}/2023-03-01/xhr/employees`;
    await load(bareUrl, headers, 2, CONNECTIONS); // warm-up both, same treatment
    await load(url, headers, 2, CONNECTIONS);
    const bareFig = await load(bareUrl, headers, DURATION, CONNECTIONS);
    const affixFig = await load(url, headers, DURATION, CONNECTIONS);
    return {
      bare: bareFig,
      affix: affixFig,
      ratio: affixFig.rps / bareFig.rps,
      bodyBytes: raw.length,
      duration: DURATION,
    };
  } finally {
    bare.kill('SIGTERM');
    affix.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
