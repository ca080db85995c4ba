/**
 * P4: the per-request cost. Warm `GET /2023-03-01/xhr/identity` (a body of about 100 bytes) with a sandbox token,
 * 16 connections, against a bare node:http server returning the same bytes, in the same run. Affix runs as
 * production would: default log level (one request line per request on stdout, drained by this process), request
 * log rows in the database, rate limits on (`RATE_LIMITS=seed`) with every quota raised out of reach
 * (`RATE_LIMIT_SCALE`), so the limiter's per-request work is counted.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, builtEntry } from './build.js';
import {
  type Figures,
  benchDatabase,
  freePort,
  load,
  loadAverage,
  rawGet,
  startProcess,
  stop,
} from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 16;
/** What common HTTP clients send (fetch, curl --compressed); Affix answers br. */
const ACCEPT = 'gzip, deflate, br';

export interface P4Result {
  bare: Figures;
  affix: Figures;
  ratio: number;
  body: string;
  encoding: string;
  bodyBytes: number;
  duration: number;
  load: string;
  database: string;
}

/** `postgresUrl`: run Affix on a new database of that PostgreSQL server; SQLite otherwise. */
export async function runP4(postgresUrl?: string): Promise<P4Result> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-bench-p4-'));
  const db = await benchDatabase(dataDir, postgresUrl);
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    LOG_LEVEL: 'info',
    RATE_LIMITS: 'seed',
    RATE_LIMIT_SCALE: '1000000',
    REDIS_URL: '',
    PUBLIC_URL: 'http://affix.bench',
  };
  const token = execFileSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'sandbox-token'], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
  })
    .toString()
    .trim();
  const affixPort = await freePort();
  const affix = await startProcess(
    [builtEntry(), 'serve'],
    { ...env, PORT: String(affixPort) },
    /listening on/,
  );
  const url = `http://127.0.0.1:${affixPort}/2023-03-01/xhr/identity`;
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': ACCEPT };
  try {
    const warm = await rawGet(url, headers);
    if (warm.status !== 200) throw new Error(`warm-up got ${warm.status}`);
    const again = await fetch(url, { headers });
    const encoding = again.headers.get('content-encoding') ?? 'identity';
    const body = await again.text();
    const bodyFile = path.join(dataDir, 'identity.body');
    fs.writeFileSync(bodyFile, warm.body);
    const barePort = await freePort();
    const bare = await startProcess(
      ['bench/bare-server.ts', bodyFile, String(barePort), encoding],
      {},
      /ready/,
    );
    try {
      const bareUrl = `http://127.0.0.1:${barePort}/2023-03-01/xhr/identity`;
      await load(bareUrl, headers, 2, CONNECTIONS);
      await load(url, headers, 2, CONNECTIONS);
      const bareFig = await load(bareUrl, headers, DURATION, CONNECTIONS);
      const affixFig = await load(url, headers, DURATION, CONNECTIONS);
      return {
        bare: bareFig,
        affix: affixFig,
        ratio: affixFig.rps / bareFig.rps,
        body,
        encoding,
        bodyBytes: warm.body.length,
        duration: DURATION,
        load: loadAverage(),
        database: db.name,
      };
    } finally {
      await stop(bare);
    }
  } finally {
    await stop(affix);
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
