/**
 * A loopback cluster of real `affix` processes on one PostgreSQL schema (and Redis, when given): N × `affix serve
 * --no-jobs` and optionally one `affix worker`, sharing a DATA_DIR (the local keyring) and one PUBLIC_URL (the
 * token issuer a load balancer would present). Used by test/cluster.test.ts and bench/cluster-load.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPgSchema, postgresUrl } from '../store/testing.js';
import { type AffixProcess, freePort, spawnAffix, waitForOutput } from './processes.js';

export interface ClusterNode {
  base: string;
  process: AffixProcess;
}

export interface Cluster {
  nodes: ClusterNode[];
  worker: AffixProcess | undefined;
  /** The settings every process of the cluster shares. */
  env: Record<string, string>;
  /** Runs `affix <args>` against the cluster's database to completion; rejects unless it exits 0. */
  run(args: string[]): Promise<string>;
  /** `GET /metrics` of a node, as text. */
  metrics(node: ClusterNode): Promise<string>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  nodes?: number;
  worker?: boolean;
  /** Redis for rate limits and the bus; without it the bus is PostgreSQL LISTEN/NOTIFY. */
  redisUrl?: string;
  env?: Record<string, string>;
}

export const METRICS_TOKEN = 'cluster-test-metrics-token';

/** Starts the cluster; requires DATABASE_URL to be postgres:// (callers skip otherwise). */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  if (!postgresUrl) throw new Error('a cluster needs DATABASE_URL=postgres://…');
  const schema = await createPgSchema();
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema.name}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'affix-cluster-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: url.toString(),
    PUBLIC_URL: 'http://affix.cluster.test',
    METRICS_TOKEN,
    LOG_LEVEL: 'warn',
    ...(options.redisUrl
      ? { REDIS_URL: options.redisUrl, REDIS_KEY_PREFIX: `cluster-${randomBytes(6).toString('hex')}:` }
      : {}),
    ...options.env,
  };
  const started: AffixProcess[] = [];
  const cluster: Cluster = {
    nodes: [],
    worker: undefined,
    env,
    run: async (args) => {
      const p = spawnAffix(args, env);
      const code = await p.exited;
      if (code !== 0) throw new Error(`affix ${args.join(' ')} exited ${code}:\n${p.output()}`);
      return p.output();
    },
    metrics: async (node) => {
      const res = await fetch(`${node.base}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      return res.text();
    },
    stop: async () => {
      for (const p of started) if (p.alive()) p.stop();
      await Promise.all(started.map((p) => p.exited));
      await schema.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    // The schema, the keyring and the first signing key are made once, before the processes sharing them start.
    await cluster.run(['keys', 'list']);
    const spawnNode = async (): Promise<ClusterNode> => {
      const port = await freePort();
      const p = spawnAffix(['serve', '--no-jobs'], { ...env, PORT: String(port) });
      started.push(p);
      await waitForOutput(p.output, /listening on/, 60_000);
      return { base: `http://127.0.0.1:${port}`, process: p };
    };
    const count = options.nodes ?? 2;
    const worker = options.worker ? spawnAffix(['worker'], env) : undefined;
    if (worker) started.push(worker);
    cluster.nodes = await Promise.all(Array.from({ length: count }, spawnNode));
    if (worker) await waitForOutput(worker.output, /worker running/, 60_000);
    cluster.worker = worker;
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

/** The value of one sample of a Prometheus text exposition (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
