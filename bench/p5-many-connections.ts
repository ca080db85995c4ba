/**
 * P5: many warm connections. N sandbox connections of 200 employees each, all warm, `GET /2023-03-01/xhr/employees`
 * (br) with 32 concurrent requests spread round-robin over the N tokens, against the same reads on one connection
 * in the same run. Then the node restarts with a memory cap a quarter of the working set and the round-robin reads
 * run again: a cyclic pattern larger than the cap (every read one row read and one unseal), RSS sampled throughout.
 * BENCH_REUSE_DIR keeps the warmed database for the next run (bench/support.ts; its warm-up then reads 0 s).
 */
import type { ChildProcess } from 'node:child_process';
import { DEFAULT_CACHE_MEMORY } from '../src/sync/response-cache.js';
import {
  benchSetup,
  type Figures,
  load,
  loadAverage,
  peakRssMb,
  sampleRss,
  serveAffix,
  stop,
  warmUp,
  warmedTokens,
} from './support.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 32;
const EMPLOYEES = 200;
/** Warm-up requests in flight at once (BENCH_WARM_CONCURRENCY). */
const WARM_CONCURRENCY = Number(process.env.BENCH_WARM_CONCURRENCY ?? 8);

export interface P5Run {
  label: string;
  cacheMemory: number;
  figures: Figures;
  /** Highest RSS sampled while this load ran (MB). */
  rssMb: number;
  load: string;
}

export interface P5Result {
  database: string;
  connections: number;
  warmSeconds: number;
  warmLoad: string;
  databaseBytes: number;
  /** Mean brotli body of one connection's employees. */
  bodyBytes: number;
  one: P5Run;
  many: P5Run;
  overCap: P5Run;
  /** VmHWM of the node with the default cap, from its start (warm-up included), MB. */
  peakRssMb: number;
  overCapPeakRssMb: number;
  duration: number;
}

export async function runP5(count: number, postgresUrl?: string): Promise<P5Result> {
  const setup = await benchSetup('p5', postgresUrl);
  const env = setup.env();
  const db = setup.db;
  const children: ChildProcess[] = [];
  try {
    const serve = async (cacheMemory?: number) => {
      const affix = await serveAffix({
        ...env,
        ...(cacheMemory === undefined ? {} : { CACHE_MEMORY: String(cacheMemory) }),
      });
      children.push(affix.child);
      return { child: affix.child, url: affix.url('/2023-03-01/xhr/employees') };
    };
    const headers = { 'accept-encoding': 'br' };

    let node = await serve();
    const warmed = await warmedTokens(env, count, EMPLOYEES, (auth) =>
      warmUp(node.url, headers, auth, WARM_CONCURRENCY),
    );
    const { bodyTotal, warmSeconds } = warmed;
    const tokens = warmed.authorizations;
    const warmLoad = loadAverage();
    const databaseBytes = await db.bytes();

    const measure = async (label: string, cacheMemory: number, auth: readonly string[]): Promise<P5Run> => {
      await load(node.url, headers, 2, CONNECTIONS, auth);
      const rss = sampleRss(node.child.pid as number);
      const figures = await load(node.url, headers, DURATION, CONNECTIONS, auth);
      return { label, cacheMemory, figures, rssMb: rss.stop(), load: loadAverage() };
    };
    const one = await measure('one connection', DEFAULT_CACHE_MEMORY, [tokens[0] as string]);
    const many = await measure(`${count} connections, round-robin`, DEFAULT_CACHE_MEMORY, tokens);
    const peak = peakRssMb(node.child.pid as number);
    await stop(node.child);

    // The working set is about bodyTotal (plus each entry's overhead): a quarter of it cannot hold a cycle over all.
    const smallCap = Math.max(1_048_576, Math.floor(bodyTotal / 4));
    node = await serve(smallCap);
    const overCap = await measure(`${count} connections, cap = ¼ of the working set`, smallCap, tokens);
    const overCapPeak = peakRssMb(node.child.pid as number);
    await stop(node.child);
    return {
      database: db.name,
      connections: count,
      warmSeconds,
      warmLoad,
      databaseBytes,
      bodyBytes: bodyTotal / count,
      one,
      many,
      overCap,
      peakRssMb: peak,
      overCapPeakRssMb: overCapPeak,
      duration: DURATION,
    };
  } finally {
    for (const child of children) await stop(child);
    await setup.cleanup();
  }
}
