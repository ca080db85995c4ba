/**
 * P1: warm cache, 1,000-employee sandbox connection, `GET /2023-03-01/xhr/employees` with `Accept-Encoding: br`,
 * autocannon with 32 connections, against a bare node:http server returning the same precompressed bytes, in the
 * same run (alternating rounds, see `versusBare`). Each server runs in its own process; the load generator runs here.
 */
import {
  benchSetup,
  type Figures,
  loadAverage,
  rawGet,
  sandboxTokens,
  serveAffix,
  stop,
  versusBare,
} from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const CONNECTIONS = 32;
const PATH = '/2023-03-01/xhr/employees';

export interface P1Result {
  bare: Figures;
  affix: Figures;
  ratio: number;
  ratios: number[];
  bodyBytes: number;
  duration: number;
  load: string;
}

export async function runP1(): Promise<P1Result> {
  const setup = await benchSetup('p1');
  // P1 measures the data path alone: quiet logs, no rate limits.
  const env = setup.env({ LOG_LEVEL: 'warn', RATE_LIMITS: 'off' });
  try {
    const [token] = sandboxTokens(env, 1, 1000);
    const affix = await serveAffix(env);
    try {
      const url = affix.url(PATH);
      const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'br' };
      const warm = await fetch(url, { headers });
      if (warm.status !== 200) throw new Error(`warm-up got ${warm.status}`);
      // fetch() decodes br; take the encoded bytes the server holds by asking once more without auto-decoding.
      const raw = (await rawGet(url, headers)).body;
      const r = await versusBare({
        affixUrl: url,
        path: PATH,
        body: raw,
        headers,
        connections: CONNECTIONS,
        duration: DURATION,
        rounds: ROUNDS,
      });
      return { ...r, bodyBytes: raw.length, duration: DURATION, load: loadAverage() };
    } finally {
      await stop(affix.child);
    }
  } finally {
    await setup.cleanup();
  }
}
