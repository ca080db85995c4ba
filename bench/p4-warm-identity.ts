/**
 * P4: the per-request cost. Warm `GET /2023-03-01/xhr/identity` (a body of about 100 bytes) with a sandbox token,
 * 16 connections, against a bare node:http server returning the same bytes, in the same run: BENCH_ROUNDS rounds
 * (default 3) alternating the two servers, the median ratio reported (see `versusBare`). Affix runs as production
 * would (`benchSetup`): default log level (one request line per request, to a file), request log rows in the
 * database, rate limits on (`RATE_LIMITS=seed`) with every quota raised out of reach (`RATE_LIMIT_SCALE`), so the
 * limiter's per-request work is counted.
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
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 16;
/** What common HTTP clients send (fetch, curl --compressed); Affix answers br. */
const ACCEPT = 'gzip, deflate, br';
const PATH = '/2023-03-01/xhr/identity';

export interface P4Result {
  bare: Figures;
  affix: Figures;
  ratio: number;
  ratios: number[];
  body: string;
  encoding: string;
  bodyBytes: number;
  duration: number;
  load: string;
  database: string;
}

/** `postgresUrl`: run Affix on a new database of that PostgreSQL server; SQLite otherwise. */
export async function runP4(postgresUrl?: string): Promise<P4Result> {
  const setup = await benchSetup('p4', postgresUrl);
  try {
    const env = setup.env();
    const [token] = sandboxTokens(env);
    const affix = await serveAffix(env);
    try {
      const url = affix.url(PATH);
      const headers = { authorization: `Bearer ${token}`, 'accept-encoding': ACCEPT };
      const warm = await rawGet(url, headers);
      if (warm.status !== 200) throw new Error(`warm-up got ${warm.status}`);
      const again = await fetch(url, { headers });
      const encoding = again.headers.get('content-encoding') ?? 'identity';
      const body = await again.text();
      const r = await versusBare({
        affixUrl: url,
        path: PATH,
        body: warm.body,
        encoding,
        headers,
        connections: CONNECTIONS,
        duration: DURATION,
        rounds: ROUNDS,
        ...(affix.child.pid === undefined ? {} : { affixPid: affix.child.pid }),
      });
      return {
        ...r,
        body,
        encoding,
        bodyBytes: warm.body.length,
        duration: DURATION,
        load: loadAverage(),
        database: setup.db.name,
      };
    } finally {
      await stop(affix.child);
    }
  } finally {
    await setup.cleanup();
  }
}
